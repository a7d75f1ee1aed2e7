"""Date windows: what each view covers, moving it, and days typed by the user."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tui.window import Window, parse_day

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


@pytest.mark.parametrize("text", ["", "next week", "2026-13-01", "m", "+x"])
def test_parse_day_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_day(text, WED)
