"""Events, calendars and views to compact JSON and back, for the cache's payloads.

Not Graph's JSON: only what `tui.graph.models` keeps, with short keys, because every byte is
encrypted, stored and decrypted again for each of up to 100,000 rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import msgspec

from tui.graph import jsonpages
from tui.graph.models import (
    Attendee,
    Calendar,
    CalendarGroup,
    Event,
    Group,
    Person,
    usable_moment,
)
from tui.graph.recurrence import Recurrence
from tui.graph.urls import CalendarRef, EventRef, Mailbox

JSON = dict[str, Any]


def mailbox_json(mailbox: Mailbox) -> list[str]:
    return [mailbox.kind, mailbox.id]


def mailbox_from(raw: Any) -> Mailbox:
    kind, ident = raw
    return Mailbox(kind, ident)


def calendar_json(ref: CalendarRef | None) -> list[Any] | None:
    if ref is None:
        return None
    return [mailbox_json(ref.mailbox), ref.calendar_id, ref.calendar_group_id]


def calendar_from(raw: Any) -> CalendarRef | None:
    if raw is None:
        return None
    mailbox, calendar_id, group_id = raw
    return CalendarRef(mailbox_from(mailbox), calendar_id, group_id)


def _moment(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment_from(raw: str | None, tz: dt.tzinfo, all_day: bool) -> dt.datetime | None:
    if raw is None:
        return None
    moment = dt.datetime.fromisoformat(raw)
    # Timed events show in the viewer's zone (as Event.from_json does); all-day ones keep
    # their own wall-clock dates. One too near datetime's limits for this zone (stored by an
    # older cal365, or under another zone) is unreadable, as in a listing.
    return usable_moment(moment, tz, all_day)


def _person(person: Person) -> list[str]:
    return [person.name, person.address]


def _shared_attendee(name: str, address: str, kind: str, response: str) -> Attendee:
    return Attendee.shared(name, address, kind, response)


def _shared_person(name: str, address: str) -> Person:
    return Person.from_recipient({"emailAddress": {"name": name, "address": address}})


def event_json(event: Event) -> JSON:
    ref = event.ref
    return {
        "i": ref.event_id,
        "m": mailbox_json(ref.mailbox),
        "c": calendar_json(ref.calendar),
        "s": event.subject,
        "b": _moment(event.start),
        "e": _moment(event.end),
        "f": [event.is_all_day, event.is_organizer, event.is_cancelled],
        "t": event.type,
        "sm": event.series_master_id,
        "o": _person(event.organizer),
        "a": [[a.person.name, a.person.address, a.type, a.response] for a in event.attendees],
        "r": event.my_response,
        "l": event.location,
        "u": event.online_meeting_url,
        "p": event.body_preview,
        "w": event.web_link,
        "sa": event.show_as,
        "rc": None if event.recurrence is None else dataclasses.astuple(event.recurrence),
        **({"x": list(event.unreadable)} if event.unreadable else {}),
        # Kept only when not Graph's defaults (rare): most records stay as they were.
        **({"q": [event.allow_new_time_proposals, event.response_requested]}
           if not (event.allow_new_time_proposals and event.response_requested) else {}),
    }


def event_from(obj: JSON, tz: dt.tzinfo) -> Event:
    all_day, organizer, cancelled = obj["f"]
    recurrence = obj["rc"]
    if recurrence is not None:
        fields = list(recurrence)
        fields[2] = tuple(fields[2])  # days_of_week
        recurrence = Recurrence(*fields)
    mailbox = mailbox_from(obj["m"])
    start = _moment_from(obj["b"], tz, all_day)
    end = _moment_from(obj["e"], tz, all_day)
    unreadable = list(obj.get("x", ()))  # none in older caches
    proposals, requested = obj.get("q", (True, True))
    for name, raw, moment in (("start", obj["b"], start), ("end", obj["e"], end)):
        if raw is not None and moment is None and name not in unreadable:
            unreadable.append(name)
    return Event(
        ref=EventRef(obj["i"], mailbox, calendar_from(obj["c"])),
        subject=obj["s"],
        start=start,
        end=end,
        is_all_day=all_day,
        is_organizer=organizer,
        is_cancelled=cancelled,
        type=obj["t"],
        series_master_id=obj["sm"],
        organizer=_shared_person(*obj["o"]),
        attendees=tuple(_shared_attendee(*a) for a in obj["a"]),
        my_response=obj["r"],
        location=obj["l"],
        online_meeting_url=obj["u"],
        body_preview=obj["p"],
        web_link=obj["w"],
        show_as=obj["sa"],
        recurrence=recurrence,
        unreadable=tuple(unreadable),
        allow_new_time_proposals=proposals,
        response_requested=requested,
    )


def dumps(obj: Any) -> bytes:
    # surrogatepass: Graph's JSON may carry a lone surrogate (an escaped half of an emoji),
    # which json.loads accepts; it must not make an event uncacheable.
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def loads(data: bytes) -> Any:
    return json.loads(data.decode("utf-8", "surrogatepass"))


# Reads a clean row (UTF-8 without surrogates, no NaN, no number out of 64 bits) several
# times faster than json and to the same value; anything else is read the way below.
_STRICT = msgspec.json.Decoder()


def read(data: bytes) -> Any:
    """`loads` for what the cache hands on: a lone surrogate (stored by an older cal365,
    before Graph's text was cleaned on arrival) comes back as U+FFFD, as it would from Graph:
    such text cannot be printed or written out again."""
    try:
        return _STRICT.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        pass
    text = data.decode("utf-8", "surrogatepass")
    try:
        value = json.loads(text)
    except RecursionError as exc:  # a cache file is untrusted too: nesting is no crash
        raise ValueError("nested too deeply") from exc
    return jsonpages.clean(value) if jsonpages.has_surrogate(text) else value


@dataclasses.dataclass(frozen=True, slots=True)
class MailboxSection:
    """Another person's calendars, opened with `u`: shown under their name. The refs are
    kept as listed (a shared default calendar has no id), so a window keeps its cache key."""

    mailbox: Mailbox
    title: str
    calendar_groups: tuple[tuple[CalendarGroup | None, tuple[tuple[CalendarRef, Calendar], ...]],
                           ...]


@dataclasses.dataclass(frozen=True, slots=True)
class CachedTree:
    """A mailbox's calendar groups with their calendars, the user's Microsoft 365 groups, and
    the other people's mailboxes the user opened."""

    calendar_groups: tuple[tuple[CalendarGroup, tuple[Calendar, ...]], ...]
    groups: tuple[Group, ...] = ()
    users: tuple[MailboxSection, ...] = ()


def _section_json(section: MailboxSection) -> JSON:
    return {
        "m": mailbox_json(section.mailbox),
        "t": section.title,
        "cg": [[None if group is None else dataclasses.astuple(group),
                [[calendar_json(ref), dataclasses.astuple(c)] for ref, c in calendars]]
               for group, calendars in section.calendar_groups],
    }


def _ref_from(raw: Any) -> CalendarRef:
    ref = calendar_from(raw)
    if ref is None:
        raise ValueError("a calendar in a cached mailbox section has no reference")
    return ref


def _section_from(obj: JSON) -> MailboxSection:
    return MailboxSection(mailbox_from(obj["m"]), str(obj["t"]), tuple(
        (None if group is None else CalendarGroup(*group),
         tuple((_ref_from(ref), Calendar(*c)) for ref, c in calendars))
        for group, calendars in obj["cg"]))


def tree_json(tree: CachedTree) -> JSON:
    return {
        "cg": [[dataclasses.astuple(group), [dataclasses.astuple(c) for c in calendars]]
               for group, calendars in tree.calendar_groups],
        "g": [dataclasses.astuple(g) for g in tree.groups],
        "u": [_section_json(section) for section in tree.users],
    }


def tree_from(obj: JSON) -> CachedTree:
    return CachedTree(
        calendar_groups=tuple(
            (CalendarGroup(*group), tuple(Calendar(*c) for c in calendars))
            for group, calendars in obj["cg"]
        ),
        groups=tuple(Group(*g) for g in obj["g"]),
        users=tuple(_section_from(u) for u in obj.get("u", ())),  # none in older caches
    )


@dataclasses.dataclass(frozen=True, slots=True)
class LastView:
    """What the user looked at last, so the next start can show it before any request."""

    calendar: CalendarRef
    start: dt.date
    days: int
    view: str = ""
    selected: str = ""
    """The event the cursor was on when the app quit (kept with the sealed frame)."""


def view_json(view: LastView) -> JSON:
    found: JSON = {"c": calendar_json(view.calendar), "s": view.start.isoformat(),
                   "d": view.days, "v": view.view}
    if view.selected:
        found["e"] = view.selected
    return found


def view_from(obj: JSON) -> LastView:
    calendar = calendar_from(obj["c"])
    assert calendar is not None
    return LastView(calendar, dt.date.fromisoformat(obj["s"]), int(obj["d"]), str(obj["v"]),
                    str(obj.get("e", "")))
