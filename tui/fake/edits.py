"""Changes made "elsewhere" (Outlook, a phone) while a client is not looking, for tests.

Each edit bumps the event's change key and last-modified time as Exchange does, so delta
rounds and etags see it. `FakeGraph.add_event`, `change_event` and `remove_event` wrap these.
"""

from __future__ import annotations

import datetime as dt
import itertools

from . import ids
from .model import Attendee, Event, Person
from .store import Store

_serial = itertools.count(1)


def _touch(ev: Event) -> None:
    now = dt.datetime.now(dt.UTC)
    ev.modified = now
    ev.change_key = ids.change_key(ev.id, now.isoformat(), str(next(_serial)))


def add_event(
    store: Store, subject: str, start: dt.datetime, end: dt.datetime, *,
    user: str | None = None, calendar_id: str | None = None,
    attendees: tuple[Person, ...] = (), location: str = "",
) -> str:
    """A single event organized by the mailbox owner; returns its id."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("event times must carry a time zone")
    if end < start:
        raise ValueError("an event cannot end before it starts")
    with store.lock:
        box = store.mailbox(user)
        calendar = (box.calendars[calendar_id] if calendar_id else box.default_calendar).target
        key = f"edit:{subject}:{start.isoformat()}:{next(_serial)}"
        event_id = ids.store_id(box.key, "event", key)
        uid = ids.ical_uid(box.key, key)
        now = dt.datetime.now(dt.UTC)
        ev = Event(
            id=event_id, subject=subject, start=start.astimezone(dt.UTC),
            end=end.astimezone(dt.UTC), organizer=calendar.owner, calendar=calendar,
            attendees=[Attendee(p) for p in attendees], location=location,
            created=now, modified=now, change_key=ids.change_key(event_id, now.isoformat()),
            ical_uid=uid, uid=uid,
        )
        store.add_event(ev)
        return event_id


def change_event(
    store: Store, event_id: str, *, subject: str | None = None,
    start: dt.datetime | None = None, end: dt.datetime | None = None,
    location: str | None = None,
) -> None:
    """Change a single event, a series master or an exception in place.

    A series master takes a new subject or location (every occurrence shows it), not new
    times; an occurrence cannot be changed here (Outlook would make it an exception first).
    KeyError for an unknown id, ValueError for what is not supported.
    """
    with store.lock:
        ev = store.lookup_event(event_id)
        if ev is None:
            raise KeyError(event_id)
        if ev.type == "occurrence":
            raise ValueError("change the series or one of its exceptions, not an occurrence")
        if (start is None) != (end is None):
            duration = ev.end - ev.start
            start = start if start is not None else (end - duration if end else None)
            end = end if end is not None else (start + duration if start else None)
        if start is not None and end is not None:
            if start.tzinfo is None or end.tzinfo is None:
                raise ValueError("event times must carry a time zone")
            if ev.type == "seriesMaster":
                raise ValueError("moving a whole series is not supported here")
            ev.start, ev.end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
        if subject is not None:
            ev.subject = subject
        if location is not None:
            ev.location = location
        _touch(ev)


def remove_event(store: Store, event_id: str) -> None:
    """Delete an event, occurrence or exception without notifying anyone (KeyError if gone)."""
    with store.lock:
        ev = store.lookup_event(event_id)
        if ev is None:
            raise KeyError(event_id)
        store._remove(ev, dt.datetime.now(dt.UTC))
