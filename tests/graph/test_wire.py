"""Pages decoded strictly into typed structs give the events the tolerant reading gives.

Whatever a page holds (well-formed events, odd field types, missing fields, other date forms,
items that are not objects, strings that are not clean text), `wire.page_items` and
`wire.events_of` must give the events `jsonpages` and `Event.from_json` give, and the strict
decode must be the one taken for well-formed events, also beside an odd one.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.graph.test_models import CALENDAR, MAILBOX, events, shown, viewer_zones
from tui.graph import GraphError, jsonpages
from tui.graph.models import Event
from tui.graph.paging import Body, has_id, page_parts
from tui.graph.wire import WireEvent, events_of, is_removed, item_id, page_items

JSON = dict[str, Any]


def _tolerant(content: bytes, tz: dt.tzinfo) -> tuple[list[Event], str | None]:
    items, link = page_parts(jsonpages.decode(content))
    return [Event.from_json(o, MAILBOX, CALENDAR, tz) for o in items if has_id(o)], link


def _strict(content: bytes, tz: dt.tzinfo) -> tuple[list[Event], str | None]:
    items, link, _ = page_items(Body(content, 200, None))
    return events_of(items, CALENDAR, tz), link


def _well_formed(n: int, **fields: Any) -> JSON:
    event: JSON = {
        "id": f"E{n}", "subject": f"Meeting {n}", "bodyPreview": "", "isAllDay": False,
        "start": {"dateTime": "2026-11-23T09:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-23T10:00:00.0000000", "timeZone": "UTC"},
        "organizer": {"emailAddress": {"name": "Ann", "address": "ann@example.test"}},
        "attendees": [{"type": "required", "status": {"response": "accepted"},
                       "emailAddress": {"name": "Bo", "address": "bo@example.test"}}],
        "location": {"displayName": "Room"}, "responseStatus": {"response": "organizer"},
        "webLink": "https://outlook.office365.com/owa/?itemid=x", "seriesMasterId": None,
        "onlineMeetingUrl": None, "onlineMeeting": {"joinUrl": "https://teams/x"},
        "recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
                       "range": {"type": "noEnd", "startDate": "2026-11-23"}},
        "showAs": "busy", "type": "seriesMaster",
    }
    event.update(fields)
    return event


def _page(items: list[Any], link: str | None = None) -> bytes:
    page: JSON = {"value": items}
    if link is not None:
        page["@odata.nextLink"] = link
    return json.dumps(page).encode()


def _assert_same(content: bytes, tz: dt.tzinfo) -> None:
    expected = _tolerant(content, tz)
    found = _strict(content, tz)
    assert found == expected
    assert [(shown(e.start), shown(e.end)) for e in found[0]] == [
        (shown(e.start), shown(e.end)) for e in expected[0]]


@settings(max_examples=300)
@given(st.lists(events, max_size=4), viewer_zones, st.booleans())
def test_every_page_reads_as_the_tolerant_reading_does(
    objs: list[JSON], tz: dt.tzinfo, ascii_only: bool
) -> None:
    content = json.dumps({"value": objs}, ensure_ascii=ascii_only).encode()
    _assert_same(content, tz)


def test_well_formed_events_are_decoded_strictly_even_beside_an_odd_one() -> None:
    odd = _well_formed(2, subject=7, start={"dateTime": 3, "timeZone": "UTC"})
    content = _page([_well_formed(1), odd, "not an event", _well_formed(3)], "https://g/n")
    items, link, _ = page_items(Body(content, 200, None))
    assert link == "https://g/n"
    assert [type(i) for i in items] == [WireEvent, dict, WireEvent]
    events = events_of(items, CALENDAR, dt.UTC)
    assert [e.id for e in events] == ["E1", "E2", "E3"]
    assert events[1].unreadable == ("subject", "start")
    assert events[1].subject == "" and events[1].end is not None
    _assert_same(content, dt.UTC)


@pytest.mark.parametrize("content", [
    _page([_well_formed(1, subject="\\ud800 lone")]).replace(b"\\\\ud800", b"\\ud800"),
    _page([_well_formed(1)]).replace(b"Meeting 1", b"Meeting \xff\xfe"),
    _page([_well_formed(1, recurrence={"pattern": {"type": "daily", "interval": 10**30}})]),
    _page([_well_formed(1, start={"dateTime": "0001-01-01T00:00:00.0000000",
                                  "timeZone": "UTC"})]),
    _page([_well_formed(1, id=""), _well_formed(2, id=None), {"id": "E3"}]),
    b'{"value":[' + json.dumps(_well_formed(1)).encode() + b', 1e999]}',
])
def test_odd_pages_read_as_the_tolerant_reading_does(content: bytes) -> None:
    _assert_same(content, dt.UTC)


@pytest.mark.parametrize("content", [
    b'{"value": {}}', b'{"value": [1, "x"]}', b'{"value": [], "@odata.nextLink": null}',
    b'{"value": [], "@odata.nextLink": ""}', b'{"value": [NaN]}', b"[]", b"{",
])
def test_pages_of_the_wrong_shape_are_refused_as_before(content: bytes) -> None:
    with pytest.raises(GraphError):
        page_items(Body(content, 200, None))


def test_a_delta_page_keeps_its_delta_link_and_its_removed_entries() -> None:
    removed = {"id": "E2", "@removed": {"reason": "deleted"}}
    marked = _well_formed(3, **{"@removed": {"reason": "changed"}})
    page = {"value": [_well_formed(1), removed, marked], "@odata.deltaLink": "https://g/d"}
    items, link, annotations = page_items(Body(json.dumps(page).encode(), 200, None))
    assert link is None and annotations == {"@odata.deltaLink": "https://g/d"}
    assert [(item_id(i), is_removed(i)) for i in items] == [
        ("E1", False), ("E2", True), ("E3", True)]
