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
from typing import cast

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


class Index:
    """A window's haystacks, in the order of its events; each None until it is built, so a
    page can go on screen before its lines are made."""

    def __init__(self) -> None:
        self.lines: list[bytes | None] = []
        self._built = 0  # every line before this position is built

    @property
    def pending(self) -> int:
        return self.lines.count(None)

    def reset(self, lines: list[bytes | None] | None = None) -> None:
        self.lines = lines if lines is not None else []
        self._built = 0

    def add(self, events: Sequence[Event], *, now: bool) -> list[bytes | None]:
        """Lines for events appended to the window: built `now`, or left for later."""
        complete = self._built == len(self.lines)
        added: list[bytes | None] = [None] * len(events)
        if now:
            added[:] = haystacks(events)
        self.lines += added
        if now and complete:
            self._built = len(self.lines)
        return added

    def delete(self, index: int) -> None:
        del self.lines[index]
        if index < self._built:
            self._built -= 1

    def build(self, events: Sequence[Event], end: int) -> int:
        """Build the missing lines before `end` (`events`: the window, in the same order);
        returns where building stopped."""
        lines = self.lines
        end = min(end, len(lines))
        for i in range(self._built, end):
            if lines[i] is None:
                lines[i] = haystack(events[i])
        self._built = max(self._built, end)
        return end

    def build_more(self, events: Sequence[Event], count: int) -> bool:
        """Build the next `count` lines still missing, or fewer; True while some are left."""
        return self.build(events, self._built + count) < len(self.lines)

    def complete(self, events: Sequence[Event]) -> list[bytes]:
        """Every line, built now where it was not yet."""
        self.build(events, len(self.lines))
        return cast("list[bytes]", self.lines)
