"""The listing's quick paths write what the plain ones wrote: `when_label` as strftime
formats, `emit_lines` as `emit_line` with each field cut by `tui.words.printable`."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tui.graph.models import Event
from tui.graph.urls import ME, CalendarRef
from tui.script.common import emit_line, emit_lines
from tui.script.events import when_label
from tui.words import printable

BERLIN = ZoneInfo("Europe/Berlin")


def _event(start: dt.datetime | None, end: dt.datetime | None, all_day: bool = False) -> Event:
    def moment(value: dt.datetime | None) -> dict[str, str] | None:
        if value is None:
            return None
        return {"dateTime": value.replace(tzinfo=None).isoformat(), "timeZone": "UTC"}

    obj = {"id": "E1", "subject": "s", "isAllDay": all_day, "start": moment(start),
           "end": moment(end)}
    return Event.from_json(obj, ME, CalendarRef(ME), dt.UTC)


def _strftime_label(event: Event) -> str:
    start, end = event.start, event.end
    if start is None:
        return "?"
    if event.is_all_day:
        days = (end.date() - start.date()).days if end else 1
        return f"{start:%Y-%m-%d} all day" + (f" ({days} days)" if days > 1 else "")
    if end is None:
        return f"{start:%Y-%m-%d %H:%M}"
    if end.date() == start.date():
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}-{end:%Y-%m-%d %H:%M}"


MOMENTS = [
    (dt.datetime(2026, 11, 23, 9, 0), dt.datetime(2026, 11, 23, 9, 30)),
    (dt.datetime(2026, 11, 23, 23, 30, 15, 500), dt.datetime(2026, 11, 24, 0, 15)),
    (dt.datetime(999, 1, 2, 3, 4), dt.datetime(999, 1, 2, 5, 6)),
    (dt.datetime(999, 12, 31, 23, 0), dt.datetime(1000, 1, 1, 1, 0)),
    (dt.datetime(2026, 11, 23, 10, 0), None),
    (None, None),
]


@pytest.mark.parametrize(("start", "end"), MOMENTS)
@pytest.mark.parametrize("all_day", [False, True])
def test_when_label_is_strftime_s(start: dt.datetime | None, end: dt.datetime | None,
                                  all_day: bool) -> None:
    event = _event(start, end, all_day)
    assert when_label(event) == _strftime_label(event)


ODD = ["plain", "tab\there", "line\nbreak", "\x1b[31mred", "bidi \u202e txt", "", "é ünïcode",
       "astral \U0001d173 sign", "x" * 2500, "y" * 199 + "\x07", "z" * 300, "\ud800 lone"]


def test_emit_lines_writes_what_emit_line_wrote(capsys: pytest.CaptureFixture[str]) -> None:
    limits = (None, None, 2000, 200, 2000)
    rows = [("when", "role", a, b, c) for a in ODD for b in ODD[::-1] for c in ODD[:3]]
    rows *= 2  # over a thousand lines: written in more than one part
    for row in rows:
        emit_line(row[0], row[1], printable(row[2]), printable(row[3], 200), printable(row[4]))
    one_by_one = capsys.readouterr().out
    emit_lines(rows, limits)
    assert capsys.readouterr().out == one_by_one
    assert one_by_one.count("\n") == len(rows)
