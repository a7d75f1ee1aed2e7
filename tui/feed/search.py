"""What a filter matches an event against: one case-folded UTF-8 line per event.

UI-free, so that it can be built wherever it costs least. Case-folded UTF-8: a str with one
emoji in it stores every character in four bytes, this stores most in one, and a UTF-8 needle
matches exactly where the text does. Folding and encoding work character by character, so a
line joined from parts folded one by one is the line folded whole: the same people recur
across thousands of events (the Graph layer shares one object per person), so each person's
part is folded once and looked up after that.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.graph.models import Event, Person

_SEP = b"\x00"
_PEOPLE_MAX = 50_000  # bounded, as the Graph layer's table of people is
# id(person) -> (person, its folded part): the entry holds the person, so its id cannot be
# reused while the entry lives; a lookup by identity skips hashing two strings.
_people: dict[int, tuple[Person, bytes]] = {}


def _person(person: Person) -> bytes:
    entry = _people.get(id(person))
    if entry is not None and entry[0] is person:
        return entry[1]
    if len(_people) >= _PEOPLE_MAX:
        _people.clear()
    part = f"{person.name}\x00{person.address}".casefold().encode()
    _people[id(person)] = (person, part)
    return part


def haystack(event: Event) -> bytes:
    """Subject, organizer, attendees and location, each separated by a NUL, case-folded."""
    person = _person
    parts = [event.subject.casefold().encode(), person(event.organizer),
             event.location.casefold().encode()]
    parts += [person(attendee.person) for attendee in event.attendees]
    return _SEP.join(parts)


def haystacks(events: Sequence[Event]) -> list[bytes]:
    return [haystack(event) for event in events]
