"""Hostile answers beyond the first hostile set: each ends in a GraphError or a
GraphUnavailable (a clear message), the other events are listed, and a bulk cancel never
reports as "not done" an item that may have been cancelled."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.graph.test_client import BASE
from tui.graph import (
    ME,
    CalendarRef,
    EventRef,
    GraphClient,
    GraphError,
    RetryPolicy,
)
from tui.graph.batch import BatchItemOutcome

START = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
END = START + dt.timedelta(days=1)


async def _no_sleep(seconds: float) -> None:
    """Retries happen at once."""


def _client(handler: Callable[[httpx.Request], httpx.Response], base: str = BASE
            ) -> GraphClient:
    transport = None if base != BASE else httpx.MockTransport(handler)
    return GraphClient(base, "tok", transport=transport,
                       policy=RetryPolicy(sleep=_no_sleep, settle=0, deadline=10))


def _event(n: int, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": f"E{n}", "subject": f"Meeting {n}",
        "start": {"dateTime": "2026-11-23T09:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-23T10:00:00.0000000", "timeZone": "UTC"},
        "organizer": {"emailAddress": {"name": "Ann", "address": "ann@example.test"}},
        "attendees": [], "location": {}, "bodyPreview": "", "responseStatus": {},
        "webLink": "https://outlook.office365.com/owa/?itemid=x",
    }
    event.update(fields)
    return event


async def _listing(client: GraphClient) -> list[Any]:
    events: list[Any] = []
    async with client:
        async for page in client.calendar_view(CalendarRef(ME), START, END):
            events.extend(page)
    return events


@pytest.mark.parametrize("fraction", [".²", ".1²3", ".⁵⁵⁵⁵⁵⁵⁵", ".①"])
async def test_digits_int_cannot_read_in_a_time_spoil_only_that_event(fraction: str) -> None:
    """str.isdigit() is true of superscripts and circled digits, which int() refuses."""
    odd = _event(1, start={"dateTime": f"2026-11-23T09:00:00{fraction}", "timeZone": "UTC"})

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"value": [odd, _event(2)]})

    events = await _listing(_client(handler))
    assert [e.id for e in events] == ["E1", "E2"]
    assert events[0].start is not None
    assert events[1].unreadable == ()


@pytest.mark.parametrize("link", [
    "https://graph.microsoft.com/v1.0/me/x\x00y",  # httpx refuses a NUL
    "https://[::1/v1.0/me/x",  # an open IPv6 bracket: urlsplit raises
    "https://graph.microsoft.com/v1.0/" + "a" * 70_000,  # past httpx's URL length
], ids=["nul", "bracket", "long"])
async def test_a_next_link_that_is_no_url_is_a_graph_error(link: str) -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, json={"value": [_event(1)], "@odata.nextLink": link})

    with pytest.raises(GraphError, match="not a usable URL"):
        await _listing(_client(handler))
    assert len(sent) == 1


async def test_a_cancel_of_an_id_too_long_for_a_url_is_refused_unsent() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        return httpx.Response(202)

    async with _client(handler) as client:
        with pytest.raises(GraphError, match="not a usable URL"):
            await client.cancel_event(EventRef("A" * 70_000), "Sorry")
    assert sent == []


async def _serve(answer: Callable[[str], bytes]) -> asyncio.Server:
    """A loopback server answering each request with `answer(request line)` raw."""
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        if length:
            await reader.readexactly(length)
        writer.write(answer(head.split(b"\r\n")[0].decode()))
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


def _http(status: int, body: bytes, *headers: str) -> bytes:
    head = "".join(f"{h}\r\n" for h in (*headers, f"Content-Length: {len(body)}",
                                         "Connection: close"))
    return f"HTTP/1.1 {status} X\r\n{head}\r\n".encode() + body


async def test_a_body_its_content_encoding_does_not_decode_is_a_graph_error() -> None:
    server = await _serve(lambda line: _http(200, b"not gzip at all", "Content-Encoding: gzip"))
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(GraphError, match="Content-Encoding"):
            await _listing(_client(lambda r: httpx.Response(500), f"http://127.0.0.1:{port}/v1.0"))
    finally:
        server.close()


async def test_a_cancel_whose_answer_does_not_decode_is_checked_not_reported_unsent() -> None:
    """202 with a "gzip" body that is not: the cancel ran; a look at the event says so."""
    looked = {"id": "E1", "isCancelled": True}

    def answer(line: str) -> bytes:
        if line.startswith("POST"):
            return _http(202, b"\x00garbage", "Content-Encoding: gzip")
        return _http(200, json.dumps(looked).encode(), "Content-Type: application/json")

    server = await _serve(answer)
    port = server.sockets[0].getsockname()[1]
    try:
        async with _client(lambda r: httpx.Response(500),
                           f"http://127.0.0.1:{port}/v1.0") as client:
            outcome = await client.cancel_event(EventRef("E1"), "Sorry")
    finally:
        server.close()
    assert outcome.checked


async def _bulk(entries: list[dict[str, Any]], live: bool) -> list[BatchItemOutcome]:
    """A bulk cancel of E1..E3 whose one batch answer holds `entries`; a look at an event
    finds it live (not cancelled) or cancelled."""
    sends: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("$batch"):
            sends.append("batch")
            if len(sends) == 1:
                return httpx.Response(200, json={"responses": entries})
            ids = [r["id"] for r in json.loads(request.content)["requests"]]
            return httpx.Response(200, json={"responses": [
                {"id": i, "status": 400, "body": {"error": {"code": "x", "message": "no"}}}
                for i in ids]})
        return httpx.Response(200, json={"id": "E", "isCancelled": not live})

    async with _client(handler) as client:
        return [o async for o in client.cancel_many(
            [EventRef(f"E{n}") for n in (1, 2, 3)], "Sorry")]


@pytest.mark.parametrize("status", [-1, 0, 102, 302, 600, 99999])
async def test_a_batch_item_with_a_nonsense_status_is_checked_not_reported_failed(
    status: int,
) -> None:
    """Only a 4xx is a refusal that did nothing: any other odd status may have run."""
    entries = [{"id": "1", "status": status}, {"id": "2", "status": 202},
               {"id": "3", "status": 202}]
    outcomes = {o.ref.event_id: o for o in await _bulk(entries, live=False)}
    assert outcomes["E1"].status == "done" and outcomes["E1"].checked
    assert outcomes["E1"].sends == 1


async def test_a_batch_id_answered_twice_is_checked_not_taken_at_its_last_word() -> None:
    """202 then 400 for one id: it may have been cancelled, so it is looked at."""
    refusal = {"error": {"code": "ErrorCalendarIsNotOrganizer", "message": "organizer"}}
    entries = [{"id": "1", "status": 202}, {"id": "1", "status": 400, "body": refusal},
               {"id": "2", "status": 202}, {"id": "3", "status": 202}]
    outcomes = {o.ref.event_id: o for o in await _bulk(entries, live=False)}
    assert outcomes["E1"].status == "done" and outcomes["E1"].checked
    assert {outcomes["E2"].status, outcomes["E3"].status} == {"done"}


async def test_a_batch_item_with_a_nonsense_status_still_live_is_sent_again_once() -> None:
    entries = [{"id": "1", "status": 302}, {"id": "2", "status": 202},
               {"id": "3", "status": 202}]
    outcomes = {o.ref.event_id: o for o in await _bulk(entries, live=True)}
    # The check found it live, so one more send; Graph refused that one.
    assert outcomes["E1"].status == "failed" and outcomes["E1"].sends == 2



def _delta_client(delta_link: str, seen: list[str]) -> GraphClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"value": [_event(1)], "@odata.deltaLink": delta_link})

    return _client(handler)


@pytest.mark.parametrize("link", [
    "https://evil.example/v1.0/me/calendarView/delta?$deltatoken=x",
    "https://graph.microsoft.com/v1.0/me/x\x00y",
], ids=["other-server", "no-url"])
async def test_a_sync_round_ending_in_a_delta_link_that_cannot_be_followed_fails_now(
    link: str,
) -> None:
    """Kept, such a link would make every later sync fail; the round fails instead."""
    seen: list[str] = []
    async with _delta_client(link, seen) as client:
        with pytest.raises(GraphError, match="deltaLink cal365 cannot follow"):
            await client.calendar_view_delta(ME, START, END)
    assert len(seen) == 1


async def test_a_kept_delta_link_to_another_server_starts_the_sync_over() -> None:
    """One kept by an older cal365: a lost sync state, as after a 410, and no token sent."""
    seen: list[str] = []
    good = f"{BASE}/me/calendarView/delta?$deltatoken=fresh"
    async with _delta_client(good, seen) as client:
        round_ = await client.calendar_view_delta(
            ME, START, END, "https://evil.example/v1.0/me/calendarView/delta?$deltatoken=x")
    assert round_.full and round_.delta_link == good
    assert all(url.startswith(BASE) for url in seen)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_cancel_answered_with_a_redirect_is_checked_not_reported_refused(
    status: int,
) -> None:
    """The redirect is not followed (the sign-in would go along) and proves nothing: the
    event is looked at, and found cancelled here, the cancel is reported done, sent once."""
    posts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posts.append(str(request.url))
            return httpx.Response(status, headers={"Location": "https://evil.example/x"})
        return httpx.Response(404, json={"error": {"code": "ErrorItemNotFound",
                                                  "message": "gone"}})

    async with _client(handler) as client:
        outcome = await client.cancel_event(EventRef("E1"), "Sorry")
    assert outcome.checked and len(posts) == 1


@pytest.mark.parametrize("token", ["tok\r\nX-Evil: 1", "tok\x00en", "t\u00f6ken", "tok en", ""],
                         ids=["crlf", "nul", "non-ascii", "space", "empty"])
async def test_a_token_no_header_can_carry_is_refused_unsent_and_unquoted(token: str) -> None:
    """From the environment or a sign-in service: never sent (a line break would add
    headers), never a traceback, and the error does not print the token."""
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        return httpx.Response(202)

    client = GraphClient(BASE, token, transport=httpx.MockTransport(handler),
                         policy=RetryPolicy(sleep=_no_sleep, settle=0))
    async with client:
        for attempt in (_listing(client), client.cancel_event(EventRef("E1"), "Sorry")):
            with pytest.raises(GraphError) as raised:
                await attempt
            assert raised.value.status == 401
            assert not token or token not in str(raised.value)
    assert sent == []


async def test_an_error_in_the_oauth_form_keeps_its_words() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401 if request.method == "GET" else 400, json={
            "error": "invalid_token", "error_description": "The token expired"})

    with pytest.raises(GraphError) as raised:
        await _listing(_client(handler))
    assert (raised.value.code, raised.value.message) == ("invalid_token", "The token expired")
