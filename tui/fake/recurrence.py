"""Expanding a patterned recurrence into occurrence slots, in the series' own zone.

Wall-clock times stay fixed across DST changes (a 10:00 Berlin meeting stays at 10:00), so
dates are generated first and turned into UTC instants per date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .model import Recurrence
from .timezones import UTC, resolve

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _week_start(day: dt.date, first_day: str) -> dt.date:
    offset = (day.weekday() - _DAYS.index(first_day)) % 7
    return day - dt.timedelta(days=offset)


def slot_dates(rec: Recurrence, horizon: dt.date) -> Iterator[dt.date]:
    """The dates the pattern produces, from the range start up to the range end or horizon."""
    last = rec.end_date if rec.range_type == "endDate" and rec.end_date is not None else horizon
    last = min(last, horizon)
    limit = rec.number_of_occurrences if rec.range_type == "numbered" else None
    produced = 0
    day = rec.start_date
    first_week = _week_start(rec.start_date, rec.first_day_of_week)
    wanted = {_DAYS.index(d) for d in rec.days_of_week}
    while day <= last:
        if rec.pattern_type == "daily":
            hit = (day - rec.start_date).days % rec.interval == 0
        else:
            weeks = (_week_start(day, rec.first_day_of_week) - first_week).days // 7
            hit = weeks % rec.interval == 0 and day.weekday() in wanted
        if hit:
            yield day
            produced += 1
            if limit is not None and produced >= limit:
                return
        day += dt.timedelta(days=1)


def slots(rec: Recurrence, first_start: dt.datetime, horizon: dt.date) -> Iterator[dt.datetime]:
    """UTC start instants of every slot; the wall time is the master's first start."""
    tz = resolve(rec.time_zone) or UTC
    wall = first_start.astimezone(tz).time()
    for day in slot_dates(rec, horizon):
        yield dt.datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)
