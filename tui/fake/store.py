"""The in-memory tenant: directory, mailboxes, calendars, events, and the cancel operation
(replies and DELETE are tui/fake/replies.py, on top of it).

One re-entrant lock guards everything; the HTTP layer holds it for a whole request so every
response sees one consistent state.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterable
from typing import Any

from . import ids
from .model import (
    Calendar,
    CancellationNotice,
    CancelRecord,
    DirectoryRole,
    Event,
    Group,
    Mailbox,
    ReplyRecord,
    User,
)
from .recurrence import slots
from .render import Json, event_json, user_json

Predicate = Callable[[Json], bool]


def _overlaps(start: dt.datetime, end: dt.datetime, lo: dt.datetime, hi: dt.datetime) -> bool:
    if start == end:  # zero-length items count at their instant
        return lo <= start < hi
    return start < hi and end > lo


class Store:
    def __init__(self, today: dt.date) -> None:
        self.lock = threading.RLock()
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(7, 0), tzinfo=dt.UTC)
        self.users: dict[str, User] = {}
        self.groups: dict[str, Group] = {}
        self.directory_roles: dict[str, DirectoryRole] = {}
        # user id -> ids of the groups and directory roles they are a direct member of
        self.member_of: dict[str, list[str]] = {}
        self.mailboxes: dict[str, Mailbox] = {}
        self.me_id = ""
        self.sent_cancellations: list[CancellationNotice] = []
        self.cancel_log: list[CancelRecord] = []
        self.reply_log: list[ReplyRecord] = []
        self._upns: dict[str, User] = {}
        self._index: dict[str, Event] = {}
        # Singles and series masters by iCalendar uid: a reply or cancel finds the meeting's
        # other copies without scanning every event (a bulk decline of hundreds did).
        self._by_uid: dict[str, list[Event]] = {}
        self._occurrences: dict[str, tuple[Event, dt.datetime]] = {}
        self._occurrences_complete = False
        self._horizon = today + dt.timedelta(days=730)

    # ---- building -------------------------------------------------------------------------

    def add_user(self, user: User) -> User:
        self.users[user.id] = user
        self._upns[user.upn.lower()] = user
        return user

    def add_event(self, ev: Event) -> Event:
        if ev.type == "exception":
            master = self._index[ev.series_master_id or ""]
            assert ev.original_start is not None
            master.exceptions[ev.original_start] = ev
        else:
            ev.calendar.events[ev.id] = ev
            self._by_uid.setdefault(ev.uid, []).append(ev)
        self._index[ev.id] = ev
        return ev

    # ---- lookups --------------------------------------------------------------------------

    @property
    def me_user(self) -> User:
        return self.users[self.me_id]

    @property
    def me(self) -> Json:
        """The signed-in user's directory record (Graph JSON)."""
        with self.lock:
            return user_json(self.me_user)

    def user(self, key: str) -> User | None:
        """A user by id or userPrincipalName (case-insensitive)."""
        found = self.users.get(key)
        if found is None:
            found = next((u for u in self.users.values() if u.id.lower() == key.lower()), None)
        return found or self._upns.get(key.lower())

    def group(self, key: str) -> Group | None:
        return self.groups.get(key) or self.groups.get(key.lower())

    def memberships(self, user_id: str) -> list[Group | DirectoryRole]:
        """What /users/{id}/memberOf lists, in the order it was added."""
        found: list[Group | DirectoryRole] = []
        for key in self.member_of.get(user_id, []):
            item = self.groups.get(key) or self.directory_roles.get(key)
            if item is not None:
                found.append(item)
        return found

    def mailbox(self, key: str | None = None) -> Mailbox:
        """A mailbox by user id/UPN or group id; None means the signed-in user's."""
        if key is None:
            return self.mailboxes[self.me_id]
        user = self.user(key)
        owner_key = user.id if user is not None else key.lower()
        return self.mailboxes[owner_key]

    def lookup_event(self, event_id: str) -> Event | None:
        """A live event, exception or occurrence by id, wherever it lives."""
        ev = self._index.get(event_id)
        if ev is not None:
            return ev
        hit = self._occurrences.get(event_id)
        if hit is None and not self._occurrences_complete:
            self._index_all_occurrences()
            hit = self._occurrences.get(event_id)
        if hit is None:
            return None
        master, slot = hit
        if self._index.get(master.id) is not master:
            return None
        if slot in master.removed_slots or slot in master.exceptions:
            return None
        return self._occurrence(master, slot)

    def _index_all_occurrences(self) -> None:
        for ev in list(self._index.values()):
            if ev.type == "seriesMaster" and ev.recurrence is not None:
                for slot in slots(ev.recurrence, ev.start, self._horizon):
                    self._occurrence(ev, slot)
        self._occurrences_complete = True

    def _occurrence(self, master: Event, slot: dt.datetime) -> Event:
        occ_id = ids.derived(master.id, "occurrence", slot.isoformat())
        self._occurrences[occ_id] = (master, slot)
        return dataclasses.replace(
            master,
            id=occ_id,
            type="occurrence",
            recurrence=None,
            series_master_id=master.id,
            original_start=slot,
            start=slot,
            end=slot + (master.end - master.start),
            is_cancelled=master.is_cancelled or slot in master.cancelled_slots,
            ical_uid=ids.ical_uid(master.uid, slot.isoformat()),
            removed_slots=set(),
            cancelled_slots=set(),
            exceptions={},
        )

    # ---- collections ----------------------------------------------------------------------

    @staticmethod
    def unexpanded(calendars: Iterable[Calendar]) -> list[Event]:
        """Single instances and series masters, as `/events` lists them."""
        return [ev for cal in calendars for ev in cal.target.events.values()]

    def expanded(
        self, calendars: Iterable[Calendar], lo: dt.datetime, hi: dt.datetime,
        tz: dt.tzinfo = dt.UTC,
    ) -> list[Event]:
        """Single instances, occurrences and exceptions overlapping [lo, hi)."""
        out: list[Event] = []
        for ev in self.unexpanded(calendars):
            if ev.type == "seriesMaster":
                out.extend(self.instances(ev, lo, hi))
            elif self._in_window(ev, lo, hi, tz):
                out.append(ev)
        out.sort(key=lambda e: (e.start, e.end, e.subject, e.id))
        return out

    def instances(self, master: Event, lo: dt.datetime, hi: dt.datetime) -> list[Event]:
        """Occurrences and exceptions of a series in [lo, hi), minus removed ones."""
        assert master.recurrence is not None
        out: list[Event] = []
        duration = master.end - master.start
        horizon = hi.date() + dt.timedelta(days=1)
        for slot in slots(master.recurrence, master.start, horizon):
            if slot in master.removed_slots:
                continue
            exception = master.exceptions.get(slot)
            if exception is not None:
                if _overlaps(exception.start, exception.end, lo, hi):
                    out.append(exception)
            elif _overlaps(slot, slot + duration, lo, hi):
                out.append(self._occurrence(master, slot))
        return out

    @staticmethod
    def _in_window(ev: Event, lo: dt.datetime, hi: dt.datetime, tz: dt.tzinfo) -> bool:
        if ev.is_all_day:
            # All-day items float: midnight-to-midnight in the zone the caller views in.
            start = dt.datetime.combine(ev.start.date(), dt.time(), tzinfo=tz)
            end = dt.datetime.combine(ev.end.date(), dt.time(), tzinfo=tz)
            return _overlaps(start, end, lo, hi)
        return _overlaps(ev.start, ev.end, lo, hi)

    # ---- cancel ---------------------------------------------------------------------------

    def own_instance(self, ev: Event, now: dt.datetime) -> Event:
        """The event itself, or for an occurrence an exception made of it (same id), so that
        a change to one occurrence stays on that occurrence, as Exchange does."""
        if ev.type != "occurrence":
            return ev
        master = self._index[ev.series_master_id or ""]
        slot = ev.original_start
        assert slot is not None
        exception = dataclasses.replace(
            ev, type="exception",
            attendees=[dataclasses.replace(a) for a in ev.attendees],
            categories=list(ev.categories),
        )
        master.exceptions[slot] = exception
        self._index[exception.id] = exception
        self.touch(exception, now)
        return exception

    def occurrence_at(self, master: Event, slot: dt.datetime) -> Event | None:
        """A series' instance at `slot` (an exception or an occurrence), None if removed."""
        if slot in master.removed_slots:
            return None
        return master.exceptions.get(slot) or self._occurrence(master, slot)

    def copies(self, ev: Event) -> list[Event]:
        """The other mailboxes' singles and series masters of the same meeting (same uid)."""
        return [copy for copy in self._by_uid.get(ev.uid, ())
                if self._index.get(copy.id) is copy  # not removed since
                and copy.calendar.target is not ev.calendar.target]

    @staticmethod
    def touch(ev: Event, now: dt.datetime) -> None:
        ev.modified = now
        ev.change_key = ids.change_key(ev.id, now.isoformat())

    def cancel(self, ev: Event, comment: str | None) -> None:
        """Cancel as the organizer: move to Deleted Items (or drop the slot), notify attendees.

        The caller has already checked write access and that the owner organizes `ev`.
        """
        now = dt.datetime.now(dt.UTC)
        calendar = ev.calendar.target
        moved_id, slot = self._remove(ev, now)
        recipients = tuple(
            a.person.address for a in ev.attendees
            if not a.person.same(ev.organizer) and a.type != "resource"
        )
        send = comment != "" and bool(recipients)
        if send:
            self.sent_cancellations.append(CancellationNotice(
                event_id=ev.id, subject=ev.subject, comment=comment, recipients=recipients,
                organizer=ev.organizer.address, occurrence_start=slot,
            ))
        self.cancel_log.append(CancelRecord(ev.id, ev.subject, comment, send, moved_id))
        if send:
            self._mark_attendee_copies(ev, calendar, slot, now)

    def _remove(self, ev: Event, now: dt.datetime) -> tuple[str | None, dt.datetime | None]:
        """Take `ev` out of its calendar: a series slot is dropped, anything else moves to
        Deleted Items under a new id. Returns (new id, dropped slot)."""
        calendar = ev.calendar.target
        mailbox = calendar.mailbox
        moved_id: str | None = None
        slot: dt.datetime | None = None
        if ev.type in ("occurrence", "exception"):
            master = self._index[ev.series_master_id or ""]
            slot = ev.original_start
            assert slot is not None
            master.removed_slots.add(slot)
            master.exceptions.pop(slot, None)
            self._index.pop(ev.id, None)
            master.modified = now
            master.change_key = ids.change_key(master.id, now.isoformat())
        else:
            del calendar.events[ev.id]
            del self._index[ev.id]
            for exception in ev.exceptions.values():
                self._index.pop(exception.id, None)
            # Exchange ids change when an item moves folders.
            moved_id = ids.derived(ev.id, "deleteditems")
            mailbox.deleted_items.append(
                dataclasses.replace(ev, id=moved_id, modified=now,
                                    change_key=ids.change_key(moved_id, now.isoformat()))
            )
        return moved_id, slot

    def _mark_attendee_copies(
        self, ev: Event, calendar: Calendar, slot: dt.datetime | None, now: dt.datetime
    ) -> None:
        for copy in list(self._index.values()):
            if copy.calendar.target is calendar or copy.uid != ev.uid:
                continue
            if slot is None:
                copy.is_cancelled = True
            elif copy.type == "seriesMaster":
                copy.cancelled_slots.add(slot)
                exception = copy.exceptions.get(slot)
                if exception is not None:
                    exception.is_cancelled = True
            else:
                continue
            copy.modified = now
            copy.change_key = ids.change_key(copy.id, now.isoformat())

    # ---- helpers for tests ----------------------------------------------------------------

    def _calendars(self, user: str | None, calendar_id: str | None) -> list[Calendar]:
        box = self.mailbox(user)
        if calendar_id is None:
            return box.own_calendars()
        return [box.calendars[calendar_id]]

    def find_events(
        self, predicate: Predicate | None = None, *, user: str | None = None,
        calendar_id: str | None = None,
    ) -> list[Json]:
        """Unexpanded events (singles and series masters) as UTC Graph JSON.

        `user` is a user id/UPN or group id (default: the signed-in user); without
        `calendar_id` every calendar the mailbox itself holds is searched.
        """
        with self.lock:
            found = [event_json(ev) for ev in self.unexpanded(self._calendars(user, calendar_id))]
        return [item for item in found if predicate is None or predicate(item)]

    def calendar_view(
        self, start: dt.datetime, end: dt.datetime, predicate: Predicate | None = None, *,
        user: str | None = None, calendar_id: str | None = None,
    ) -> list[Json]:
        """Expanded events overlapping [start, end) as UTC Graph JSON (default calendar)."""
        with self.lock:
            box = self.mailbox(user)
            cals = [box.calendars[calendar_id] if calendar_id else box.default_calendar]
            found = [event_json(ev) for ev in self.expanded(cals, start, end)]
        return [item for item in found if predicate is None or predicate(item)]

    def event_json(self, event_id: str) -> Json | None:
        """Any live event/occurrence by id, as UTC Graph JSON; None if gone."""
        with self.lock:
            ev = self.lookup_event(event_id)
            return event_json(ev) if ev is not None else None

    def deleted_items(self, user: str | None = None) -> list[Json]:
        """Events moved to that mailbox's Deleted Items (with their new ids)."""
        with self.lock:
            return [event_json(ev) for ev in self.mailbox(user).deleted_items]

    def default_calendar_id(self, user: str | None = None) -> str:
        with self.lock:
            return self.mailbox(user).default_calendar.id

    def calendar_ids(self, user: str | None = None) -> dict[str, str]:
        """Calendar name -> id for a mailbox (including calendars shared with it)."""
        with self.lock:
            return {c.name: c.id for c in self.mailbox(user).calendars.values()}

    def snapshot(self) -> dict[str, Any]:
        """Counts, for debugging and quick assertions."""
        with self.lock:
            return {
                key: {c.name: len(c.target.events) for c in box.calendars.values()}
                for key, box in self.mailboxes.items()
            }
