"""Extra meetings for bulk and soak tests: many events the mailbox owner organizes."""

from __future__ import annotations

import datetime as dt

from . import ids
from .model import Attendee, Event, Person
from .store import Store


def add_meetings(
    store: Store,
    count: int,
    *,
    user: str | None = None,
    day: dt.date | None = None,
    subject: str = "Planning sync",
    organizer: Person | None = None,
    raw_ids: bool = False,
) -> list[str]:
    """Add `count` 30-minute meetings with two attendees to a mailbox's default calendar.

    They are organized by the mailbox owner unless `organizer` says otherwise (then the
    owner only attends, and a cancel is refused). Returns the new event ids.
    """
    with store.lock:
        box = store.mailbox(user)
        calendar = box.default_calendar
        who = organizer or box.owner
        guests = [Person("Jonas Weber", "jonas.weber@example.test"),
                  Person("Priya Natarajan", "priya.natarajan@example.test")]
        first = day or store.today
        added: list[str] = []
        serial = len(calendar.events)
        for n in range(count):
            serial += 1
            key = f"bulk:{subject}:{serial}:{n}"
            event_id = ids.store_id(box.key, "event", key, raw_chars=raw_ids)
            start = dt.datetime.combine(first + dt.timedelta(days=n // 16), dt.time(8),
                                        tzinfo=dt.UTC) + dt.timedelta(minutes=30 * (n % 16))
            uid = ids.ical_uid(box.key, key)
            ev = Event(
                id=event_id, subject=f"{subject} {n + 1}", start=start,
                end=start + dt.timedelta(minutes=30), organizer=who, calendar=calendar,
                attendees=[Attendee(p, response="accepted") for p in guests],
                response="organizer" if who.same(box.owner) else "accepted",
                change_key=ids.change_key(event_id), ical_uid=uid, uid=uid,
            )
            store.add_event(ev)
            added.append(event_id)
        return added
