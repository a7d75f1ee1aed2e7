"""Extra events for tests and benchmarks.

`add_meetings`: many meetings the mailbox owner organizes, for bulk and soak tests.
`add_bulk_events`: many synthetic events of realistic size, for benchmarks of big calendars:
each looks like a busy Outlook mailbox's (a 148-character Exchange id, three to twelve
attendees with responses, a body preview, a room or a Teams link), deterministic for a given
seed and spread evenly over the days asked for, in office hours.
"""

from __future__ import annotations

import datetime as dt
import random

from . import ids
from .model import Attendee, Calendar, Event, Person
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
    response: str = "accepted",
) -> list[str]:
    """Add `count` 30-minute meetings with two attendees to a mailbox's default calendar.

    They are organized by the mailbox owner unless `organizer` says otherwise (then the
    owner only attends, and a cancel is refused, with `response` as the owner's answer so
    far: e.g. "notResponded" for invitations to reply to). Returns the new event ids.
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
                response="organizer" if who.same(box.owner) else response,
                change_key=ids.change_key(event_id), ical_uid=uid, uid=uid,
            )
            store.add_event(ev)
            added.append(event_id)
        return added


_SUBJECTS = (
    "Roadmap check-in", "Hiring loop debrief", "Design review: calendar sync", "Sprint planning",
    "Pricing workshop", "Vendor evaluation", "Release go/no-go", "Customer call: Northwind",
    "Incident postmortem", "Finance sync", "Security review", "UX research readout",
    "Обзор квартального плана", "週次レビュー", "🚀 Launch readiness", "Team lunch 🍜",
)
_ROOMS = ("Conference Room Fjord (B2.14)", "Spree 3.01 – Berlin HQ", "Huddle Room Kiefer",
          "Auditorium", "Meeting Room Mühle (B1.07)", "Microsoft Teams Meeting")
_GIVEN = ("Mira", "Tomás", "Yuki", "Olga", "Dimitris", "Layla", "Priya", "Chen", "Sofia",
          "Ahmed", "Hannah", "Lukas", "Emma", "Noah", "Aiko", "Björn", "Zoë", "Rafael")
_SURNAMES = ("Okafor", "Ferreira", "Tanaka", "Ivanova", "Papadopoulos", "Haddad", "Raman",
             "Wei", "Lindqvist", "Nasser", "Schmidt", "Novak", "Dubois", "Williams")
_RESPONSES = ("accepted", "accepted", "accepted", "tentativelyAccepted", "declined", "none")
_BODY = (
    "Agenda for “{subject}”:\n- Status and open questions\n- Decisions needed\n- Next steps "
    "and owners\n\nPlease read the notes linked in the channel before we meet; we will not "
    "walk through them again. Dial-in details below.\n"
)


def add_bulk_events(
    store: Store,
    count: int,
    *,
    first_day: dt.date,
    days: int,
    calendar: Calendar | None = None,
    seed: int = 7,
) -> Calendar:
    """Add `count` single events to `calendar` (default: the signed-in user's own), spread
    over `days` days from `first_day`; a third of them organized by that user."""
    if count < 0 or days < 1:
        raise ValueError("count must be >= 0 and days >= 1")
    rng = random.Random(seed)
    with store.lock:
        box = store.mailbox()
        cal = calendar or box.default_calendar
        me = box.owner
        domain = me.address.partition("@")[2] or "example.com"
        people = [
            Person(f"{given} {surname}", f"{given}.{surname}@{domain}".lower())
            for given in _GIVEN for surname in _SURNAMES
        ]
        per_day = max(1, -(-count // days))
        minutes_per_event = max(1, (10 * 60) // per_day)
        base_id = ids.store_id(box.key, "bulk", str(seed))
        created = store.now - dt.timedelta(days=30)
        for serial in range(count):
            day = first_day + dt.timedelta(days=serial // per_day)
            offset = (serial % per_day) * minutes_per_event
            start = dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=dt.UTC) + dt.timedelta(
                minutes=offset)
            subject = _SUBJECTS[serial % len(_SUBJECTS)]
            organized = serial % 3 == 0
            guests = rng.sample(people, rng.randint(3, 12))
            organizer = me if organized else guests[0]
            attendees = [Attendee(p, "required" if i % 4 else "optional", rng.choice(_RESPONSES))
                         for i, p in enumerate(guests) if p != organizer]
            if not organized:
                attendees.append(Attendee(me, "required", "accepted"))
            room = _ROOMS[serial % len(_ROOMS)]
            # Derived ids are as long as real ones but far cheaper than one hash chain each.
            event_id = f"{base_id[:-12]}{serial:08d}AAA="
            event = Event(
                id=event_id, subject=f"{subject} #{serial}", start=start,
                end=start + dt.timedelta(minutes=max(minutes_per_event, 15)),
                organizer=organizer, calendar=cal, attendees=attendees,
                response="organizer" if organized else "accepted",
                body_text=_BODY.format(subject=subject), location=room,
                join_url=(f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{serial:024d}"
                          "%40thread.v2/0") if room.startswith("Microsoft") else None,
                created=created, modified=created, change_key=ids.change_key(event_id),
                ical_uid=ids.ical_uid(event_id), uid=ids.ical_uid(event_id),
            )
            store.add_event(event)
    return cal
