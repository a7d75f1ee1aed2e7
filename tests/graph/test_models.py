"""Event.from_json's short paths read every event exactly as the field-by-field reading does.

The reference below is the plain defensive reading (each field checked on its own, every
moment parsed afresh, no shared objects looked up first); whatever Graph sends, including
odd types, half-filled attendees and other date forms, both must give equal events, on the
first reading (shared objects and moments not yet known) and on later ones (found).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.graph import CalendarRef, Mailbox
from tui.graph.models import Attendee, Event, Person, parse_datetime
from tui.graph.recurrence import Recurrence
from tui.graph.timezones import zone
from tui.graph.urls import EventRef

JSON = dict[str, Any]
MAILBOX = Mailbox("user", "adele@contoso.com")
CALENDAR = CalendarRef(MAILBOX, "AAMkCal=")


def _str(obj: Any, key: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, str) else ""


def _dict(obj: Any, key: str) -> JSON:
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, dict) else {}


def reference_moment(obj: JSON, tz: dt.tzinfo) -> dt.datetime | None:
    raw = _str(obj, "dateTime")
    if not raw:
        return None
    head, _, frac = raw.partition(".")
    try:
        parsed = dt.datetime.fromisoformat(head)
    except ValueError:
        return None
    digits = "".join(ch for ch in frac if ch.isdigit())[:6]
    if digits:
        parsed = parsed.replace(microsecond=int(digits.ljust(6, "0")))
    if parsed.tzinfo is not None:
        return parsed
    return parsed.replace(tzinfo=zone(_str(obj, "timeZone")) or tz)


def reference_event(obj: JSON, tz: dt.tzinfo) -> Event:
    all_day = obj.get("isAllDay") is True
    start = reference_moment(_dict(obj, "start"), tz)
    end = reference_moment(_dict(obj, "end"), tz)
    if not all_day:
        start = start.astimezone(tz) if start else None
        end = end.astimezone(tz) if end else None
    raw = obj.get("attendees")
    attendees = tuple(
        Attendee(
            Person(_str(_dict(a, "emailAddress"), "name"),
                   _str(_dict(a, "emailAddress"), "address")),
            _str(a, "type") or "required",
            _str(_dict(a, "status"), "response") or "none",
        )
        for a in (raw if isinstance(raw, list) else [])
        if isinstance(a, dict)
    )
    odd = [n for n in ("subject", "bodyPreview", "webLink")
           if n in obj and not isinstance(obj[n], str)]
    odd += [n for n in ("organizer", "location", "responseStatus")
            if n in obj and not isinstance(obj[n], dict)]
    if "attendees" in obj and not isinstance(raw, list):
        odd.append("attendees")
    odd += [n for n, v in (("start", start), ("end", end)) if n in obj and v is None]
    organizer = _dict(_dict(obj, "organizer"), "emailAddress")
    return Event(
        ref=EventRef(_str(obj, "id"), MAILBOX, CALENDAR),
        subject=_str(obj, "subject"),
        start=start,
        end=end,
        is_all_day=all_day,
        is_organizer=obj.get("isOrganizer") is True,
        is_cancelled=obj.get("isCancelled") is True,
        type=_str(obj, "type") or "singleInstance",
        series_master_id=_str(obj, "seriesMasterId") or None,
        organizer=Person(_str(organizer, "name"), _str(organizer, "address")),
        attendees=attendees,
        my_response=_str(_dict(obj, "responseStatus"), "response") or "none",
        location=_str(_dict(obj, "location"), "displayName"),
        online_meeting_url=_str(_dict(obj, "onlineMeeting"), "joinUrl")
        or _str(obj, "onlineMeetingUrl"),
        body_preview=_str(obj, "bodyPreview"),
        web_link=_str(obj, "webLink"),
        show_as=_str(obj, "showAs"),
        recurrence=Recurrence.from_json(obj.get("recurrence")),
        allow_new_time_proposals=obj.get("allowNewTimeProposals") is not False,
        response_requested=obj.get("responseRequested") is not False,
        unreadable=tuple(odd),
    )


odd_values = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=4),
                       st.lists(st.integers(), max_size=2), st.just({}))
names = st.sampled_from(["Ana", "Björn Okafor", "", "Mira"])
addresses = st.sampled_from(["ana@contoso.com", "bjorn@contoso.com", ""])


_MISSING = object()
# Well-formed events (every field there, of its type) or any mix of odd and missing fields.
_odd = st.shared(st.booleans(), key="odd")


def maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The value or, in odd events, also a value of another type or the field left out."""
    return _odd.flatmap(lambda odd: st.one_of(value, odd_values, st.just(_MISSING))
                        if odd else value)


def fields(**values: st.SearchStrategy[Any]) -> st.SearchStrategy[JSON]:
    return st.fixed_dictionaries({k: maybe(v) for k, v in values.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not _MISSING})


moments = st.one_of(
    st.sampled_from(["2026-11-23T07:00:00.0000000", "2026-11-23T07:00:00.1234567",
                     "2026-03-29T02:30:00.0000000", "2026-11-23T07:00:00", "2026-11-23",
                     "2026-11-23T07:00:00Z", "2026-11-23T07:00:00.5", "2026-13-01T00:00:00.0000000",
                     "2026-11-23T07:00:00.00000x0", "2026-11-23T25:00:00.0000000"]),
    st.text(max_size=30),
)
zones = st.sampled_from(["UTC", "W. Europe Standard Time", "Europe/Berlin", "Nowhere/City", ""])
date_times = fields(dateTime=moments, timeZone=zones)
emails = fields(name=names, address=addresses)
attendee = st.one_of(
    fields(type=st.sampled_from(["required", "optional", "resource", ""]),
           status=fields(response=st.sampled_from(["accepted", "declined", "none", ""])),
           emailAddress=emails),
    odd_values,
)
events = fields(
    id=st.sampled_from(["AAMk1=", "AAMk2/+", ""]),
    subject=st.text(max_size=10),
    start=date_times,
    end=date_times,
    isAllDay=st.booleans(),
    isOrganizer=st.booleans(),
    isCancelled=st.booleans(),
    type=st.sampled_from(["singleInstance", "occurrence", "seriesMaster", ""]),
    seriesMasterId=st.sampled_from(["AAMkS=", ""]),
    organizer=fields(emailAddress=emails),
    attendees=st.lists(attendee, max_size=5),
    responseStatus=fields(response=st.sampled_from(["organizer", "accepted", ""])),
    location=fields(displayName=st.sampled_from(["Room 1", ""])),
    onlineMeeting=fields(joinUrl=st.sampled_from(["https://teams/x", ""])),
    onlineMeetingUrl=st.sampled_from(["https://meet/y", ""]),
    bodyPreview=st.text(max_size=10),
    webLink=st.sampled_from(["https://outlook/z"]),
    showAs=st.sampled_from(["busy", "free"]),
    allowNewTimeProposals=st.booleans(),
    responseRequested=st.booleans(),
)
viewer_zones = st.sampled_from([dt.UTC, zone("Europe/Berlin"), zone("America/New_York")])


def shown(moment: dt.datetime | None) -> tuple[str, dt.tzinfo | None] | None:
    """A moment as the user sees it: equal datetimes may still show different wall times."""
    return None if moment is None else (moment.isoformat(), moment.tzinfo)


@settings(max_examples=400)
@given(events, viewer_zones)
def test_every_event_reads_as_the_field_by_field_reading_does(obj: JSON, tz: dt.tzinfo) -> None:
    expected = reference_event(obj, tz)
    for _ in range(2):  # shared values new, then found again
        event = Event.from_json(obj, MAILBOX, CALENDAR, tz)
        assert event == expected
        assert (shown(event.start), shown(event.end)) == (shown(expected.start),
                                                          shown(expected.end))


@given(moments, zones, viewer_zones)
def test_every_moment_parses_as_the_plain_reading(raw: str, name: str, tz: dt.tzinfo) -> None:
    obj = {"dateTime": raw, "timeZone": name}
    assert shown(parse_datetime(obj, tz)) == shown(reference_moment(obj, tz))


def test_a_moment_reads_as_the_event_needs_it_whether_all_day_or_timed() -> None:
    when = {"dateTime": "2026-11-23T00:00:00.0000000", "timeZone": "W. Europe Standard Time"}
    timed = Event.from_json({"id": "AAMk1=", "start": when}, MAILBOX, CALENDAR, dt.UTC)
    all_day = Event.from_json({"id": "AAMk2=", "start": when, "isAllDay": True},
                              MAILBOX, CALENDAR, dt.UTC)
    assert timed.start is not None and all_day.start is not None
    assert timed.start.isoformat() == "2026-11-22T23:00:00+00:00"
    assert all_day.start.isoformat() == "2026-11-23T00:00:00+01:00"


def test_attendees_seen_before_are_the_same_objects() -> None:
    obj = {"id": "AAMk1=", "attendees": [
        {"type": "required", "status": {"response": "accepted"},
         "emailAddress": {"name": "Ana", "address": "ana@contoso.com"}}]}
    first = Event.from_json(obj, MAILBOX, CALENDAR, dt.UTC)
    again = Event.from_json(obj, MAILBOX, CALENDAR, dt.UTC)
    assert first.attendees[0] is again.attendees[0]
    assert first.attendees[0] is Attendee.shared("Ana", "ana@contoso.com", "required", "accepted")


def test_every_field_asked_for_is_read() -> None:
    """`$select` asks for nothing the model leaves unread: each field changes the event."""
    from tui.graph.models import EVENT_SELECT

    full: JSON = {
        "id": "AAMk1=", "subject": "s", "bodyPreview": "b", "webLink": "https://w",
        "isAllDay": False, "isCancelled": False, "isOrganizer": False,
        "seriesMasterId": None, "showAs": "busy", "type": "singleInstance",
        "onlineMeetingUrl": None, "onlineMeeting": None, "recurrence": None,
        "responseStatus": {"response": "accepted"},
        "start": {"dateTime": "2026-11-23T07:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-23T08:00:00.0000000", "timeZone": "UTC"},
        "location": {"displayName": "Room"}, "attendees": [],
        "organizer": {"emailAddress": {"name": "O", "address": "o@x"}},
        "allowNewTimeProposals": True, "responseRequested": True,
    }
    changed: JSON = {
        "id": "AAMk2=", "subject": "t", "bodyPreview": "c", "webLink": "https://v",
        "isAllDay": True, "isCancelled": True, "isOrganizer": True, "seriesMasterId": "M",
        "showAs": "free", "type": "occurrence", "onlineMeetingUrl": "https://u",
        "onlineMeeting": {"joinUrl": "https://j"},
        "recurrence": {"pattern": {"type": "daily", "interval": 1}, "range": {"type": "noEnd"}},
        "responseStatus": {"response": "declined"},
        "start": {"dateTime": "2026-11-24T07:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-24T08:00:00.0000000", "timeZone": "UTC"},
        "location": {"displayName": "Hall"},
        "attendees": [{"type": "required", "status": {"response": "none"},
                       "emailAddress": {"name": "A", "address": "a@x"}}],
        "organizer": {"emailAddress": {"name": "P", "address": "p@x"}},
        "allowNewTimeProposals": False, "responseRequested": False,
    }
    fields = EVENT_SELECT.split(",")
    assert sorted(fields) == sorted(full)
    base = Event.from_json(full, MAILBOX, CALENDAR, dt.UTC)
    for name in fields:
        other = Event.from_json({**full, name: changed[name]}, MAILBOX, CALENDAR, dt.UTC)
        assert other != base, name
