"""A bulk cancel retries by the transport's one policy: the batch request itself is retried
only by the transport, each item inside it at most `max_retries` times, and no server
keeps a bulk cancel going forever."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from tui.graph import EventRef, GraphClient, RetryPolicy, WaitNotice


async def _no_sleep(seconds: float) -> None:
    """Waits are recorded through the observer, never slept."""


def _client(handler: Callable[[httpx.Request], httpx.Response], retries: int,
            waits: list[WaitNotice]) -> GraphClient:
    return GraphClient("https://graph.example.test/v1.0", "tok",
                       transport=httpx.MockTransport(handler), on_wait=waits.append,
                       policy=RetryPolicy(sleep=_no_sleep, max_retries=retries))


def _batch_posts(sent: list[httpx.Request]) -> list[list[str]]:
    return [[r["url"] for r in json.loads(q.content)["requests"]] for q in sent
            if q.method == "POST"]


async def test_a_throttled_batch_is_retried_by_the_policy_alone() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(429, headers={"Retry-After": "2"},
                              json={"error": {"code": "TooManyRequests", "message": "slow"}})

    waits: list[WaitNotice] = []
    async with _client(handler, 3, waits) as client:
        outcomes = [o async for o in client.cancel_many([EventRef("A"), EventRef("B")], None)]
    # One send and three retries, each after Graph's Retry-After; then every item failed
    # (refused unprocessed: safe to send again), nothing sent to look at the events.
    assert len(_batch_posts(sent)) == 4 and len(sent) == 4
    assert [(w.reason, w.seconds, w.status) for w in waits] == [("throttled", 2.0, 429)] * 3
    assert {(o.status, o.reason, o.sends) for o in outcomes} == {
        ("failed", "TooManyRequests: slow", 1)}


async def test_a_throttled_item_is_sent_again_at_most_max_retries_times() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        requests = json.loads(request.content)["requests"]
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 202 if r["url"].endswith("/A/cancel") else 429,
             "headers": {"Retry-After": "1"}} for r in requests]})

    waits: list[WaitNotice] = []
    async with _client(handler, 2, waits) as client:
        outcomes = {o.ref.event_id: o async for o in
                    client.cancel_many([EventRef("A"), EventRef("B")], None)}
    assert _batch_posts(sent) == [["/me/events/A/cancel", "/me/events/B/cancel"],
                                  ["/me/events/B/cancel"], ["/me/events/B/cancel"]]
    assert [(w.reason, w.seconds) for w in waits] == [("throttled", 1.0)] * 2
    assert outcomes["A"].status == "done"
    assert (outcomes["B"].status, outcomes["B"].sends) == ("failed", 3)
    assert outcomes["B"].reason == "gave up after 3 tries: throttled"


async def test_a_server_that_never_runs_anything_cannot_keep_a_bulk_cancel_going() -> None:
    """424 says "not run: what it depended on failed"; a server answering it to every item,
    the first included, is not believed forever: each such answer spends a try."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        requests = json.loads(request.content)["requests"]
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 424} for r in requests]})

    waits: list[WaitNotice] = []
    refs = [EventRef(f"E{i}") for i in range(3)]
    async with _client(handler, 1, waits) as client:
        outcomes = [o async for o in client.cancel_many(refs, None)]
    assert {o.status for o in outcomes} == {"failed"} and len(outcomes) == 3
    assert all(o.sends <= 2 * len(refs) for o in outcomes)
    assert len(_batch_posts(sent)) <= 2 * len(refs)


async def test_items_not_run_after_a_throttled_one_do_not_spend_their_tries() -> None:
    """An honest 424 (the one before it failed) is sent again freely: only the throttled
    item's tries count, so the items behind it are cancelled however long that takes."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        requests = json.loads(request.content)["requests"]
        answers = []
        failed = False
        for r in requests:
            if failed:
                answers.append({"id": r["id"], "status": 424})
            elif r["url"].endswith("/A/cancel") and len(sent) <= 2:
                failed = True
                answers.append({"id": r["id"], "status": 429, "headers": {"Retry-After": "0"}})
            else:
                answers.append({"id": r["id"], "status": 202})
        return httpx.Response(200, json={"responses": answers})

    waits: list[WaitNotice] = []
    async with _client(handler, 2, waits) as client:
        outcomes = {o.ref.event_id: o async for o in
                    client.cancel_many([EventRef("A"), EventRef("B"), EventRef("C")], None)}
    assert {k: (o.status, o.sends) for k, o in outcomes.items()} == {
        "A": ("done", 3), "B": ("done", 3), "C": ("done", 3)}
    assert len(_batch_posts(sent)) == 3
