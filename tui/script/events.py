"""`cal365 events`: the events in a date window (calendarView: series as their occurrences)."""

from __future__ import annotations

import argparse
import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tui.graph.timezones import zone
from tui.script.common import (
    ScriptError,
    Session,
    calendar_from,
    emit_json,
    emit_lines,
    guard,
    mailbox_from,
    timezone_name,
    warn,
    window,
    with_graph,
)
from tui.script.exits import Exit
from tui.text import DEFAULT_LIMIT

if TYPE_CHECKING:
    from tui.graph.models import Event, Person
    from tui.graph.urls import CalendarRef, Mailbox


def _person(person: Person) -> dict[str, str]:
    return {"name": person.name, "address": person.address}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def event_json(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "subject": event.subject,
        "start": _iso(event.start),
        "end": _iso(event.end),
        "isAllDay": event.is_all_day,
        "isOrganizer": event.is_organizer,
        "isCancelled": event.is_cancelled,
        "type": event.type,
        "seriesMasterId": event.series_master_id,
        "organizer": _person(event.organizer),
        "responseStatus": event.my_response,
        "attendees": [
            {**_person(a.person), "type": a.type, "response": a.response}
            for a in event.attendees
        ],
        "location": event.location,
        "onlineMeetingUrl": event.online_meeting_url or None,
        "webLink": event.web_link or None,
        "showAs": event.show_as,
        **({"unreadable": list(event.unreadable)} if event.unreadable else {}),
    }


def _minute(moment: dt.datetime) -> str:
    """`moment` as strftime's "%Y-%m-%d %H:%M", cut from its ISO form (several times
    quicker, for thousands of lines); a year before 1000, which strftime leaves unpadded,
    through strftime itself."""
    if moment.year < 1000:
        return f"{moment:%Y-%m-%d %H:%M}"
    iso = moment.isoformat()
    return f"{iso[:10]} {iso[11:16]}"


def when_label(event: Event) -> str:
    start, end = event.start, event.end
    if start is None:
        return "?"
    if event.is_all_day:
        days = (end.date() - start.date()).days if end else 1
        return f"{start:%Y-%m-%d} all day" + (f" ({days} days)" if days > 1 else "")
    if end is None:
        return _minute(start)
    first, last = _minute(start), _minute(end)
    if end.date() == start.date():
        return f"{first}-{last[-5:]}"
    return f"{first}-{last}"


# The user's response as the role column says it (Graph's responseStatus.response): one
# word each, no spaces, so the column stays a comma list. "organizer" is the role itself, and
# "none" (Graph keeps no response) adds nothing.
RESPONSE_WORDS = {
    "accepted": "accepted",
    "tentativelyAccepted": "tentative",
    "declined": "declined",
    "notResponded": "not-responded",
}


def role_label(event: Event) -> str:
    return _role(event.is_organizer, event.my_response, event.is_cancelled)


@lru_cache(maxsize=64)  # a handful of combinations, asked once per line of thousands
def _role(is_organizer: bool, response: str, is_cancelled: bool) -> str:
    words = ["organizer" if is_organizer else "attendee"]
    word = RESPONSE_WORDS.get(response)
    if word is not None and not is_organizer:
        words.append(word)
    if is_cancelled:
        words.append("cancelled")
    return ",".join(words)


# Each column's length limit on a line (None: the field is cal365's own, short): the
# subject, the organizer and the id are cut as `tui.words.printable` cuts them.
_LIMITS = (None, None, DEFAULT_LIMIT, 200, DEFAULT_LIMIT)


def run(args: argparse.Namespace) -> int:
    def command() -> int:
        mailbox = mailbox_from(args)
        calendar = calendar_from(mailbox, args.calendar)
        tz = zone(timezone_name(args)) or dt.UTC
        start, end = window(args, tz)

        if getattr(args, "offline", False):
            return _offline(args, calendar, start, end, tz)

        async def body(session: Session) -> int:
            events: list[Event] = []
            async for page in session.client.calendar_view(calendar, start, end):
                events.extend(e for e in page if e.is_organizer or not args.mine)
            _emit(args, mailbox, calendar, start, end, session.timezone, events)
            return 0

        return with_graph(args, body)

    return guard(command)


def _offline(args: argparse.Namespace, calendar: CalendarRef, start: dt.datetime,
             end: dt.datetime, tz: dt.tzinfo) -> int:
    """The window from the cache alone: no request is sent; stderr says how old it is."""
    from tui.script.sync import as_of, opened_cache

    with opened_cache(args) as opened:
        if opened.memory_only:  # it starts empty with every command
            raise ScriptError(Exit.ERROR, f"nothing is cached to answer offline from: "
                              f"{opened.memory_only}; it starts empty every time. Run "
                              "without --offline, or keep the cache with a working keyring "
                              "or --cache plaintext")
        synced = opened.store.synced_at(calendar, start, end)
        if synced is None:
            raise ScriptError(Exit.ERROR, "the cache holds no copy of that window: run cal365 "
                              "sync with the same --from/--to (or open it in cal365) first")
        events = [e for e in opened.store.events(calendar, start, end, tz)
                  if e.is_organizer or not args.mine]
    warn(f"offline: from the local cache, {as_of(synced, tz)}")
    _emit(args, calendar.mailbox, calendar, start, end, timezone_name(args), events,
          synced.isoformat(timespec="seconds"))
    return 0


def _emit(args: argparse.Namespace, mailbox: Mailbox, calendar: CalendarRef,
          start: dt.datetime, end: dt.datetime, timezone: str, events: list[Event],
          as_of: str | None = None) -> None:
    odd = [e for e in events if e.unreadable]
    if odd:  # listed as far as they go; the fields Graph sent unreadable are named
        fields = sorted({name for e in odd for name in e.unreadable})
        many = "s" if len(odd) != 1 else ""
        warn(f"{len(odd)} event{many} came with fields that could not be read "
             f"({', '.join(fields)}): listed as far as possible")
    if args.json:
        from tui.actions.audit import mailbox_label

        emit_json({
            "mailbox": mailbox_label(mailbox),
            "calendarId": calendar.calendar_id,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "timeZone": timezone,
            "events": [event_json(e) for e in events],
            **({"cachedAsOf": as_of} if as_of else {}),
        })
    else:  # each field cut as `tui.words.printable` cuts it, then made inert
        emit_lines(((when_label(e), role_label(e), e.subject or "(no subject)",
                    e.organizer.label, e.id) for e in events), _LIMITS)

