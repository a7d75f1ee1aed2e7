"""Server text and times in words for a person: safe, brief, UI-free.

What the app's panes and the script commands both say about an event (when it is, its
response, its recurrence) and how server text becomes printable: never Textual or Rich, so
the script commands use them without the UI. Fitting text into terminal cells is the
widgets' job (tui/widgets/format.py).
"""

from __future__ import annotations

import datetime as dt
import re

from tui.graph import Event
from tui.graph.recurrence import Recurrence
from tui.text import DEFAULT_LIMIT, inert


def printable(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """Server text made safe for one terminal line (`tui.text.inert`, the one function)."""
    return inert(text, limit)


# In a comment, line breaks and tabs are text; any other control character is not.
_COMMENT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def comment_problem(text: str) -> str | None:
    """Why a typed cancel comment cannot be sent as it is, or None when it can.

    Empty is fine (Outlook's default notice). Only blank space is refused rather than sent
    as the default notice: the user typed something and may believe it went. A control
    character would reach every attendee's mail as garbage, if Exchange took it at all.
    """
    if text and not text.strip():
        return ("The comment is only blank space: clear it to send Outlook's default "
                "notice, or write a message")
    found = _COMMENT_CONTROL.search(text)
    if found is not None:
        return (f"The comment holds a control character (U+{ord(found.group()):04X} at "
                f"character {found.start() + 1}), which mail cannot carry: remove it")
    return None


def printable_block(text: str, limit: int = 20_000) -> str:
    """Like `printable` but keeps line breaks, for multi-line text such as a body preview."""
    return inert(text, limit, lines=True)


def day_label(day: dt.date) -> str:
    return day.strftime("%a %d %b")


def time_label(event: Event) -> str:
    if event.start is None:
        return "?"
    if event.is_all_day:
        days = (event.end.date() - event.start.date()).days if event.end else 1
        return "all day" if days <= 1 else f"{days} days"
    start = event.start.strftime("%H:%M")
    if event.end is None:
        return start
    if event.end.date() != event.start.date():
        return f"{start}→{event.end.strftime('%a')}"
    return f"{start}–{event.end.strftime('%H:%M')}"


def when_label(event: Event) -> str:
    """A full, unambiguous description of when an event takes place."""
    if event.start is None:
        return "unknown time"
    day = event.start.strftime("%A %d %B %Y")
    if event.is_all_day:
        return f"{day}, {time_label(event)}"
    zone = event.start.strftime("%Z") or ""
    return f"{day}, {time_label(event)} {zone}".rstrip()


RESPONSES = {
    "organizer": "organizer",
    "accepted": "accepted",
    "tentativelyAccepted": "tentative",
    "declined": "declined",
    "notResponded": "no response",
    "none": "no response",
}


def response_label(response: str) -> str:
    return RESPONSES.get(response, response or "no response")


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_UNITS = {
    "daily": "day",
    "weekly": "week",
    "absoluteMonthly": "month",
    "relativeMonthly": "month",
    "absoluteYearly": "year",
    "relativeYearly": "year",
}


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def recurrence_label(rec: Recurrence) -> str:
    """A recurrence in words: "Every 2 weeks on Tuesday and Thursday, from … until …"."""
    unit = _UNITS.get(rec.pattern, rec.pattern)
    text = f"Every {unit}" if rec.interval == 1 else f"Every {rec.interval} {unit}s"
    days = _join([d.capitalize() for d in rec.days_of_week]) if rec.days_of_week else ""
    month = _MONTHS[rec.month - 1] if 1 <= rec.month <= 12 else ""
    weekdays = ("monday", "tuesday", "wednesday", "thursday", "friday")
    if rec.pattern == "weekly" and rec.interval == 1 and set(rec.days_of_week) == set(weekdays):
        text = "Every weekday"
    elif rec.pattern == "weekly" and days:
        text += f" on {days}"
    elif rec.pattern == "absoluteMonthly" and rec.day_of_month:
        text += f" on day {rec.day_of_month}"
    elif rec.pattern in ("relativeMonthly", "relativeYearly") and days:
        text += f" on the {rec.index or 'first'} {days}"
        if rec.pattern == "relativeYearly" and month:
            text += f" of {month}"
    elif rec.pattern == "absoluteYearly" and rec.day_of_month and month:
        text += f" on {rec.day_of_month} {month}"
    if rec.start_date:
        text += f", from {rec.start_date}"
    if rec.range_type == "endDate" and rec.end_date:
        text += f" until {rec.end_date}"
    elif rec.range_type == "numbered" and rec.occurrences:
        text += f", {rec.occurrences} times"
    return text


def counted(n: int, word: str) -> str:
    """"1 event", "2 events": a count with its noun in the right number."""
    return f"{n} {word}{'' if n == 1 else 's'}"
