"""The date window the events pane shows: a view (day, work week, week, month, agenda) and an
anchor day. Pure date arithmetic, no UI, so it is easy to test."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal

# The days cal365 will show: wide enough for any real calendar, and far from the edges of
# Python's dates (year 1 and 9999), where moving a window would overflow.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
RANGE_NOTE = "cal365 shows dates from 1900 to 2999"
# A window's length in days: Graph's calendarView shows at most 1825 days at once.
DEFAULT_DAYS = 14
MAX_DAYS = 1825
DAYS_NOTE = f"must be a number of days from 1 to {MAX_DAYS}"
DAY_FORMS = "2026-12-01, today, +3, -7 or friday"

View = Literal["day", "workweek", "week", "month", "agenda"]
VIEWS: tuple[View, ...] = ("day", "workweek", "week", "month", "agenda")
VIEW_NAMES: dict[View, str] = {
    "day": "Day",
    "workweek": "Work week",
    "week": "Week",
    "month": "Month",
    "agenda": "Agenda",
}


@dataclass(frozen=True, slots=True)
class Window:
    view: View
    anchor: dt.date
    agenda_days: int = 14

    @property
    def first(self) -> dt.date:
        if self.view == "day" or self.view == "agenda":
            return self.anchor
        if self.view in ("week", "workweek"):
            return self.anchor - dt.timedelta(days=self.anchor.weekday())
        return self.anchor.replace(day=1)

    @property
    def days(self) -> int:
        if self.view == "day":
            return 1
        if self.view == "workweek":
            return 5
        if self.view == "week":
            return 7
        if self.view == "agenda":
            return self.agenda_days
        first = self.first
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return (following - first).days

    @property
    def last(self) -> dt.date:
        return self.first + dt.timedelta(days=self.days - 1)

    def bounds(self, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """Midnight at the start of the first day to midnight after the last, in `tz`."""
        start = dt.datetime.combine(self.first, dt.time(), tz)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tz)
        return start, end

    @property
    def in_range(self) -> bool:
        return self.first >= FIRST_DAY and self.last <= LAST_DAY

    def shifted(self, steps: int) -> Window:
        """The next (or previous, for negative steps) window of the same view."""
        if self.view == "month":
            month = self.first.month - 1 + steps
            year = self.first.year + month // 12
            return replace(self, anchor=dt.date(year, month % 12 + 1, 1))
        step = 7 if self.view in ("week", "workweek") else self.days
        return replace(self, anchor=self.anchor + dt.timedelta(days=step * steps))

    def with_view(self, view: View) -> Window:
        return replace(self, view=view)

    def at(self, day: dt.date) -> Window:
        return replace(self, anchor=day)

    def label(self) -> str:
        return self.label_forms()[0]

    def label_forms(self) -> tuple[str, str, str]:
        """The window in words, longest first: with the view's name, without it, and
        without weekdays; a narrow title drops words, never the dates."""
        name = VIEW_NAMES[self.view]
        if self.days == 1:
            dates, short = self.first.strftime("%a %d %b %Y"), self.first.strftime("%d %b %Y")
        elif self.view == "month":
            dates, short = self.first.strftime("%B %Y"), self.first.strftime("%b %Y")
        else:
            dates = f"{self.first.strftime('%a %d %b')} – {self.last.strftime('%a %d %b %Y')}"
            short = f"{self.first.strftime('%d %b')} – {self.last.strftime('%d %b %Y')}"
        return f"{name} · {dates}", dates, short


class OutOfRange(ValueError):
    """A day written well, but outside the days cal365 shows."""


def parse_day(text: str, today: dt.date) -> dt.date:
    """A day typed by the user: `2026-12-01`, `today`, `tomorrow`, `+3`, `-7`, or a weekday
    name (`mon`, `friday`: the next such day, today included). Raises ValueError."""
    value = text.strip().lower()
    if not value:
        raise ValueError(f"type a date, e.g. {DAY_FORMS}")
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    offset: int | None = {"today": 0, "t": 0, "tomorrow": 1, "yesterday": -1}.get(value)
    if re.fullmatch(r"[+-][0-9]{1,9}", value):
        offset = int(value)
    for index, name in enumerate(names):
        if len(value) >= 2 and name.startswith(value):
            offset = (index - today.weekday()) % 7
    if offset is not None:  # every form is held to the same range, near its edges too
        try:
            return _checked(today + dt.timedelta(days=offset))
        except OverflowError:
            raise OutOfRange(f"too far: {RANGE_NOTE}") from None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {text.strip()!r} (try {DAY_FORMS})") from None
    return _checked(day)


def parse_days(text: str) -> int:
    """A window's length typed by the user (`--days`), for the app and every command alike.
    Raises ValueError."""
    value = text.strip()
    if not re.fullmatch(r"\+?[0-9]{1,6}", value) or not 1 <= int(value) <= MAX_DAYS:
        raise ValueError(f"{DAYS_NOTE}, not {text!r}")
    return int(value)


def span(first: dt.date | None, last: dt.date | None, days: int | None,
         today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day (both shown) that --from, --to and --days name: from `first`
    (default: today) to `last`, or for `days` days (default: DEFAULT_DAYS). The same rules
    for the app's window and every command's. Raises ValueError."""
    if last is not None and days is not None:
        raise ValueError("--to and --days both say where the window ends: give one of them")
    first = _checked(first or today)
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValueError(f"--days {DAYS_NOTE}, not {days}")
    if last is None:
        last = first + dt.timedelta(days=(days or DEFAULT_DAYS) - 1)
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    if first < FIRST_DAY or last > LAST_DAY:
        raise ValueError(f"{RANGE_NOTE}; the window {first} to {last} goes beyond")
    if (last - first).days + 1 > MAX_DAYS:
        raise ValueError(f"a window is at most {MAX_DAYS} days long (Graph shows at most "
                         f"{MAX_DAYS} days at once): --from {first}, --to {last}")
    return first, last


def _checked(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise OutOfRange(f"{day.isoformat()} is too far: {RANGE_NOTE}")
    return day
