"""Typed views of Graph resources, parsed defensively.

Other mailboxes hold data we never saw: a field of an unexpected type or a missing field yields
a neutral default instead of an exception, so one odd event cannot break a whole listing.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from typing import Any

from tui.graph.recurrence import Recurrence
from tui.graph.timezones import zone
from tui.graph.urls import CalendarRef, EventRef, Mailbox

JSON = dict[str, Any]

# What the events pane and the detail pane show; nothing more is fetched.
EVENT_SELECT = (
    "id,subject,start,end,isAllDay,isOrganizer,isCancelled,type,seriesMasterId,organizer,"
    "attendees,responseStatus,location,isOnlineMeeting,onlineMeeting,onlineMeetingUrl,"
    "bodyPreview,webLink,showAs,recurrence"
)


def _str(obj: JSON, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _bool(obj: JSON, key: str) -> bool:
    return obj.get(key) is True


def _dict(obj: JSON, key: str) -> JSON:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


# The same people, with the same responses, recur across thousands of events: each distinct
# one is built once and shared (they are immutable), which keeps a big window's memory and
# parse time down. Bounded, so an endless session cannot grow it without limit.
_SHARED_MAX = 50_000
_people: dict[tuple[str, str], Person] = {}
_attendees: dict[tuple[str, str, str, str], Attendee] = {}


def _shared_person(name: str, address: str) -> Person:
    key = (name, address)
    person = _people.get(key)
    if person is None:
        if len(_people) >= _SHARED_MAX:
            _people.clear()
        person = _people[key] = Person(name, address)
    return person


@dataclass(frozen=True, slots=True)
class User:
    id: str
    display_name: str
    user_principal_name: str
    mail: str

    @classmethod
    def from_json(cls, obj: JSON) -> User:
        return cls(
            id=_str(obj, "id"),
            display_name=_str(obj, "displayName"),
            user_principal_name=_str(obj, "userPrincipalName"),
            mail=_str(obj, "mail"),
        )


@dataclass(frozen=True, slots=True)
class Group:
    """A Microsoft 365 group the user belongs to; its calendar is under /groups/{id}."""

    id: str
    display_name: str
    mail: str

    @classmethod
    def from_json(cls, obj: JSON) -> Group | None:
        """A Microsoft 365 ("Unified") group, or None for other directory objects."""
        types = obj.get("groupTypes")
        is_group = obj.get("@odata.type", "#microsoft.graph.group") == "#microsoft.graph.group"
        if not is_group or not isinstance(types, list) or "Unified" not in types:
            return None
        group_id = _str(obj, "id")
        if not group_id:
            return None
        return cls(
            group_id, _str(obj, "displayName") or _str(obj, "mail") or group_id, _str(obj, "mail")
        )

    def as_calendar(self) -> Calendar:
        """The group's one (default) calendar, described without reading it: reading it needs
        a group permission, asked for only when the user opens it. Members may edit it."""
        return Calendar(id="", name=self.display_name, owner_name=self.display_name,
                        owner_address=self.mail, can_edit=True, is_default=True)


@dataclass(frozen=True, slots=True)
class CalendarGroup:
    id: str
    name: str

    @classmethod
    def from_json(cls, obj: JSON) -> CalendarGroup:
        return cls(id=_str(obj, "id"), name=_str(obj, "name") or "(unnamed group)")


@dataclass(frozen=True, slots=True)
class Calendar:
    id: str
    name: str
    owner_name: str
    owner_address: str
    can_edit: bool
    is_default: bool

    @classmethod
    def from_json(cls, obj: JSON) -> Calendar:
        owner = _dict(obj, "owner")
        return cls(
            id=_str(obj, "id"),
            name=_str(obj, "name") or "(unnamed calendar)",
            owner_name=_str(owner, "name"),
            owner_address=_str(owner, "address"),
            can_edit=_bool(obj, "canEdit"),
            is_default=_bool(obj, "isDefaultCalendar"),
        )


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    address: str

    @classmethod
    def from_recipient(cls, obj: JSON) -> Person:
        email = _dict(obj, "emailAddress")
        return _shared_person(_str(email, "name"), _str(email, "address"))

    @property
    def label(self) -> str:
        return self.name or self.address or "(unknown)"


@dataclass(frozen=True, slots=True)
class Attendee:
    person: Person
    type: str
    response: str

    @classmethod
    def from_json(cls, obj: JSON) -> Attendee:
        email = _dict(obj, "emailAddress")
        name, address = _str(email, "name"), _str(email, "address")
        kind = _str(obj, "type") or "required"
        response = _str(_dict(obj, "status"), "response") or "none"
        return cls.shared(name, address, kind, response)

    @classmethod
    def shared(cls, name: str, address: str, kind: str, response: str) -> Attendee:
        """The one object for these values: big windows repeat the same attendees."""
        key = (name, address, kind, response)
        attendee = _attendees.get(key)
        if attendee is None:
            if len(_attendees) >= _SHARED_MAX:
                _attendees.clear()
            attendee = _attendees[key] = cls(_shared_person(name, address), kind, response)
        return attendee


def parse_datetime(obj: JSON, fallback: dt.tzinfo) -> dt.datetime | None:
    """A dateTimeTimeZone as an aware datetime: wall time in the zone Graph names.

    The zone may be an IANA or a Windows name; an unknown one is taken as the zone we asked
    for with `Prefer: outlook.timezone`, which is what Graph answers in.
    """
    raw = _str(obj, "dateTime")
    if not raw:
        return None
    # Graph sends seven fractional digits; fromisoformat takes at most six.
    head, _, frac = raw.partition(".")
    try:
        parsed = dt.datetime.fromisoformat(head)
    except ValueError:
        return None
    if frac:
        digits = "".join(ch for ch in frac if ch.isdigit())[:6]
        if digits:
            parsed = parsed.replace(microsecond=int(digits.ljust(6, "0")))
    if parsed.tzinfo is not None:
        return parsed
    return parsed.replace(tzinfo=zone(_str(obj, "timeZone")) or fallback)


@dataclass(frozen=True, slots=True)
class Event:
    """One event as found in one calendar; `ref` is where a cancel must be sent."""

    ref: EventRef
    subject: str
    start: dt.datetime | None
    end: dt.datetime | None
    is_all_day: bool
    is_organizer: bool
    is_cancelled: bool
    type: str
    series_master_id: str | None
    organizer: Person
    attendees: tuple[Attendee, ...]
    my_response: str
    location: str
    online_meeting_url: str
    body_preview: str
    web_link: str
    show_as: str
    recurrence: Recurrence | None = None
    """The pattern, on series masters only (occurrences carry none)."""
    unreadable: tuple[str, ...] = ()
    """Fields Graph sent in a form that could not be read (shown as unknown or empty)."""

    @property
    def id(self) -> str:
        return self.ref.event_id

    @property
    def is_occurrence(self) -> bool:
        return self.type in ("occurrence", "exception")

    @property
    def is_recurring(self) -> bool:
        return self.is_occurrence or self.type == "seriesMaster"

    @property
    def notified_attendees(self) -> tuple[Attendee, ...]:
        """Who a cancellation notice goes to: everyone but resources like rooms."""
        return tuple(a for a in self.attendees if a.type != "resource")

    @classmethod
    def from_json(
        cls, obj: JSON, mailbox: Mailbox, calendar: CalendarRef | None, tz: dt.tzinfo
    ) -> Event:
        start = parse_datetime(_dict(obj, "start"), tz)
        end = parse_datetime(_dict(obj, "end"), tz)
        is_all_day = _bool(obj, "isAllDay")
        if not is_all_day:
            start = start.astimezone(tz) if start else None
            end = end.astimezone(tz) if end else None
        attendees_raw = obj.get("attendees")
        attendees = tuple(
            Attendee.from_json(a)
            for a in (attendees_raw if isinstance(attendees_raw, list) else [])
            if isinstance(a, dict)
        )
        online = _str(_dict(obj, "onlineMeeting"), "joinUrl") or _str(obj, "onlineMeetingUrl")
        unreadable = _unreadable(obj, start, end)
        return cls(
            ref=EventRef(_str(obj, "id"), mailbox, calendar),
            subject=_str(obj, "subject"),
            start=start,
            end=end,
            is_all_day=is_all_day,
            is_organizer=_bool(obj, "isOrganizer"),
            is_cancelled=_bool(obj, "isCancelled"),
            type=sys.intern(_str(obj, "type") or "singleInstance"),
            series_master_id=_str(obj, "seriesMasterId") or None,
            organizer=Person.from_recipient(_dict(obj, "organizer")),
            attendees=attendees,
            my_response=sys.intern(_str(_dict(obj, "responseStatus"), "response") or "none"),
            location=_str(_dict(obj, "location"), "displayName"),
            online_meeting_url=online,
            body_preview=_str(obj, "bodyPreview"),
            web_link=_str(obj, "webLink"),
            show_as=sys.intern(_str(obj, "showAs")),
            recurrence=Recurrence.from_json(obj.get("recurrence")),
            unreadable=unreadable,
        )


_TEXT_FIELDS = ("subject", "bodyPreview", "webLink")
_OBJECT_FIELDS = ("organizer", "location", "responseStatus")


def _unreadable(obj: JSON, start: dt.datetime | None, end: dt.datetime | None) -> tuple[str, ...]:
    """The fields of an event that were sent but could not be read. Missing ones are not
    listed: `$select` or the item type may leave them out."""
    odd = [name for name in _TEXT_FIELDS if name in obj and not isinstance(obj[name], str)]
    odd += [name for name in _OBJECT_FIELDS if name in obj and not isinstance(obj[name], dict)]
    if "attendees" in obj and not isinstance(obj["attendees"], list):
        odd.append("attendees")
    for name, parsed in (("start", start), ("end", end)):
        if name in obj and parsed is None:
            odd.append(name)
    return tuple(odd)
