"""The mailbox model behind the fake: directory objects, calendars, events, series.

Times are aware UTC datetimes; all-day events keep their dates (midnight to midnight in
whatever zone they are viewed). Rendering to Graph JSON lives in render.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

EventType = Literal["singleInstance", "occurrence", "exception", "seriesMaster"]
Access = Literal["full", "read", "none", "nomailbox"]


@dataclass(frozen=True)
class Person:
    name: str
    address: str

    def same(self, other: Person) -> bool:
        return self.address.lower() == other.address.lower()


@dataclass
class User:
    id: str
    display_name: str
    upn: str
    mail: str
    given_name: str
    surname: str
    job_title: str | None = None
    office_location: str | None = None
    mobile_phone: str | None = None
    business_phones: list[str] = field(default_factory=list)
    preferred_language: str | None = "en-US"

    @property
    def person(self) -> Person:
        return Person(self.display_name, self.mail)


@dataclass
class Group:
    id: str
    display_name: str
    mail: str  # "" for a group that is not mail-enabled (Graph answers null)
    description: str
    created: dt.datetime
    # ["Unified"] for a Microsoft 365 group (the only kind with a calendar); [] for a
    # security group.
    group_types: list[str] = field(default_factory=lambda: ["Unified"])
    security_enabled: bool = False

    @property
    def person(self) -> Person:
        return Person(self.display_name, self.mail)


@dataclass
class DirectoryRole:
    """An activated Entra role: /me/memberOf lists it beside the user's groups."""

    id: str
    display_name: str
    description: str
    role_template_id: str


@dataclass
class Attendee:
    person: Person
    type: str = "required"  # required | optional | resource
    response: str = "none"  # none | accepted | tentativelyAccepted | declined | notResponded
    time: dt.datetime | None = None
    # A new time this attendee proposed in a reply (start, end), as the organizer sees it.
    proposed: tuple[dt.datetime, dt.datetime] | None = None


@dataclass
class Recurrence:
    pattern_type: Literal["daily", "weekly"]
    interval: int
    days_of_week: tuple[str, ...]
    range_type: Literal["endDate", "noEnd", "numbered"]
    start_date: dt.date
    end_date: dt.date | None
    number_of_occurrences: int
    time_zone: str  # Windows name, as Outlook stores it
    first_day_of_week: str = "sunday"


@dataclass
class Event:
    id: str
    subject: str
    start: dt.datetime
    end: dt.datetime
    organizer: Person
    calendar: Calendar = field(repr=False)
    attendees: list[Attendee] = field(default_factory=list)
    is_all_day: bool = False
    response: str = "organizer"  # the calendar owner's responseStatus.response
    response_time: dt.datetime | None = None
    body_html: str = ""
    body_text: str = ""
    location: str = ""
    location_id: str | None = None
    show_as: str = "busy"
    importance: str = "normal"
    sensitivity: str = "normal"
    categories: list[str] = field(default_factory=list)
    join_url: str | None = None
    is_cancelled: bool = False
    type: EventType = "singleInstance"
    recurrence: Recurrence | None = None
    series_master_id: str | None = None
    original_start: dt.datetime | None = None  # occurrences/exceptions: slot in the series
    created: dt.datetime = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    modified: dt.datetime = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    change_key: str = ""
    ical_uid: str = ""
    uid: str = ""
    reminder_minutes: int = 15
    is_reminder_on: bool = True
    has_attachments: bool = False
    response_requested: bool = True
    allow_new_time_proposals: bool = True
    is_draft: bool = False
    hide_attendees: bool = False
    original_tz: str = "W. Europe Standard Time"
    # Series state (masters only): slots removed by the organizer, slots flagged as
    # cancelled on an attendee's copy, and modified occurrences.
    removed_slots: set[dt.datetime] = field(default_factory=set)
    cancelled_slots: set[dt.datetime] = field(default_factory=set)
    exceptions: dict[dt.datetime, Event] = field(default_factory=dict)

    @property
    def is_online(self) -> bool:
        return self.join_url is not None


@dataclass
class Calendar:
    id: str
    name: str
    owner: Person
    mailbox: Mailbox = field(repr=False)
    color: str = "auto"
    hex_color: str = ""
    is_default: bool = False
    change_key: str = ""
    can_share: bool = True
    can_view_private: bool = True
    can_edit: bool = True
    is_removable: bool = True
    is_tallying: bool = False
    providers: tuple[str, ...] = ("teamsForBusiness",)
    default_provider: str = "teamsForBusiness"
    events: dict[str, Event] = field(default_factory=dict, repr=False)
    # A calendar shared by someone else, as it appears in this mailbox: the events live in
    # the sharer's calendar.
    source: Calendar | None = field(default=None, repr=False)

    @property
    def target(self) -> Calendar:
        return self.source if self.source is not None else self


@dataclass
class CalendarGroup:
    id: str
    name: str
    change_key: str
    class_id: str
    calendar_ids: list[str] = field(default_factory=list)


@dataclass
class Mailbox:
    key: str
    kind: Literal["user", "group"]
    owner: Person
    access: Access = "full"
    calendar_groups: list[CalendarGroup] = field(default_factory=list)
    calendars: dict[str, Calendar] = field(default_factory=dict, repr=False)
    deleted_items: list[Event] = field(default_factory=list, repr=False)

    @property
    def default_calendar(self) -> Calendar:
        return next(c for c in self.calendars.values() if c.is_default)

    def own_calendars(self) -> list[Calendar]:
        """Calendars whose items live in this mailbox (not ones shared by others)."""
        return [c for c in self.calendars.values() if c.source is None]


@dataclass(frozen=True)
class CancellationNotice:
    """A cancellation message the organizer's mailbox "sent" to attendees."""

    event_id: str
    subject: str
    comment: str | None
    recipients: tuple[str, ...]
    organizer: str
    occurrence_start: dt.datetime | None = None


@dataclass(frozen=True)
class CancelRecord:
    """Every accepted cancel, including ones that sent no notice (comment "" or no attendees)."""

    event_id: str
    subject: str
    comment: str | None
    notice_sent: bool
    moved_to_id: str | None


@dataclass(frozen=True)
class ReplyRecord:
    """Every accepted reply (accept, tentativelyAccept, decline), sent to the organizer or not.

    `source` is "reply" for the actions and "delete" for the decline a DELETE of an
    attendee's copy sends. `occurrence_start` is set when one occurrence was answered.
    """

    mailbox: str  # the address of the calendar owner who replied
    event_id: str
    subject: str
    reply: str  # accept | tentativelyAccept | decline
    comment: str | None
    send_response: bool
    proposed: tuple[dt.datetime, dt.datetime] | None
    organizer: str
    occurrence_start: dt.datetime | None = None
    source: str = "reply"
