"""Pages of events decoded straight from their bytes into typed structs, strictly.

`msgspec` reads a page of events into the structs below several times faster than `json`
builds dicts for `Event.from_json` to pick apart (see `python -m tui.bench.decoders`). The
structs hold only Graph's usual shapes: anything else (a field of another type, a string
that is not clean UTF-8 or holds a lone surrogate, a number out of range, nesting too deep)
fails the strict decode, and that event, or that page when its envelope is odd, is read the
tolerant way instead (`jsonpages` and `Event.from_json`), so odd data still shows as far as
it can and `Event.unreadable` still names what could not be read.

An event decoded here must equal what `Event.from_json` makes of the same JSON; the tests
in tests/graph/test_wire.py hold the two side by side.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Sequence
from typing import Any

import msgspec

from tui.graph import jsonpages
from tui.graph.models import Event, moment_of, shared_attendees, shared_person
from tui.graph.paging import Body, Decoded, has_id, page_parts, payload_of
from tui.graph.recurrence import Recurrence
from tui.graph.urls import CalendarRef, EventRef

# Missing members take the neutral value `Event.from_json` gives them; `None` is accepted
# only where Graph itself sends null (and from_json reads null as missing): another null
# fails the strict decode, and from_json reads that event.


class _Email(msgspec.Struct, frozen=True, gc=False):
    name: str = ""
    address: str = ""


_NO_EMAIL = _Email()


class _Recipient(msgspec.Struct, frozen=True, gc=False, rename="camel"):
    email_address: _Email = _NO_EMAIL


class _Status(msgspec.Struct, frozen=True, gc=False):
    response: str = ""


_NO_STATUS = _Status()


class _Attendee(msgspec.Struct, frozen=True, gc=False, rename="camel"):
    type: str = ""
    status: _Status = _NO_STATUS
    email_address: _Email = _NO_EMAIL


class _When(msgspec.Struct, frozen=True, gc=False, rename="camel"):
    date_time: str
    time_zone: str


class _Location(msgspec.Struct, frozen=True, gc=False, rename="camel"):
    display_name: str = ""


class _Meeting(msgspec.Struct, frozen=True, gc=False, rename="camel"):
    join_url: str | None = None


class WireEvent(msgspec.Struct, frozen=True, gc=False, rename="camel"):
    """An event as Graph usually sends it; the members `Event.from_json` checks before it
    takes its quick path are required here, so an event without them is read the tolerant
    way (which knows what "sent but unreadable" means)."""

    subject: str
    body_preview: str
    web_link: str
    start: _When
    end: _When
    organizer: _Recipient
    location: _Location
    response_status: _Status
    attendees: list[_Attendee]
    id: str = ""
    is_all_day: bool = False
    is_organizer: bool = False
    is_cancelled: bool = False
    type: str | None = None
    series_master_id: str | None = None
    show_as: str | None = None
    online_meeting_url: str | None = None
    online_meeting: _Meeting | None = None
    recurrence: dict[str, Any] | None = None
    allow_new_time_proposals: bool = True
    response_requested: bool = True
    removed: Any = msgspec.field(default=msgspec.UNSET, name="@removed")
    """A delta round's mark of a deleted event (such an entry usually has no more than its
    id, and is read the tolerant way)."""

    @property
    def is_removed(self) -> bool:
        return self.removed is not msgspec.UNSET


# A nextLink or deltaLink of null or another type fails the strict decode: the page is then
# read the tolerant way, and `page_parts` (or the delta round) says what is wrong with it.
class _Page(msgspec.Struct, frozen=True, gc=False):
    value: list[WireEvent]
    next_link: str | msgspec.UnsetType = msgspec.field(default=msgspec.UNSET,
                                                        name="@odata.nextLink")
    delta_link: str | msgspec.UnsetType = msgspec.field(default=msgspec.UNSET,
                                                         name="@odata.deltaLink")


class _RawPage(msgspec.Struct, frozen=True, gc=False):
    value: list[msgspec.Raw]
    next_link: str | msgspec.UnsetType = msgspec.field(default=msgspec.UNSET,
                                                        name="@odata.nextLink")
    delta_link: str | msgspec.UnsetType = msgspec.field(default=msgspec.UNSET,
                                                         name="@odata.deltaLink")


_PAGE = msgspec.json.Decoder(_Page)
_RAW_PAGE = msgspec.json.Decoder(_RawPage)
_EVENT = msgspec.json.Decoder(WireEvent)
# What a strict decode raises for data outside the structs' shapes (RecursionError: nested
# deeper than the interpreter's limit, which msgspec honours).
_STRICT_FAILS = (msgspec.DecodeError, msgspec.ValidationError, RecursionError)


def event_of(wire: WireEvent, calendar: CalendarRef, tz: dt.tzinfo) -> Event:
    """The `Event` that `Event.from_json` makes of the same JSON."""
    all_day = wire.is_all_day
    start = moment_of(wire.start.date_time, wire.start.time_zone, tz, all_day)
    end = moment_of(wire.end.date_time, wire.end.time_zone, tz, all_day)
    attendees = shared_attendees(
        (a.email_address.name, a.email_address.address, a.type or "required",
         a.status.response or "none")
        for a in wire.attendees
    )
    email = wire.organizer.email_address
    meeting = wire.online_meeting
    online = meeting.join_url if meeting is not None else None
    unreadable: tuple[str, ...] = ()
    if start is None or end is None:  # every other member read: only these can be odd
        unreadable = tuple(name for name, moment in (("start", start), ("end", end))
                           if moment is None)
    return Event(
        ref=EventRef(wire.id, calendar.mailbox, calendar),
        subject=wire.subject,
        start=start,
        end=end,
        is_all_day=all_day,
        is_organizer=wire.is_organizer,
        is_cancelled=wire.is_cancelled,
        type=sys.intern(wire.type or "singleInstance"),
        series_master_id=wire.series_master_id or None,
        organizer=shared_person(email.name, email.address),
        attendees=attendees,
        my_response=sys.intern(wire.response_status.response or "none"),
        location=wire.location.display_name,
        online_meeting_url=online or wire.online_meeting_url or "",
        body_preview=wire.body_preview,
        web_link=wire.web_link,
        show_as=sys.intern(wire.show_as or ""),
        recurrence=Recurrence.from_json(wire.recurrence),
        unreadable=unreadable,
        allow_new_time_proposals=wire.allow_new_time_proposals,
        response_requested=wire.response_requested,
    )


Item = WireEvent | dict[str, Any]
"""A listing's item as decoded: strictly when it could be, the tolerant way when not."""


def events_of(
    items: Sequence[Item], calendar: CalendarRef, tz: dt.tzinfo, in_thread: bool = False
) -> list[Event]:
    """A page's events, its items without an id left out. `in_thread`: offer the
    interpreter lock to a waiting UI thread every few events."""
    events: list[Event] = []
    mailbox = calendar.mailbox
    for index, item in enumerate(items, 1):
        if isinstance(item, WireEvent):
            if item.id:
                events.append(event_of(item, calendar, tz))
        elif has_id(item):
            events.append(Event.from_json(item, mailbox, calendar, tz))
        if in_thread and index % jsonpages.YIELD_EVERY == 0:
            time.sleep(0)  # let a waiting UI thread have the lock now
    return events


def strict_page(body: Body) -> Decoded[WireEvent] | None:
    """A page's items, nextLink and annotations decoded strictly; None when anything in it
    is outside Graph's usual shapes. GraphError for a nextLink that is not a link."""
    try:
        page = _PAGE.decode(body.content)
    except _STRICT_FAILS:
        return None
    link = _checked_link(page.next_link, body)
    return page.value, link, _annotations(link, page.delta_link)


def page_items(body: Body, per_item: bool = False) -> Decoded[Item]:
    """A listing page's items (objects only), its nextLink and its other annotations, with
    the guarantees of `paging.payload_of` and `paging.page_parts` (GraphError for a body
    that is not JSON or a page of the wrong shape).

    Strictly if the whole page can be; else item by item, each strictly if it can be; else
    (an odd envelope, bytes that are not clean UTF-8) the whole page the tolerant way.
    The annotations are the whole page when it was read the tolerant way, only its nextLink
    and deltaLink otherwise. `per_item`: see `paging.payload_of`."""
    strict = strict_page(body)
    if strict is not None:
        wires, link, annotations = strict
        return list[Item](wires), link, annotations
    try:
        raw_page = _RAW_PAGE.decode(body.content)
    except _STRICT_FAILS:
        pass
    else:
        link = _checked_link(raw_page.next_link, body)
        try:
            items = [_one(raw) for raw in raw_page.value]
        except ValueError:
            pass  # an item the tolerant decoder refuses: the whole page is read its way
        else:
            objects: list[Item] = [item for item in items if item is not None]
            if raw_page.value and not objects:  # a page of nothing but non-objects
                page_parts({"value": [None]}, body.status, body.request_id)  # raises
            return objects, link, _annotations(link, raw_page.delta_link)
    payload = payload_of(body, per_item)
    found, link = page_parts(payload, body.status, body.request_id)
    return list[Item](found), link, payload


def _one(raw: msgspec.Raw) -> Item | None:
    """One item, strictly if it can be, the tolerant way if not; None: not an object."""
    try:
        return _EVENT.decode(raw)
    except _STRICT_FAILS:
        obj = jsonpages.decode(bytes(raw))
        return obj if isinstance(obj, dict) else None


def _checked_link(link: str | msgspec.UnsetType, body: Body) -> str | None:
    if link is msgspec.UNSET:
        return None
    page_parts({"value": [], "@odata.nextLink": link}, body.status, body.request_id)
    return link


def _annotations(link: str | None, delta_link: str | msgspec.UnsetType) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if link is not None:
        found["@odata.nextLink"] = link
    if delta_link is not msgspec.UNSET:
        found["@odata.deltaLink"] = delta_link
    return found


def item_id(item: Item) -> str | None:
    """An item's id; None when it has none (such an item is skipped)."""
    if isinstance(item, WireEvent):
        return item.id or None
    return item["id"] if has_id(item) else None


def is_removed(item: Item) -> bool:
    """Whether a delta round's item marks a deleted event."""
    return item.is_removed if isinstance(item, WireEvent) else "@removed" in item
