"""Date windows: what each view covers, moving it, and days typed by the user."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tui.window import MAX_DAYS, Window, parse_day, parse_days, span

WED = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("view", "first", "last"),
    [
        ("day", dt.date(2026, 11, 25), dt.date(2026, 11, 25)),
        ("workweek", dt.date(2026, 11, 23), dt.date(2026, 11, 27)),
        ("week", dt.date(2026, 11, 23), dt.date(2026, 11, 29)),
        ("month", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("agenda", dt.date(2026, 11, 25), dt.date(2026, 12, 8)),
    ],
)
def test_each_view_covers_its_days(view: str, first: dt.date, last: dt.date) -> None:
    window = Window(view, WED)  # type: ignore[arg-type]
    assert (window.first, window.last) == (first, last)


def test_moving_windows() -> None:
    assert Window("week", WED).shifted(1).first == dt.date(2026, 11, 30)
    assert Window("workweek", WED).shifted(-1).first == dt.date(2026, 11, 16)
    assert Window("day", WED).shifted(-1).first == dt.date(2026, 11, 24)
    december = Window("month", WED).shifted(1)
    assert (december.first, december.last) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert Window("month", WED).shifted(2).first == dt.date(2027, 1, 1)
    assert Window("month", dt.date(2027, 1, 31)).shifted(-1).days == 31
    assert Window("month", dt.date(2028, 2, 10)).days == 29


def test_bounds_are_local_midnights_across_a_dst_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start, end = Window("week", dt.date(2026, 10, 21)).bounds(berlin)
    assert start == dt.datetime(2026, 10, 19, tzinfo=berlin)
    assert end == dt.datetime(2026, 10, 26, tzinfo=berlin)
    assert end - start == dt.timedelta(days=7)  # wall-clock days, whatever the offsets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", dt.date(2026, 12, 1)),
        ("today", WED),
        (" +3 ", dt.date(2026, 11, 28)),
        ("-7", dt.date(2026, 11, 18)),
        ("fri", dt.date(2026, 11, 27)),
        ("wednesday", WED),
        ("mo", dt.date(2026, 11, 30)),
        ("tomorrow", dt.date(2026, 11, 26)),
    ],
)
def test_parse_day(text: str, expected: dt.date) -> None:
    assert parse_day(text, WED) == expected


@pytest.mark.parametrize(
    "text", ["", "next week", "2026-13-01", "m", "+x", "+٣", "+1e3", "+" + "9" * 5000]
)
def test_parse_day_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_day(text, WED)


@pytest.mark.parametrize(("text", "days"), [("1", 1), ("14", 14), (" 7 ", 7), ("1825", 1825)])
def test_parse_days(text: str, days: int) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["0", "-5", "--5", "1826", "3.5", "two", "", "٣", "9" * 5000])
def test_parse_days_refuses_what_the_app_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=f"must be a number of days from 1 to {MAX_DAYS}"):
        parse_days(text)


def test_span_follows_from_to_and_days() -> None:
    assert span(None, None, None, WED) == (WED, WED + dt.timedelta(days=13))
    assert span(None, None, 3, WED) == (WED, WED + dt.timedelta(days=2))
    first = dt.date(2026, 12, 1)
    assert span(first, None, 1, WED) == (first, first)
    assert span(first, dt.date(2026, 12, 4), None, WED) == (first, dt.date(2026, 12, 4))
    assert span(None, None, MAX_DAYS, WED)[1] == WED + dt.timedelta(days=MAX_DAYS - 1)


@pytest.mark.parametrize(
    ("first", "last", "days", "message"),
    [
        (None, dt.date(2026, 12, 1), 3, "give one of them"),
        (None, dt.date(2026, 11, 24), None, "is before --from"),
        (None, None, 0, "must be a number of days"),
        (None, dt.date(2031, 11, 25), None, f"at most {MAX_DAYS} days"),
        (dt.date(2999, 12, 30), None, None, "cal365 shows dates from 1900 to 2999"),
        (dt.date(1899, 12, 31), None, 2, "too far"),
    ],
)
def test_span_refuses_windows_the_app_cannot_show(
    first: dt.date | None, last: dt.date | None, days: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        span(first, last, days, WED)


@pytest.mark.parametrize(
    ("text", "today"),
    [("tomorrow", dt.date(2999, 12, 31)), ("+1", dt.date(2999, 12, 31)),
     ("friday", dt.date(2999, 12, 31)), ("yesterday", dt.date(1900, 1, 1)),
     ("-1", dt.date(1900, 1, 1))],
)
def test_every_form_of_a_day_keeps_to_the_range(text: str, today: dt.date) -> None:
    assert today.weekday() != 4  # friday is days away
    with pytest.raises(ValueError, match="cal365 shows dates from 1900 to 2999"):
        parse_day(text, today)


def test_the_longest_window_is_the_graph_layers() -> None:
    """`span` alone holds a command's window to what one calendarView request may ask."""
    from tui.graph.client import MAX_WINDOW

    assert dt.timedelta(days=MAX_DAYS) == MAX_WINDOW
