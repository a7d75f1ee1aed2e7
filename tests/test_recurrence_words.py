"""Recurrence patterns in words, for the details pane."""

from __future__ import annotations

import pytest

from tui.graph.recurrence import Recurrence
from tui.widgets.format import recurrence_label


def rec(pattern: dict[str, object], span: dict[str, object]) -> Recurrence:
    parsed = Recurrence.from_json({"pattern": pattern, "range": span})
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("pattern", "span", "words"),
    [
        (
            {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
            {"type": "noEnd", "startDate": "2026-11-02"},
            "Every week on Monday, from 2026-11-02",
        ),
        (
            {"type": "weekly", "interval": 2, "daysOfWeek": ["tuesday", "thursday"]},
            {"type": "endDate", "startDate": "2026-11-02", "endDate": "2027-03-01"},
            "Every 2 weeks on Tuesday and Thursday, from 2026-11-02 until 2027-03-01",
        ),
        (
            {"type": "daily", "interval": 1},
            {"type": "numbered", "startDate": "2026-11-02", "numberOfOccurrences": 10},
            "Every day, from 2026-11-02, 10 times",
        ),
        (
            {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 15},
            {"type": "noEnd", "startDate": "2026-01-15"},
            "Every month on day 15, from 2026-01-15",
        ),
        (
            {"type": "relativeMonthly", "interval": 3, "daysOfWeek": ["friday"], "index": "last"},
            {"type": "noEnd", "startDate": "2026-01-30"},
            "Every 3 months on the last Friday, from 2026-01-30",
        ),
        (
            {"type": "absoluteYearly", "interval": 1, "dayOfMonth": 24, "month": 12},
            {"type": "noEnd", "startDate": "2026-12-24"},
            "Every year on 24 December, from 2026-12-24",
        ),
    ],
)
def test_patterns_in_words(pattern: dict[str, object], span: dict[str, object], words: str) -> None:
    assert recurrence_label(rec(pattern, span)) == words


def test_junk_is_not_a_recurrence() -> None:
    assert Recurrence.from_json(None) is None
    assert Recurrence.from_json({"pattern": "weekly"}) is None
    odd = Recurrence.from_json(
        {"pattern": {"type": "weekly", "interval": "x", "daysOfWeek": [1, "monday"]}, "range": []}
    )
    assert odd is not None and odd.interval == 1 and odd.days_of_week == ("monday",)


def test_monday_to_friday_is_every_weekday() -> None:
    days = ["friday", "monday", "tuesday", "wednesday", "thursday"]
    every = rec(
        {"type": "weekly", "interval": 1, "daysOfWeek": days},
        {"type": "noEnd", "startDate": "2026-11-02"},
    )
    assert recurrence_label(every) == "Every weekday, from 2026-11-02"
