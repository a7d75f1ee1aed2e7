"""Many events looked up at once (`GraphClient.get_events`): JSON batches of GETs against
the fake Graph, and against scripted answers for what the fake would never say."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tui.fake import FakeGraph, seed
from tui.fake.bulk import add_meetings
from tui.fake.faults import Fault
from tui.graph import EventRef, GraphClient, Mailbox, RetryPolicy
from tui.graph.errors import AuthenticationRequired, GraphError, GraphUnavailable, NotFound
from tui.graph.lookups import LOOKUP_SELECT

BASE = "https://graph.example.test/v1.0"
JONAS = Mailbox("user", seed.JONAS_UPN)


async def _no_sleep(seconds: float) -> None:
    """Waits are counted where they matter, never slept."""


def fake_client(fake: FakeGraph, **kwargs: Any) -> GraphClient:
    return GraphClient(fake.base_url, fake.token, timezone="Europe/Berlin",
                       policy=RetryPolicy(sleep=_no_sleep), **kwargs)


def batches(fake: FakeGraph) -> list[list[dict[str, Any]]]:
    """The requests of each `$batch` the fake received, as sent."""
    return [json.loads(r.body)["requests"] for r in fake.requests
            if r.method == "POST" and r.path.endswith("/$batch")]


def top_level(fake: FakeGraph) -> list[Any]:
    return [r for r in fake.requests if not r.in_batch]


async def test_more_than_twenty_events_come_in_batches_of_twenty_with_only_what_is_needed(
    fake_graph: FakeGraph,
) -> None:
    ids = add_meetings(fake_graph.store, 45)
    fake_graph.clear_requests()
    async with fake_client(fake_graph) as client:
        found = await client.get_events([EventRef(i) for i in ids])
    assert [f.ref.event_id for f in found] == ids  # one answer each, in the order asked
    assert all(f.error is None and f.event is not None for f in found)
    assert all(f.event.subject.startswith("Planning sync") for f in found if f.event)
    assert all(f.event.is_organizer and f.event.start is not None for f in found if f.event)
    assert all(f.event.start.utcoffset() is not None for f in found if f.event and f.event.start)
    assert len(top_level(fake_graph)) == 3  # ceil(45 / 20) requests, nothing else
    sent = batches(fake_graph)
    assert sorted(len(b) for b in sent) == [5, 20, 20]
    for requests in sent:
        for request in requests:
            assert request["method"] == "GET" and "body" not in request
            path, _, query = request["url"].partition("?")
            assert path.startswith("/me/events/") and query == f"$select={LOOKUP_SELECT}"
            assert request["headers"] == {"Prefer": 'outlook.timezone="Europe/Berlin"'}
    # Graph ran each as a GET of its own, with the $select the batch named.
    ran = [r for r in fake_graph.requests if r.in_batch]
    assert len(ran) == 45 and all(r.method == "GET" for r in ran)
    assert all(r.query == {"$select": LOOKUP_SELECT} for r in ran)


async def test_a_missing_event_is_not_found_and_the_others_are_read(
    fake_graph: FakeGraph,
) -> None:
    ids = add_meetings(fake_graph.store, 4)
    asked = [ids[0], "AAMk-no-such-event", ids[1], "AAMk-nor-this", ids[2], ids[3]]
    async with fake_client(fake_graph) as client:
        found = await client.get_events([EventRef(i) for i in asked])
    assert [f.ref.event_id for f in found] == asked
    missing = [f for f in found if f.event is None]
    assert [f.ref.event_id for f in missing] == ["AAMk-no-such-event", "AAMk-nor-this"]
    assert all(isinstance(f.error, NotFound) for f in missing)
    assert all(f.event is not None and f.error is None for f in found if f not in missing)


async def test_refs_across_two_mailboxes_each_in_their_own_batches_with_no_access_said(
    fake_graph: FakeGraph,
) -> None:
    mine = add_meetings(fake_graph.store, 25)
    his = add_meetings(fake_graph.store, 3, user=seed.JONAS_ID)
    refs = [EventRef(i) for i in mine] + [EventRef(i, JONAS) for i in his]
    fake_graph.clear_requests()
    async with fake_client(fake_graph) as client:
        found = await client.get_events(refs)
    assert [f.ref for f in found] == refs
    assert all(f.event is not None for f in found)
    assert [f.event.ref.mailbox for f in found[-3:] if f.event] == [JONAS] * 3
    sent = batches(fake_graph)
    assert len(sent) == 3  # 20 + 5 of mine, 3 of his: a batch holds one mailbox's
    for requests in sent:
        assert len({r["url"].split("/events/")[0] for r in requests}) == 1

    # Without the permission for other people's calendars, Graph refuses his: 403 each.
    fake_graph.grant(fake_graph.token, ["Calendars.ReadWrite", "User.Read"])
    async with fake_client(fake_graph) as client:
        found = await client.get_events(refs)
    assert all(f.event is not None for f in found[:25])
    refused = found[25:]
    assert all(f.event is None and isinstance(f.error, GraphError) for f in refused)
    assert {f.error.status for f in refused if f.error} == {403}


async def test_throttled_items_are_asked_again_and_each_event_answered_once(
    fake_graph: FakeGraph,
) -> None:
    ids = add_meetings(fake_graph.store, 30)
    throttle = fake_graph.faults.add(Fault("throttle", method="GET", in_batch=True, times=3,
                                           retry_after="2"))
    waits: list[Any] = []
    async with fake_client(fake_graph, on_wait=waits.append) as client:
        found = await client.get_events([EventRef(i) for i in ids])
    assert throttle.fired == 3
    assert all(f.event is not None and f.error is None for f in found)
    assert [f.ref.event_id for f in found] == ids
    assert waits and waits[0].reason == "throttled" and waits[0].seconds == 2.0
    assert len(top_level(fake_graph)) >= 3  # the two first batches, then the items again


async def test_an_item_throttled_past_the_policy_tries_is_an_error_not_a_gap(
    fake_graph: FakeGraph,
) -> None:
    ids = add_meetings(fake_graph.store, 3)
    fake_graph.faults.add(Fault("throttle", method="GET", path=re.escape(ids[1]),
                                in_batch=True, times=None))
    async with fake_client(fake_graph) as client:
        found = await client.get_events([EventRef(i) for i in ids])
    assert found[0].event is not None and found[2].event is not None
    assert found[1].event is None and found[1].error is not None
    assert found[1].error.status == 429 and "gave up after 5 tries" in found[1].error.message
    throttled = [r for r in fake_graph.requests if r.in_batch and ids[1] in r.path]
    assert len(throttled) == 5  # the policy's tries, and no more


async def test_a_throttled_batch_is_sent_again_whole(fake_graph: FakeGraph) -> None:
    ids = add_meetings(fake_graph.store, 3)
    fake_graph.faults.add(Fault("throttle", method="POST", path=r"/\$batch$", in_batch=False,
                                times=2))
    async with fake_client(fake_graph) as client:
        found = await client.get_events([EventRef(i) for i in ids])
    assert all(f.event is not None for f in found)
    assert [r.status for r in top_level(fake_graph)] == [429, 429, 200]


async def test_the_same_event_twice_is_asked_once(fake_graph: FakeGraph) -> None:
    (one,) = add_meetings(fake_graph.store, 1)
    fake_graph.clear_requests()
    async with fake_client(fake_graph) as client:
        found = await client.get_events([EventRef(one), EventRef(one)])
    assert found[0] == found[1] and found[0].event is not None
    assert [len(b) for b in batches(fake_graph)] == [1]


# -- answers the fake would not give ---------------------------------------------------------


def scripted(handler: Callable[[list[dict[str, Any]]], httpx.Response]) -> GraphClient:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1.0/$batch"
        return handler(json.loads(request.content)["requests"])

    return GraphClient(BASE, "tok", transport=httpx.MockTransport(answer),
                       policy=RetryPolicy(sleep=_no_sleep))


def event(ident: str) -> dict[str, Any]:
    return {"id": ident, "subject": f"About {ident}", "isOrganizer": True,
            "start": {"dateTime": "2026-11-23T10:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2026-11-23T11:00:00", "timeZone": "UTC"}}


@pytest.mark.parametrize("body", [b"<html>proxy</html>", b'{"value": []}', b'{"responses": 3}'])
async def test_an_answer_that_is_no_batch_answer_is_a_clear_error_for_each(body: bytes) -> None:
    client = scripted(lambda requests: httpx.Response(200, content=body))
    async with client:
        found = await client.get_events([EventRef("A"), EventRef("B")])
    assert all(f.event is None and f.error is not None for f in found)
    assert all(f.error.code == "InvalidResponse" and "not a batch answer" in f.error.message
               for f in found if f.error)


async def test_an_item_left_out_of_the_answer_is_asked_again_then_said() -> None:
    asked: list[list[str]] = []

    def handler(requests: list[dict[str, Any]]) -> httpx.Response:
        asked.append([r["url"].split("/")[3].split("?")[0] for r in requests])
        # B is never answered; C once it is asked again.
        kept = [r for r in requests if "/B?" not in r["url"]
                and ("/C?" not in r["url"] or len(asked) > 1)]
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 200, "body": event(r["url"].split("/")[3].split("?")[0])}
            for r in kept]})

    async with scripted(handler) as client:
        found = await client.get_events([EventRef("A"), EventRef("B"), EventRef("C")])
    assert asked[0] == ["A", "B", "C"] and asked[1] == ["B", "C"]
    assert found[0].event is not None and found[2].event is not None
    assert found[1].event is None and found[1].error is not None
    assert "left it out" in found[1].error.message
    assert len(asked) == 5


async def test_sign_in_refused_or_no_network_is_raised_not_said_per_event() -> None:
    refused = scripted(lambda requests: httpx.Response(401, json={"error": {
        "code": "InvalidAuthenticationToken", "message": "expired"}}))
    async with refused:
        with pytest.raises(AuthenticationRequired):
            await refused.get_events([EventRef("A")])

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = GraphClient(BASE, "tok", transport=httpx.MockTransport(down),
                         policy=RetryPolicy(sleep=_no_sleep))
    async with client:
        with pytest.raises(GraphUnavailable):
            await client.get_events([EventRef("A")])


async def test_an_event_answer_without_an_id_is_an_error_not_an_event() -> None:
    def handler(requests: list[dict[str, Any]]) -> httpx.Response:
        return httpx.Response(200, json={"responses": [
            {"id": "1", "status": 200, "body": {"subject": "no id"}},
            {"id": "2", "status": 200, "body": event("B")}]})

    async with scripted(handler) as client:
        found = await client.get_events([EventRef("A"), EventRef("B")])
    assert found[0].event is None and found[0].error is not None
    assert found[0].error.code == "InvalidResponse"
    assert found[1].event is not None and found[1].event.subject == "About B"


async def test_an_unavailable_item_and_an_unavailable_batch_are_asked_again_as_reads() -> None:
    calls: list[list[str]] = []

    def handler(requests: list[dict[str, Any]]) -> httpx.Response:
        calls.append([r["url"] for r in requests])
        if len(calls) == 1:  # the batch as a whole: a POST, but it only reads
            return httpx.Response(503, headers={"Retry-After": "1"})
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 503 if len(calls) == 2 and r["id"] == "1" else 200,
             "body": event(r["url"].split("/")[3].split("?")[0])} for r in requests]})

    async with scripted(handler) as client:
        found = await client.get_events([EventRef("A"), EventRef("B")])
    assert all(f.event is not None for f in found)
    assert len(calls) == 3 and len(calls[2]) == 1 and "/A?" in calls[2][0]


async def test_a_group_calendar_is_read_with_the_read_permission_only() -> None:
    from tui.graph import permissions

    asked: list[frozenset[str]] = []

    class Provider:
        async def get_token(self, *, force_refresh: bool = False,
                            scopes: frozenset[str] = frozenset()) -> str:
            asked.append(scopes)
            return "tok"

    def answer(request: httpx.Request) -> httpx.Response:
        requests = json.loads(request.content)["requests"]
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 200, "body": event("G1")} for r in requests]})

    client = GraphClient(BASE, Provider(), transport=httpx.MockTransport(answer),
                         policy=RetryPolicy(sleep=_no_sleep))
    async with client:
        found = await client.get_events([EventRef("G1", Mailbox("group", "g-1"))])
    assert found[0].event is not None
    assert asked == [frozenset({permissions.GROUP_READ})]
