"""The cancel action without an app: what is sent, how it is classified, what is audited."""

from __future__ import annotations

import errno
import json

import httpx
import pytest

from tests.actions.events import event
from tui.actions import audit
from tui.actions.cancel import BulkRun, CancelRequest, batches, plan, run_one
from tui.graph import GraphClient, RetryPolicy

BASE = "https://graph.example.test/v1.0"


async def _no_sleep(seconds: float) -> None:
    """Waits are not what these tests are about."""


def _client(handler: httpx.MockTransport) -> GraphClient:
    return GraphClient(BASE, "tok", transport=handler, policy=RetryPolicy(sleep=_no_sleep))


def _logged() -> list[audit.AuditEntry]:
    return audit.read().entries


async def test_a_cancel_of_the_whole_series_goes_to_its_master_and_is_audited() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        assert json.loads(request.content) == {"Comment": "moved"}
        return httpx.Response(202, headers={"request-id": "rid-1"})

    request = CancelRequest.of(event("occ", master="master"), "moved", whole_series=True)
    assert request.series and request.planned().path == "/me/events/master/cancel"
    async with _client(httpx.MockTransport(handler)) as client:
        answer = await run_one(client, request, account="me@x.test")
    assert paths == ["/v1.0/me/events/master/cancel"]
    assert (answer.kind, answer.request_id, answer.unaudited, answer.blocked) == \
        ("done", "rid-1", None, None)
    [entry] = _logged()
    assert (entry.event_id, entry.outcome, entry.comment, entry.account, entry.source) == \
        ("master", "cancelled", "moved", "me@x.test", "tui")


async def test_a_refusal_is_classified_once_and_logged_with_that_word() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": {
            "code": "ErrorInvalidRequest", "message": "You need to be an organizer to cancel."}})

    async with _client(httpx.MockTransport(handler)) as client:
        answer = await run_one(client, CancelRequest.of(event("e"), ""), account=None)
    assert answer.kind == "not-organizer" and answer.error is not None
    [entry] = _logged()
    assert entry.outcome == "not-organizer" and entry.comment is None


async def test_nothing_is_sent_when_the_audit_log_cannot_take_the_record(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("sent although the audit log could not take its record")

    monkeypatch.setattr(audit, "cannot_record", lambda subjects, comment: "disk full")
    async with _client(httpx.MockTransport(handler)) as client:
        answer = await run_one(client, CancelRequest.of(event("e"), "x"), account=None)
        run = BulkRun(client, [event("a"), event("b")], "x", check_first=False, account=None)
        assert await run.blocked() == "disk full"
    assert answer.blocked == "disk full" and answer.kind == "not-sent"
    assert _logged() == []


async def test_a_record_that_cannot_be_written_is_said_and_the_cancel_stands(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def full(entry: audit.AuditEntry) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "audit.jsonl")

    monkeypatch.setattr(audit, "append", full)
    transport = httpx.MockTransport(lambda request: httpx.Response(202))
    async with _client(transport) as client:
        answer = await run_one(client, CancelRequest.of(event("e"), "x"), account=None)
    assert answer.kind == "done"
    assert answer.unaudited == "the disk is full (audit.jsonl)"


async def test_a_bulk_run_answers_each_event_classified_and_audited() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1.0/$batch"
        return httpx.Response(200, json={"responses": [
            {"id": "2", "status": 404, "body": {"error": {"code": "ErrorItemNotFound",
                                                          "message": "gone"}}},
            {"id": "1", "status": 202, "headers": {"request-id": "rid-a"}},
        ]})

    events = [event("a"), event("b")]
    async with _client(httpx.MockTransport(handler)) as client:
        run = BulkRun(client, events, "sorry", check_first=False, account="me@x.test")
        assert await run.blocked() is None
        answers = {a.event.id: a async for a in run.answers()}
    assert {i: a.kind for i, a in answers.items()} == {"a": "done", "b": "not-found"}
    assert run.batches == 1
    assert {e.event_id: e.outcome for e in _logged()} == {"a": "cancelled", "b": "not-found"}


def test_the_planned_requests_are_what_a_batch_carries() -> None:
    refs = [event(f"e{i}").ref for i in range(21)]
    planned = plan(refs, "  ")
    assert planned[0].to_json() == {"method": "POST", "path": "/me/events/e0/cancel",
                                    "body": {}}
    bodies = batches(refs, "hi")
    assert [len(b["requests"]) for b in bodies] == [20, 1]
    assert bodies[0]["requests"][0]["body"] == {"Comment": "hi"}
