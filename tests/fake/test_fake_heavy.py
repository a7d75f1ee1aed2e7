"""The attendee-heavy data set: big meetings and long bodies, deterministic, and the default
demo data left as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.fake.heavy import ATTENDEE_HEAVY, ATTENDEES, BODY_BYTES
from tui.fake.model import Event
from tui.fake.seed import ATTENDED_TODAY, ME_UPN, ORGANIZED_TODAY, WEEKLY_SERIES, build
from tui.fake.store import Store

TODAY = dt.date(2026, 11, 23)


def _events(store: Store) -> list[Event]:
    return [ev for box in store.mailboxes.values() for cal in box.calendars.values()
            for ev in cal.events.values()]


def _shape(store: Store) -> list[tuple[str, int, int]]:
    return [(ev.subject, len(ev.attendees), len(ev.body_text)) for ev in _events(store)]


def test_meetings_have_10_to_40_attendees_and_1_to_2_kb_bodies() -> None:
    events = _events(build(TODAY, ATTENDEE_HEAVY))
    low, high = ATTENDEES
    # Meetings drawn from the crowd: every one the seed invites a group to. A 1:1 or a
    # training with only the user stays small, as in a real mailbox.
    crowded = [ev for ev in events if len(ev.attendees) > 3]
    assert len(crowded) > 100
    # The user or the organizer may come on top of the crowd.
    assert all(low <= len(ev.attendees) <= high + 2 for ev in crowded)
    assert max(len(ev.attendees) for ev in crowded) >= 35
    sizes = [len(ev.body_text.encode()) for ev in events]
    assert all(BODY_BYTES[0] <= size <= BODY_BYTES[1] for size in sizes)
    # The bodies differ from one meeting to the next, as their previews do.
    assert len({ev.body_text[:255] for ev in crowded}) > len(crowded) // 2


def test_the_data_sets_are_deterministic_and_the_demo_is_unchanged() -> None:
    assert _shape(build(TODAY, ATTENDEE_HEAVY)) == _shape(build(TODAY, ATTENDEE_HEAVY))
    demo = build(TODAY)
    assert max(len(ev.attendees) for ev in _events(demo)) <= 13
    assert _shape(demo) == _shape(build(TODAY, "demo"))
    # The same tenant: the same user, the same anchors on the first screen.
    heavy = build(TODAY, ATTENDEE_HEAVY)
    assert demo.mailbox(ME_UPN).owner == heavy.mailbox(ME_UPN).owner
    anchors = {ORGANIZED_TODAY, ATTENDED_TODAY, WEEKLY_SERIES}
    assert anchors <= {ev.subject for ev in _events(heavy)}


def test_an_unknown_data_set_is_refused() -> None:
    with pytest.raises(ValueError, match="attendee-heavy"):
        build(TODAY, "huge")
