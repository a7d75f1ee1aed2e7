"""Turning server text and times into what a terminal can show safely and briefly."""

from __future__ import annotations

import datetime as dt
import re

from tui.graph import Event

# C0/C1 controls would reach the terminal as escape sequences; bidi overrides would reorder
# the rest of the line. Both are replaced by a visible mark; plain RTL text is left alone.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MAX_CHARS = 2000


def printable(text: str, limit: int = _MAX_CHARS) -> str:
    """Server text made safe for one terminal line: no controls, no newlines, bounded length."""
    if len(text) > limit:
        text = text[:limit] + "…"
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub("�", text)


def printable_block(text: str, limit: int = 20_000) -> str:
    """Like `printable` but keeps line breaks, for multi-line text such as a body preview."""
    if len(text) > limit:
        text = text[:limit] + "…"
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(printable(line, limit) for line in lines)


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
