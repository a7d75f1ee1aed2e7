"""The client's calendarView delta rounds, against the fake Graph and scripted answers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest

from tui.fake import FakeGraph, seed
from tui.graph import (
    ME,
    CalendarRef,
    DeltaRound,
    GraphClient,
    GraphError,
    GraphUnavailable,
    Mailbox,
    RetryPolicy,
    WaitNotice,
)

START = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
END = START + dt.timedelta(days=7)
BASE = "https://graph.example.test/v1.0"


async def _no_sleep(seconds: float) -> None:
    """Tests never wait for real."""


class _Spy(httpx.AsyncBaseTransport):
    """The real transport, with the response bodies tallied and chosen answers replaced."""

    def __init__(self, replace: Callable[[httpx.Request, int], httpx.Response | None]
                 = lambda request, n: None) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.replace = replace
        self.sent: list[httpx.Request] = []
        self.body_bytes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        response = self.replace(request, len(self.sent))
        if response is None:
            response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.body_bytes += len(body)
        return httpx.Response(response.status_code, headers=response.headers, content=body)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _client(fake: FakeGraph, spy: _Spy | None = None,
            on_wait: Callable[[WaitNotice], None] | None = None) -> GraphClient:
    return GraphClient(fake.base_url, fake.token, timezone="Europe/Berlin", transport=spy,
                       policy=RetryPolicy(sleep=_no_sleep), on_wait=on_wait)


def _view_ids(fake: FakeGraph, **where: Any) -> list[str]:
    return sorted(e["id"] for e in fake.store.calendar_view(START, END, **where))


def _ids(events: list[Any]) -> list[str]:
    return sorted(e.id for e in events)


async def test_initial_round_lists_the_window(fake_graph: FakeGraph) -> None:
    spy = _Spy()
    async with _client(fake_graph, spy) as client:
        result = await client.calendar_view_delta(ME, START, END, page_size=10)
    expected = _view_ids(fake_graph)
    assert result.full and result.removed == []
    assert _ids(result.upserts) == expected
    # One empty opening page, then pages of at most 10, the last with the deltaLink.
    assert result.requests == len(spy.sent) == 1 + -(-len(expected) // 10)
    assert result.bytes == spy.body_bytes
    assert "$deltatoken=" in result.delta_link
    first = spy.sent[0]
    assert first.url.path == "/v1.0/me/calendarView/delta"
    query = dict(parse_qsl(first.url.query.decode()))
    assert query == {"startDateTime": "2026-11-23T00:00:00Z", "endDateTime": "2026-11-30T00:00:00Z"}
    for request in spy.sent:
        prefer = request.headers["Prefer"]
        assert 'outlook.timezone="Europe/Berlin"' in prefer and "odata.maxpagesize=10" in prefer
    for request in spy.sent[1:]:
        assert set(dict(parse_qsl(request.url.query.decode()))) == {"$skiptoken"}
    assert all(e.start is not None and e.start.utcoffset() == dt.timedelta(hours=1)
               for e in result.upserts if not e.is_all_day)


async def test_next_round_brings_only_the_changes(fake_graph: FakeGraph) -> None:
    fake = fake_graph
    async with _client(fake) as client:
        first = await client.calendar_view_delta(ME, START, END)
        by_id = {e.id: e for e in first.upserts}
        singles = [e for e in first.upserts if e.type == "singleInstance" and not e.is_all_day]
        organized = next(e for e in singles if e.is_organizer and e.attendees)
        others = [e for e in singles if e is not organized]
        added = [fake.add_event(f"New {n}", START + dt.timedelta(days=n, hours=8),
                                START + dt.timedelta(days=n, hours=9)) for n in range(3)]
        fake.change_event(others[0].id, subject="Moved to Friday")
        fake.remove_event(others[1].id)
        await client.cancel_event(organized.ref, "Sorry, cancelled")
        second = await client.calendar_view_delta(ME, START, END, first.delta_link)
    assert not second.full
    assert _ids(second.upserts) == sorted([*added, others[0].id])
    assert sorted(second.removed) == sorted([others[1].id, organized.id])
    assert second.requests == 1
    assert second.bytes < first.bytes / 10
    changed = next(e for e in second.upserts if e.id == others[0].id)
    assert changed.subject == "Moved to Friday" and by_id[changed.id].subject != changed.subject
    assert second.delta_link != first.delta_link


async def test_unchanged_calendar_gives_an_empty_round(fake_graph: FakeGraph) -> None:
    async with _client(fake_graph) as client:
        first = await client.calendar_view_delta(ME, START, END)
        second = await client.calendar_view_delta(ME, START, END, first.delta_link)
    assert second == DeltaRound([], [], second.delta_link, False, 1, second.bytes)


async def test_stale_token_makes_a_silent_full_round(fake_graph: FakeGraph) -> None:
    fake = fake_graph
    spy = _Spy()
    async with _client(fake, spy) as client:
        first = await client.calendar_view_delta(ME, START, END, page_size=50)
        fake.expire_delta_tokens()
        added = fake.add_event("While we were away", START + dt.timedelta(hours=8),
                               START + dt.timedelta(hours=9))
        sent_before = len(spy.sent)
        again = await client.calendar_view_delta(ME, START, END, first.delta_link, page_size=50)
    assert again.full and again.removed == []
    assert _ids(again.upserts) == _view_ids(fake) and added in _ids(again.upserts)
    statuses = [r.status for r in fake.requests[sent_before:]]
    assert statuses[0] == 410 and set(statuses[1:]) == {200}
    assert again.requests == len(statuses)
    assert "$deltatoken" not in str(spy.sent[sent_before + 1].url)
    # The new link works as any other.
    third = await _next(fake, again.delta_link)
    assert not third.full and third.upserts == []


async def _next(fake: FakeGraph, link: str) -> DeltaRound:
    async with _client(fake) as client:
        return await client.calendar_view_delta(ME, START, END, link)


async def test_throttled_page_mid_round_is_retried(fake_graph: FakeGraph) -> None:
    def throttle_second_page(request: httpx.Request, n: int) -> httpx.Response | None:
        if n == 3:  # the second page that holds events
            return httpx.Response(429, headers={"Retry-After": "2"}, json={
                "error": {"code": "ApplicationThrottled", "message": "Too many requests"}})
        return None

    spy = _Spy(throttle_second_page)
    waits: list[WaitNotice] = []
    async with _client(fake_graph, spy, waits.append) as client:
        result = await client.calendar_view_delta(ME, START, END, page_size=10)
    assert _ids(result.upserts) == _view_ids(fake_graph)
    assert [(w.reason, w.status, w.seconds) for w in waits] == [("throttled", 429, 2.0)]
    assert spy.sent[2].url == spy.sent[3].url
    assert result.requests == len(spy.sent)


def _forms() -> list[tuple[CalendarRef | Mailbox, str, dict[str, Any]]]:
    jonas = Mailbox("user", seed.JONAS_UPN)
    group = Mailbox("group", seed.GROUP_ID)
    return [
        (ME, "/me/calendarView/delta", {}),
        (CalendarRef(ME), "/me/calendar/calendarView/delta", {}),
        (Mailbox("user", seed.ME_UPN), f"/users/{seed.ME_UPN}/calendarView/delta", {}),
        (CalendarRef(Mailbox("user", seed.ME_ID)),
         f"/users/{seed.ME_ID}/calendar/calendarView/delta", {}),
        (jonas, f"/users/{seed.JONAS_UPN}/calendarView/delta", {"user": seed.JONAS_ID}),
        (group, f"/groups/{seed.GROUP_ID}/calendarView/delta", {"user": seed.GROUP_ID}),
        (CalendarRef(group), f"/groups/{seed.GROUP_ID}/calendar/calendarView/delta",
         {"user": seed.GROUP_ID}),
    ]


@pytest.mark.parametrize("index", range(len(_forms())))
async def test_every_mailbox_form(fake_graph: FakeGraph, index: int) -> None:
    target, path, where = _forms()[index]
    async with _client(fake_graph) as client:
        first = await client.calendar_view_delta(target, START, END)
        expected = _view_ids(fake_graph, **where)
        user = where.get("user")
        added = fake_graph.add_event("Added", START + dt.timedelta(hours=7),
                                     START + dt.timedelta(hours=8), user=user)
        second = await client.calendar_view_delta(target, START, END, first.delta_link)
    assert _ids(first.upserts) == expected != []
    assert [e.id for e in second.upserts] == [added]
    assert unquote(urlsplit(fake_graph.requests[0].raw_path).path) == f"/v1.0{path}"
    mailbox = target if isinstance(target, Mailbox) else target.mailbox
    assert all(e.ref.mailbox == mailbox for e in first.upserts + second.upserts)


async def test_named_calendars_and_calendar_group_paths(fake_graph: FakeGraph) -> None:
    personal = fake_graph.store.calendar_ids()["Personal"]
    async with _client(fake_graph) as client:
        groups = await client.calendar_groups()
        for target in (CalendarRef(ME, personal), CalendarRef(ME, personal, groups[0].id)):
            fake_graph.clear_requests()
            result = await client.calendar_view_delta(target, START, END)
            assert _ids(result.upserts) == _view_ids(fake_graph, calendar_id=personal) != []
            assert all(e.ref.calendar == target for e in result.upserts)
            path = unquote(fake_graph.requests[0].path)
            assert path.endswith("/calendarView/delta") and personal in path


async def test_dead_network_is_graph_unavailable(fake_graph: FakeGraph) -> None:
    client = _client(fake_graph)
    fake_graph.stop()
    async with client:
        with pytest.raises(GraphUnavailable):
            await client.calendar_view_delta(ME, START, END)


async def test_refusals_are_graph_errors(fake_graph: FakeGraph) -> None:
    async with _client(fake_graph) as client:
        with pytest.raises(GraphError) as refused:
            await client.calendar_view_delta(Mailbox("user", seed.GUEST_UPN), START, END)
    assert refused.value.status in (403, 404)


async def test_window_must_be_sound() -> None:
    async with GraphClient(BASE, "tok") as client:
        with pytest.raises(ValueError):
            await client.calendar_view_delta(ME, START.replace(tzinfo=None), END)
        with pytest.raises(ValueError):
            await client.calendar_view_delta(ME, END, START)


def _scripted(pages: list[tuple[int, dict[str, Any]]]) -> tuple[GraphClient, list[str]]:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        status, body = pages[min(len(seen), len(pages)) - 1]
        return httpx.Response(status, content=json.dumps(body).encode())

    client = GraphClient(BASE, "tok", transport=httpx.MockTransport(handler),
                         policy=RetryPolicy(sleep=_no_sleep))
    return client, seen


def _event(event_id: str, subject: str) -> dict[str, Any]:
    return {"id": event_id, "subject": subject, "type": "singleInstance",
            "start": {"dateTime": "2026-11-23T09:00:00.0000000", "timeZone": "UTC"},
            "end": {"dateTime": "2026-11-23T10:00:00.0000000", "timeZone": "UTC"}}


GONE = {"error": {"code": "SyncStateNotFound", "message": "gone"}}


async def test_later_entries_for_an_id_win() -> None:
    removed = {"@odata.type": "#microsoft.graph.event", "id": "b",
               "@removed": {"reason": "deleted"}}
    client, seen = _scripted([
        (200, {"value": [_event("a", "first"), _event("b", "here")],
               "@odata.nextLink": f"{BASE}/me/calendarView/delta?$skiptoken=x"}),
        (200, {"value": [removed, _event("a", "second"), {"id": None}, "junk"],
               "@odata.deltaLink": f"{BASE}/me/calendarView/delta?$deltatoken=y"}),
    ])
    async with client:
        result = await client.calendar_view_delta(ME, START, END, f"{BASE}/old?$deltatoken=z")
    assert [(e.id, e.subject) for e in result.upserts] == [("a", "second")]
    assert result.removed == ["b"] and not result.full
    assert seen[0] == f"{BASE}/old?$deltatoken=z"
    assert seen[1] == f"{BASE}/me/calendarView/delta?$skiptoken=x"


async def test_gone_twice_is_an_error_not_a_loop() -> None:
    client, seen = _scripted([(410, GONE)])
    async with client:
        with pytest.raises(GraphError) as gone:
            await client.calendar_view_delta(ME, START, END, f"{BASE}/me/calendarView/delta?a=1")
    assert gone.value.code == "SyncStateNotFound" and len(seen) == 2


async def test_a_round_without_a_delta_link_is_an_error() -> None:
    client, _ = _scripted([(200, {"value": []})])
    async with client:
        with pytest.raises(GraphError) as broken:
            await client.calendar_view_delta(ME, START, END)
    assert broken.value.code == "InvalidResponse"
