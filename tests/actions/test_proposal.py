"""A new time typed for a tentative or a decline."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tui.actions.proposal import parse_new_time

ZONE = ZoneInfo("Europe/Berlin")
MEETING_DAY = dt.date(2026, 12, 9)  # a Wednesday
TODAY = dt.date(2026, 12, 7)  # a Monday


def slot(text: str) -> tuple[dt.datetime, dt.datetime]:
    return parse_new_time(text, MEETING_DAY, TODAY, ZONE)


def test_times_alone_are_on_the_meetings_day_in_the_shown_zone() -> None:
    start, end = slot("14:00-15:30")
    assert start == dt.datetime(2026, 12, 9, 14, 0, tzinfo=ZONE)
    assert end == dt.datetime(2026, 12, 9, 15, 30, tzinfo=ZONE)


@pytest.mark.parametrize(("text", "day", "hours"), [
    ("2026-12-10 9-10", dt.date(2026, 12, 10), (9, 10)),
    ("friday 9:30 - 10", dt.date(2026, 12, 11), (9, 10)),
    ("+1 16–17", dt.date(2026, 12, 8), (16, 17)),
    ("tomorrow 8:00-8:45", dt.date(2026, 12, 8), (8, 8)),
])
def test_a_day_first_takes_the_go_to_prompts_forms(
        text: str, day: dt.date, hours: tuple[int, int]) -> None:
    start, end = slot(text)
    assert (start.date(), start.hour, end.hour) == (day, *hours)


@pytest.mark.parametrize(("text", "says"), [
    ("", "not a time"),
    ("soon", "not a time"),
    ("15:00-14:00", "ends before it starts"),
    ("14:00-14:00", "ends before it starts"),
    ("25:00-26:00", "not a time of day"),
    ("10:75-11:00", "not a time of day"),
    ("someday 9-10", "not a date"),
])
def test_what_cannot_be_read_is_said_in_words(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        slot(text)
