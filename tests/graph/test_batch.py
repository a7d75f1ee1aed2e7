"""Bulk cancel requests on the wire, against scripted $batch answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tui.graph import EventRef, GraphClient, Mailbox, RetryPolicy
from tui.graph.batch import MAX_REQUESTS, build_batch, parse_batch

BASE = "https://graph.example.test/v1.0"


async def _no_sleep(seconds: float) -> None:
    """Waits are asserted where they matter, never slept."""


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> GraphClient:
    return GraphClient(BASE, "tok", transport=httpx.MockTransport(handler),
                       policy=RetryPolicy(sleep=_no_sleep))


def test_a_batch_is_a_chain_of_relative_cancels_with_content_type() -> None:
    refs = [EventRef("AAMk0/x+y="), EventRef("E2", Mailbox("user", "a#EXT#@f.test"))]
    payload = build_batch(refs, {"Comment": "Sorry"})
    first, second = payload["requests"]
    assert first == {"id": "1", "method": "POST", "url": "/me/events/AAMk0%252Fx+y=/cancel",
                     "headers": {"Content-Type": "application/json"},
                     "body": {"Comment": "Sorry"}}
    assert second["url"] == "/users/a%23EXT%23@f.test/events/E2/cancel"
    assert second["dependsOn"] == ["1"]
    with pytest.raises(ValueError):
        build_batch([EventRef("x")] * (MAX_REQUESTS + 1), {})


@pytest.mark.parametrize("payload", [None, [], {"responses": "x"}, "text"])
def test_an_answer_that_is_not_a_batch_response_is_rejected(payload: Any) -> None:
    with pytest.raises(ValueError):
        parse_batch(payload)


def test_odd_entries_in_a_batch_answer_are_skipped() -> None:
    subs = parse_batch({"responses": [
        {"id": "1", "status": 202, "headers": {"Retry-After": "2"}},
        {"id": 2, "status": 202}, {"id": "3", "status": "202"}, {"id": "4", "status": True},
        "junk", {"id": "5", "status": 204, "headers": ["x"]},
    ]})
    assert sorted(subs) == ["1", "5"]
    assert subs["1"].headers == {"retry-after": "2"} and subs["5"].headers == {}


async def test_outcomes_are_matched_by_id_whatever_the_order() -> None:
    refs = [EventRef("A"), EventRef("B"), EventRef("C"), EventRef("D")]
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.append(body)
        assert request.url.path == "/v1.0/$batch"
        refusal = {"error": {"code": "ErrorInvalidRequest", "message": (
            "Your request can't be completed. You need to be an organizer to cancel a meeting."),
            "innerError": {"request-id": "rid-B"}}}
        missing = {"error": {"code": "ErrorItemNotFound", "message": "not found",
                             "innerError": {"request-id": "rid-C"}}}
        denied = {"error": {"code": "ErrorAccessDenied", "message": "Access is denied."}}
        return httpx.Response(200, headers={"request-id": "outer"}, json={"responses": [
            {"id": "4", "status": 403, "body": denied},
            {"id": "3", "status": 404, "body": missing},
            {"id": "2", "status": 400, "body": refusal},
            {"id": "1", "status": 202, "headers": {}},
        ]})

    async with client_for(handler) as client:
        outcomes = {o.ref.event_id: o async for o in client.cancel_many(refs, "c")}
    assert len(sent) == 1 and len(sent[0]["requests"]) == 4
    assert outcomes["A"].status == "done" and outcomes["A"].request_id == "outer"
    assert outcomes["B"].status == "refused" and outcomes["B"].request_id == "rid-B"
    assert outcomes["C"].status == "not_found" and outcomes["C"].request_id == "rid-C"
    assert outcomes["D"].status == "failed"
    assert outcomes["D"].reason == "ErrorAccessDenied: Access is denied."


async def test_a_blank_comment_is_left_out_of_every_request() -> None:
    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests = json.loads(request.content)["requests"]
        bodies.extend(r["body"] for r in requests)
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 202} for r in requests]})

    async with client_for(handler) as client:
        outcomes = [o async for o in client.cancel_many([EventRef("A"), EventRef("B")], "  \n")]
    assert bodies == [{}, {}]
    assert {o.status for o in outcomes} == {"done"}


async def test_the_same_event_twice_is_sent_and_reported_once() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests = json.loads(request.content)["requests"]
        seen.extend(r["url"] for r in requests)
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 202} for r in requests]})

    async with client_for(handler) as client:
        outcomes = [o async for o in client.cancel_many([EventRef("A"), EventRef("A")], None)]
    assert seen == ["/me/events/A/cancel"] and len(outcomes) == 1


async def test_a_rejected_batch_fails_every_item_with_the_reason() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": {"code": "BadRequest",
                                                   "message": "Invalid batch payload format."}})

    async with client_for(handler) as client:
        outcomes = [o async for o in client.cancel_many([EventRef("A"), EventRef("B")], None)]
    assert {(o.status, o.reason) for o in outcomes} == {
        ("failed", "BadRequest: Invalid batch payload format.")}


async def test_outcomes_known_together_come_as_one_group_each_event_once() -> None:
    refs = [EventRef(f"E{n}") for n in range(45)]

    def handler(request: httpx.Request) -> httpx.Response:
        requests = json.loads(request.content)["requests"]
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 202} for r in requests]})

    async with client_for(handler) as client:
        groups = [group async for group in client.cancel_many(refs, "c").groups()]
    assert groups and all(groups)  # answers known at the same moment come together
    assert sorted(o.ref.event_id for group in groups for o in group) == sorted(
        ref.event_id for ref in refs)
