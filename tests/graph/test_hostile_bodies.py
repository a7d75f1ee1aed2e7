"""Hostile bodies from a Graph-like server: each is decoded safely, read as far as it goes,
or ends in a clear GraphError/GraphUnavailable, never another exception or a hang."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from tests.graph.test_client import BASE
from tui.cache import codec
from tui.graph import (
    ME,
    CalendarRef,
    CancelOutcomeUnknown,
    EventRef,
    GraphClient,
    GraphError,
    GraphUnavailable,
    RetryPolicy,
    WaitNotice,
)

START = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
END = START + dt.timedelta(days=1)
LONE = "\\ud800"  # as it stands in the JSON text: an escaped lone surrogate


async def _no_sleep(seconds: float) -> None:
    """Retries happen at once."""


def _client(handler: Callable[[httpx.Request], Any], zone: str = "Europe/Berlin",
            **policy: Any) -> GraphClient:
    return GraphClient(BASE, "tok", timezone=zone, transport=httpx.MockTransport(handler),
                       policy=RetryPolicy(sleep=_no_sleep, **policy))


def _event(n: int, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": f"E{n}", "subject": f"Meeting {n}",
        "start": {"dateTime": "2026-11-23T09:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-23T10:00:00.0000000", "timeZone": "UTC"},
        "organizer": {"emailAddress": {"name": "Ann", "address": "ann@example.test"}},
        "attendees": [], "location": {"displayName": "Room"}, "bodyPreview": "",
        "webLink": "https://outlook.office365.com/owa/?itemid=x", "responseStatus": {},
    }
    event.update(fields)
    return event


def _raw(status: int, text: str) -> httpx.Response:
    return httpx.Response(status, content=text.encode(),
                          headers={"Content-Type": "application/json"})


async def _listing(client: GraphClient) -> list[Any]:
    async with client:
        return [e async for page in client.calendar_view(CalendarRef(ME), START, END)
                for e in page]


def _surrogate_page(count: int) -> str:
    """A page whose every text field carries an escaped lone surrogate in its first event."""
    page = {"value": [_event(1, subject="S@", bodyPreview="P@",
                             organizer={"emailAddress": {"name": "N@", "address": "a@"}},
                             attendees=[{"emailAddress": {"name": "A@", "address": "b@"},
                                         "type": "required", "status": {"response": "none"}}],
                             location={"displayName": "L@"}, **{"k@": "v"})]
              + [_event(n) for n in range(2, count + 1)]}
    return json.dumps(page).replace("@", LONE)


@pytest.mark.parametrize("count", [3, 1500])  # a small page, and one decoded in a thread
async def test_lone_surrogates_become_replacement_characters(count: int) -> None:
    text = _surrogate_page(count)
    events = await _listing(_client(lambda request: _raw(200, text)))
    assert len(events) == count  # every other event listed
    first = events[0]
    shown = [first.subject, first.body_preview, first.organizer.name, first.organizer.address,
             first.attendees[0].person.name, first.location]
    assert shown == ["S\ufffd", "P\ufffd", "N\ufffd", "a\ufffd", "A\ufffd", "L\ufffd"]
    for event in events:  # nothing that cannot be written out
        for value in (event.subject, event.body_preview, event.location):
            value.encode("utf-8")


async def test_a_surrogate_in_an_error_and_in_calendar_names() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/calendars"):
            return _raw(200, '{"value":[{"id":"C1","name":"Cal' + LONE + '"}]}')
        return _raw(403, '{"error":{"code":"Err' + LONE + '","message":"No' + LONE + '"}}')

    async with _client(handler) as client:
        (calendar,) = await client.calendars()
        assert calendar.name == "Cal\ufffd"
        with pytest.raises(GraphError) as caught:
            await client.me()
    assert (caught.value.code, caught.value.message) == ("Err\ufffd", "No\ufffd")


@pytest.mark.parametrize("levels", [200_000, 2_000])
async def test_deep_nesting_is_not_json(levels: int) -> None:
    deep = '{"value":[' + "[" * levels + "]" * levels + "]}"
    with pytest.raises(GraphError) as caught:
        await _listing(_client(lambda request: _raw(200, deep)))
    assert "not JSON" in caught.value.message
    # Deep nesting in an error body still gives the error, with its status.
    with pytest.raises(GraphError) as error:
        await _listing(_client(lambda request: _raw(400, deep)))
    assert error.value.status == 400


async def test_a_deeply_nested_batch_answer_is_resolved_by_looking() -> None:
    deep = '{"responses":' + "[" * 200_000 + "]" * 200_000 + "}"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("$batch"):
            return _raw(200, deep)
        return httpx.Response(200, json={"id": "E1", "isCancelled": True})

    async with _client(handler) as client:
        outcomes = [o async for o in client.cancel_many([EventRef("E1")], "sorry")]
    assert [o.status for o in outcomes] == ["done"] and outcomes[0].checked


async def test_huge_numbers_spoil_only_their_field_and_nan_is_not_json() -> None:
    huge = "9" * 100_000
    text = json.dumps({"value": [_event(1), _event(2)]}).replace('"Meeting 1"', huge)
    events = await _listing(_client(lambda request: _raw(200, text)))
    assert [e.id for e in events] == ["E1", "E2"]
    assert events[0].unreadable == ("subject",) and events[1].subject == "Meeting 2"
    for literal in ("NaN", "Infinity", "-Infinity"):
        broken = json.dumps({"value": [_event(1)]}).replace('"Meeting 1"', literal)
        with pytest.raises(GraphError, match="not JSON"):
            await _listing(_client(lambda request, b=broken: _raw(200, b)))


@pytest.mark.parametrize("body", ['{"value":{}}', '{"value":"x"}', '{"value":null}', "{}",
                                  '{"value":5}', "[]", '"value"', "null",
                                  '{"value":[],"@odata.nextLink":7}', '{"value":[1,"x",null]}',
                                  '{"value":[[]]}'])
async def test_a_page_of_the_wrong_shape_is_an_error(body: str) -> None:
    with pytest.raises(GraphError) as caught:
        await _listing(_client(lambda request: _raw(200, body)))
    assert caught.value.code == "InvalidResponse"
    async with _client(lambda request: _raw(200, body)) as client:
        with pytest.raises(GraphError):
            await client.calendars()


@pytest.mark.parametrize("cycle", [1, 2, 3])
async def test_a_next_link_met_again_ends_the_listing(cycle: int) -> None:
    """A page linking to itself, or A -> B -> A, or A -> B -> C -> A."""
    requests: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(str(request.url))
        page = int(request.url.params.get("p", "0"))
        link = f"{BASE}/me/calendarView?p={(page + 1) % cycle}"
        return httpx.Response(200, json={"value": [_event(page)], "@odata.nextLink": link})

    client = _client(handler)
    async with client:
        url = f"{BASE}/me/calendarView?p=0"
        seen: list[str] = []
        with pytest.raises(GraphError) as caught:
            async for page in client.event_pages(CalendarRef(ME), url):
                seen.extend(e.id for e in page)
    assert "repeats one followed already" in caught.value.message
    assert seen == [f"E{n}" for n in range(cycle)]  # every page shown once
    assert len(requests) <= cycle + 1


async def test_endless_fresh_links_stop_at_the_page_limit() -> None:
    count = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal count
        count += 1
        link = f"{BASE}/me/calendarView?p={count}"
        return httpx.Response(200, json={"value": [], "@odata.nextLink": link})

    with pytest.raises(GraphError, match="more than 20 pages"):
        await _listing(_client(handler, max_pages=20))
    assert count <= 21


async def test_a_delta_round_that_links_to_itself_ends() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"value": [_event(1)],
                                         "@odata.nextLink": f"{BASE}/me/calendarView/delta?x=1"})

    async with _client(handler) as client:
        with pytest.raises(GraphError, match="repeats"):
            await client.calendar_view_delta(ME, START, END,
                                             f"{BASE}/me/calendarView/delta?x=1")
        bad = _client(lambda request: _raw(200, '{"value":{},"@odata.deltaLink":"d"}'))
        async with bad:
            with pytest.raises(GraphError, match="not a list"):
                await bad.calendar_view_delta(ME, START, END)


@pytest.mark.parametrize(("zone", "raw", "event_zone"), [
    ("America/New_York", "0001-01-01T00:00:00.0000000", "UTC"),
    ("Etc/GMT+12", "9999-12-31T23:59:59.0000000", "Etc/GMT+12"),
    ("Pacific/Kiritimati", "9999-12-31T23:59:59.0000000", "UTC"),
    ("UTC", "0001-01-01T00:00:00.0000000", "Pacific/Kiritimati"),
    ("UTC", "0001-01-01T00:00:00+05:00", "UTC"),
])
async def test_overflowing_dates_are_unreadable_and_the_rest_listed(
    zone: str, raw: str, event_zone: str,
) -> None:
    odd = _event(1, start={"dateTime": raw, "timeZone": event_zone},
                 end={"dateTime": raw, "timeZone": event_zone})
    all_day = _event(3, isAllDay=True, start={"dateTime": raw, "timeZone": event_zone})
    page = {"value": [odd, _event(2), all_day]}
    events = await _listing(_client(lambda request: httpx.Response(200, json=page), zone))
    assert [e.id for e in events] == ["E1", "E2", "E3"]
    assert events[0].start is None and events[0].end is None
    assert set(events[0].unreadable) == {"start", "end"} and events[0].subject == "Meeting 1"
    assert events[2].start is None and "start" in events[2].unreadable
    assert events[1].start is not None and not events[1].unreadable
    # What the cache keeps of them reads back the same, in any zone.
    for event in events:
        back = codec.event_from(codec.read(codec.dumps(codec.event_json(event))),
                                dt.timezone(dt.timedelta(hours=-12)))
        assert back.unreadable == event.unreadable


def test_a_cached_far_moment_from_an_older_cache_is_unreadable_not_an_overflow() -> None:
    stored = codec.event_json(codec.event_from(
        {"i": "E1", "m": ["me", ""], "c": None, "s": "x", "b": None, "e": None,
         "f": [False, False, False], "t": "singleInstance", "sm": None, "o": ["", ""],
         "a": [], "r": "none", "l": "", "u": "", "p": "", "w": "", "sa": "", "rc": None},
        dt.UTC))
    stored["b"] = "0001-01-01T00:00:00+00:00"  # as an older cal365 stored it
    stored["s"] = "Cal\ud800"
    data = json.dumps(stored, ensure_ascii=False).encode("utf-8", "surrogatepass")
    event = codec.event_from(codec.read(data), dt.timezone(dt.timedelta(hours=-5)))
    assert event.start is None and event.unreadable == ("start",)
    assert event.subject == "Cal\ufffd"


def _dripping(total: int) -> AsyncIterator[bytes]:
    async def drip() -> AsyncIterator[bytes]:
        yield b'{"value":['
        for _ in range(total):
            await asyncio.sleep(0.05)  # each byte well within any read timeout
            yield b" "
        yield b"]}"
    return drip()


async def test_a_trickling_body_passes_the_deadline_and_says_so() -> None:
    attempts = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        attempts += 1
        return httpx.Response(200, content=_dripping(10_000))

    notices: list[WaitNotice] = []
    client = _client(handler, deadline=0.3, max_retries=1)
    client.on_wait = notices.append
    with pytest.raises(GraphUnavailable, match="did not answer in time"):
        await asyncio.wait_for(_listing(client), timeout=20)
    assert attempts == 2  # tried again once, as a timeout is
    assert [n.message.split(";")[0] for n in notices] == ["Graph did not answer in time"]


async def test_a_cancel_whose_answer_trickles_is_never_called_not_sent() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202 if request.method == "POST" else 200,
                              content=_dripping(10_000))

    client = _client(handler, deadline=0.3, max_retries=0)
    async with client:
        with pytest.raises(CancelOutcomeUnknown) as caught:
            await asyncio.wait_for(client.cancel_event(EventRef("E1"), "sorry"), timeout=20)
    assert "did not answer in time" in str(caught.value)


async def test_an_answer_bigger_than_the_limit_is_an_error() -> None:
    big = json.dumps({"value": [_event(n) for n in range(200)]})
    with pytest.raises(GraphError, match="larger than"):
        await _listing(_client(lambda request: _raw(200, big), max_body_bytes=16_384))


async def test_header_bytes_outside_ascii_and_compressed_bodies_pass_through() -> None:
    import gzip

    page = gzip.compress(json.dumps({"value": [_event(1)]}).encode())

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/me"):
            return httpx.Response(403, content=b'{"error":{"code":"E","message":"m"}}',
                                  headers=[(b"request-id", b"rid\x9b\x85")])
        return httpx.Response(200, content=page, headers=[(b"content-encoding", b"gzip")])

    events = await _listing(_client(handler))
    assert [e.id for e in events] == ["E1"]
    async with _client(handler) as client:
        with pytest.raises(GraphError) as caught:
            await client.me()
    assert caught.value.request_id == "rid\x9b\x85"  # as sent; made inert where shown


async def test_bytes_that_are_not_utf8_become_replacement_characters() -> None:
    body = json.dumps({"value": [_event(1, subject="AB"), _event(2)]}).encode()
    body = body.replace(b'"AB"', b'"A\xff\xfe\xed\xa0\x80B"')  # junk, and a raw surrogate
    events = await _listing(_client(lambda request: httpx.Response(200, content=body)))
    assert [e.id for e in events] == ["E1", "E2"]
    assert events[0].subject.startswith("A\ufffd") and events[0].subject.endswith("\ufffdB")
    events[0].subject.encode("utf-8")
    with_bom = b"\xef\xbb\xbf" + json.dumps({"value": [_event(3)]}).encode()
    events = await _listing(_client(lambda request: httpx.Response(200, content=with_bom)))
    assert [e.id for e in events] == ["E3"]
