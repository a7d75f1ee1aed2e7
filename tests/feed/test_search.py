"""The filter's haystack: built from parts folded one by one (people once each), it is the
very line the whole text folded at once gives, for any text."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tui.feed.search import Index, haystack, haystacks
from tui.graph.models import Attendee, Event, Person, shared_person
from tui.graph.urls import ME, EventRef

START = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


def _event(subject: str, organizer: Person, location: str, people: list[Person]) -> Event:
    return Event(
        ref=EventRef("e1", ME), subject=subject, start=START, end=START, is_all_day=False,
        is_organizer=False, is_cancelled=False, type="singleInstance", series_master_id=None,
        organizer=organizer, attendees=tuple(Attendee(p, "required", "none") for p in people),
        my_response="none", location=location, online_meeting_url="", body_preview="",
        web_link="", show_as="busy",
    )


def _whole(event: Event) -> bytes:
    """The line as the whole text folded at once."""
    parts = [event.subject, event.organizer.name, event.organizer.address, event.location]
    for attendee in event.attendees:
        parts += [attendee.person.name, attendee.person.address]
    return "\x00".join(parts).casefold().encode()


texts = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)
people = st.builds(Person, texts, texts)


@given(texts, people, texts, st.lists(people, max_size=4))
def test_the_line_is_the_whole_text_folded(subject: str, organizer: Person, location: str,
                                           attendees: list[Person]) -> None:
    event = _event(subject, organizer, location, attendees)
    assert haystack(event) == _whole(event)


def test_odd_letters_and_a_person_seen_again_fold_the_same() -> None:
    ada = shared_person("ÅDA Straße", "ADA@Example.COM")
    sigma = Person("ΟΔΥΣΣΕΥΣ 😀", "x@y")
    first = _event("Weekly SYNC ﬁx", ada, "Raum İ", [sigma, ada])
    again = _event("ΣΊΣΥΦΟΣ", sigma, "", [ada])
    assert haystacks([first, again, first]) == [_whole(first), _whole(again), _whole(first)]
    assert b"strasse" in haystack(first) and "ΟΔΥΣΣΕΥΣ".casefold().encode() in haystack(again)


def test_the_index_builds_lines_later_in_chunks_or_all_at_once() -> None:
    ada, bo = Person("Ada", "ada@x"), Person("Bo", "bo@x")
    events = [_event(f"Event {n}", ada if n % 2 else bo, "", []) for n in range(7)]
    index = Index()
    index.add(events[:3], now=True)
    assert index.pending == 0
    index.add(events[3:], now=False)  # a page shown before its lines are made
    assert index.pending == 4
    assert index.build_more(events, 2) and index.pending == 2
    index.delete(0)  # an event removed: the lines after it move up with it
    rest = events[1:]
    assert not index.build_more(rest, 10) and index.pending == 0
    assert index.lines == [_whole(e) for e in rest]
    index.reset([None, index.lines[1]])  # rows merged anew: any line may be missing
    assert index.complete(rest[:2]) == [_whole(e) for e in rest[:2]]
