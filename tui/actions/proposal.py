"""A new time typed by the user for a tentative or a decline ("propose a new time").

One line, so it fits the reply dialog and a script's option alike: `14:00-15:00` on the
meeting's own day, or a day first in the forms the go-to prompt takes (`2026-12-09
14:00-15:30`, `friday 9:30-10`, `+1 16-17`). Times are in the zone cal365 shows.
"""

from __future__ import annotations

import datetime as dt
import re

from tui.window import parse_day

FORMS = "14:00-15:00, or a day first: friday 9:30-10:00, 2026-12-09 14-15"

_TIME = r"([0-9]{1,2})(?::([0-9]{2}))?"
_SLOT = re.compile(rf"(?:(.+?)\s+)?{_TIME}\s*[-–]\s*{_TIME}")


def _clock(hour: str, minute: str | None) -> dt.time:
    h, m = int(hour), int(minute or 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValueError(f"not a time of day: {hour}:{minute or '00'}")
    return dt.time(h, m)


def parse_new_time(text: str, day: dt.date, today: dt.date,
                   tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of the time typed, aware in `tz`; `day` is the meeting's, used
    when no day is given; `today` anchors `+1` and `friday`. Raises ValueError with words."""
    found = _SLOT.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"not a time: {text.strip()!r} (try {FORMS})")
    day_text, h1, m1, h2, m2 = found.groups()
    if day_text is not None:
        day = parse_day(day_text, today)
    start = dt.datetime.combine(day, _clock(h1, m1), tz)
    end = dt.datetime.combine(day, _clock(h2, m2), tz)
    if end <= start:
        raise ValueError("the new time ends before it starts")
    return start, end
