"""Typed views of Graph resources, parsed defensively.

Other mailboxes hold data we never saw: a field of an unexpected type or a missing field yields
a neutral default instead of an exception, so one odd event cannot break a whole listing.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui.graph.recurrence import Recurrence
from tui.graph.timezones import zone
from tui.graph.urls import CalendarRef, EventRef, Mailbox

JSON = dict[str, Any]

# What the events pane and the detail pane show, the filter matches, bulk cancel and the
# cache need; nothing more is fetched (every field here is read by Event.from_json).
EVENT_SELECT = (
    "id,subject,start,end,isAllDay,isOrganizer,isCancelled,type,seriesMasterId,organizer,"
    "attendees,responseStatus,location,onlineMeeting,onlineMeetingUrl,"
    "bodyPreview,webLink,showAs,recurrence,allowNewTimeProposals,responseRequested"
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


def shared_person(name: str, address: str) -> Person:
    """The one Person for these values (see above)."""
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
        return shared_person(_str(email, "name"), _str(email, "address"))

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
            attendee = _attendees[key] = cls(shared_person(name, address), kind, response)
        return attendee


def parse_datetime(obj: JSON, fallback: dt.tzinfo) -> dt.datetime | None:
    """A dateTimeTimeZone as an aware datetime: wall time in the zone Graph names.

    The zone may be an IANA or a Windows name; an unknown one is taken as the zone we asked
    for with `Prefer: outlook.timezone`, which is what Graph answers in.
    """
    raw = _str(obj, "dateTime")
    if not raw:
        return None
    if len(raw) == 27 and raw[19] == "." and raw[20:].isdigit():
        # Graph's usual form, 2026-11-23T07:00:00.0000000: fromisoformat (3.11) reads it
        # whole, the seventh digit cut off as below.
        try:
            parsed = dt.datetime.fromisoformat(raw)
        except ValueError:
            pass  # read below, as any other form
        else:
            # combine is several times quicker than replace(tzinfo=...), same value
            return dt.datetime.combine(parsed.date(), parsed.time(),
                                       zone(_str(obj, "timeZone")) or fallback)
    # Other forms: fromisoformat takes at most six fractional digits before 3.11 and
    # accepts no stray characters after them.
    head, _, frac = raw.partition(".")
    try:
        parsed = dt.datetime.fromisoformat(head)
    except ValueError:
        return None
    if frac:
        # ASCII digits only: str.isdigit() is true of "²" and other digits int() refuses.
        digits = "".join(ch for ch in frac if ch in "0123456789")[:6]
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
    allow_new_time_proposals: bool = True
    """The organizer lets invitees propose a new time (Graph's default: true)."""
    response_requested: bool = True
    """The organizer asked for responses (Graph's default: true); when not, a reply that
    sends one is refused."""

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
        # Built for every event of a window (10,000s at a time), so the usual case takes
        # the short paths: shared attendees and moments found with one lookup, and the
        # field-by-field check for unreadable values only when a quick one fails.
        get = obj.get
        is_all_day = get("isAllDay") is True
        start = _moment(get("start"), tz, is_all_day)
        end = _moment(get("end"), tz, is_all_day)
        attendees_raw = get("attendees")
        attendees = _attendee_tuple(attendees_raw) if isinstance(attendees_raw, list) else ()
        subject, preview, link = get("subject"), get("bodyPreview"), get("webLink")
        organizer, location, status = get("organizer"), get("location"), get("responseStatus")
        unreadable: tuple[str, ...] = ()
        if not (
            isinstance(subject, str) and isinstance(preview, str) and isinstance(link, str)
            and isinstance(organizer, dict) and isinstance(location, dict)
            and isinstance(status, dict) and isinstance(attendees_raw, list)
            and start is not None and end is not None
        ):
            unreadable = _unreadable(obj, start, end)
            organizer = organizer if isinstance(organizer, dict) else {}
            location = location if isinstance(location, dict) else {}
            status = status if isinstance(status, dict) else {}
        meeting = get("onlineMeeting")
        online = meeting.get("joinUrl") if isinstance(meeting, dict) else None
        if not isinstance(online, str) or not online:
            online = _str(obj, "onlineMeetingUrl")
        return cls(
            ref=EventRef(_str(obj, "id"), mailbox, calendar),
            subject=subject if isinstance(subject, str) else "",
            start=start,
            end=end,
            is_all_day=is_all_day,
            is_organizer=get("isOrganizer") is True,
            is_cancelled=get("isCancelled") is True,
            type=sys.intern(_str(obj, "type") or "singleInstance"),
            series_master_id=_str(obj, "seriesMasterId") or None,
            organizer=_organizer(organizer),
            attendees=attendees,
            my_response=sys.intern(_str(status, "response") or "none"),
            location=_str(location, "displayName"),
            online_meeting_url=online,
            body_preview=preview if isinstance(preview, str) else "",
            web_link=link if isinstance(link, str) else "",
            show_as=sys.intern(_str(obj, "showAs")),
            recurrence=Recurrence.from_json(get("recurrence")),
            unreadable=unreadable,
            # Absent (or odd) reads as Graph's default.
            allow_new_time_proposals=get("allowNewTimeProposals") is not False,
            response_requested=get("responseRequested") is not False,
        )


def shared_attendees(keys: Iterable[tuple[str, str, str, str]]) -> tuple[Attendee, ...]:
    """The attendees of (name, address, type, response) values, each the one object for
    its values (`Attendee.shared`), found with a single lookup when seen before."""
    pool = _attendees
    found: list[Attendee] = []
    for key in keys:
        attendee = pool.get(key)
        found.append(attendee if attendee is not None else Attendee.shared(*key))
    return tuple(found)


def _attendee_tuple(items: list[Any]) -> tuple[Attendee, ...]:
    """The attendees of a JSON list: one seen before (the usual case in a big window) is
    found with a single lookup of its four values; any other goes the defensive way."""
    pool = _attendees
    found: list[Attendee] = []
    for item in items:
        try:
            email = item["emailAddress"]
            key = (email["name"], email["address"], item["type"], item["status"]["response"])
            found.append(pool[key])
        except (KeyError, TypeError):  # new, incomplete or odd: the defensive way
            if isinstance(item, dict):
                found.append(Attendee.from_json(item))
    return tuple(found)


def _organizer(obj: JSON) -> Person:
    try:
        email = obj["emailAddress"]
        return _people[(email["name"], email["address"])]
    except (KeyError, TypeError):
        return Person.from_recipient(obj)


# Moments as parsed, by (dateTime, timeZone, viewer's zone, all day): a window's events
# share start and end times (meetings begin on the hour), and parsing one costs more than
# finding it. Listings come sorted by start, so recent moments are the ones met again: a
# small bound (about 4 MB when full) keeps nearly every hit.
_MOMENTS_MAX = 16_384
_moments: dict[tuple[str, str, dt.tzinfo, bool], dt.datetime | None] = {}


def _moment(value: Any, tz: dt.tzinfo, all_day: bool) -> dt.datetime | None:
    """A start or end: a timed event's in the viewer's zone `tz`, an all-day one's as
    Graph gives its dates."""
    if not isinstance(value, dict):
        return None
    raw, name = value.get("dateTime"), value.get("timeZone")
    if not (isinstance(raw, str) and isinstance(name, str)):
        return _parse_moment(value, tz, all_day)
    return moment_of(raw, name, tz, all_day)


def moment_of(raw: str, name: str, tz: dt.tzinfo, all_day: bool) -> dt.datetime | None:
    """A start or end given as its dateTime `raw` and timeZone `name` (see `_moment`)."""
    key = (raw, name, tz, all_day)
    try:
        return _moments[key]
    except KeyError:
        pass
    moment = _parse_moment({"dateTime": raw, "timeZone": name}, tz, all_day)
    if len(_moments) >= _MOMENTS_MAX:
        _moments.clear()
    _moments[key] = moment
    return moment


def _parse_moment(value: JSON, tz: dt.tzinfo, all_day: bool) -> dt.datetime | None:
    moment = parse_datetime(value, tz)
    return None if moment is None else usable_moment(moment, tz, all_day)


# A moment within days of the ends of what datetime holds (years 1 and 9999) overflows when
# it is moved to another zone, a day is added to it, or it is sorted or shown in UTC: Graph
# does send 0001-01-01 for "no date". Such a moment is unreadable, as one of the wrong type
# is: the event is shown without it, and never breaks the listing. A week of margin covers
# every zone's offset and a day's arithmetic on either side.
_EARLIEST = dt.datetime(1, 1, 8, tzinfo=dt.UTC)
_LATEST = dt.datetime(9999, 12, 24, tzinfo=dt.UTC)


def usable_moment(moment: dt.datetime, tz: dt.tzinfo, all_day: bool) -> dt.datetime | None:
    """`moment` as an event's start or end holds it (a timed one in the viewer's zone `tz`,
    an all-day one as given), or None when it is too near datetime's limits to be used.
    Comparing aware datetimes cannot overflow; converting them can."""
    try:
        # A wall time between the years 1 and 9999 is within the bounds in any zone: the
        # quick test spares most moments the comparison of aware datetimes (slower).
        if not 1 < moment.year < 9999 and not _EARLIEST <= moment <= _LATEST:
            return None
        return moment if all_day else moment.astimezone(tz)
    except (OverflowError, ValueError):
        return None


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
