"""Replies and deletes through the action layer: what is sent, how it is classified and
audited, alone and in bulk, and when a reply's draft can go."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx
import pytest

from tests.actions.events import event
from tui.actions import audit
from tui.actions.cancel import BulkAction, BulkRun, run_one, settled_drafts
from tui.actions.reply import DeleteRequest, ReplyRequest
from tui.graph import GraphClient, RetryPolicy, TimeSlot

BASE = "https://graph.example.test/v1.0"
ORGANIZER = ("Your request can't be completed. You can't respond to this meeting because "
             "you're the meeting organizer.")


async def _no_sleep(seconds: float) -> None:
    """Waits are not what these tests are about."""


def _client(handler: Any) -> GraphClient:
    return GraphClient(BASE, "tok", transport=httpx.MockTransport(handler),
                       policy=RetryPolicy(sleep=_no_sleep))


def _logged() -> list[tuple[str, str, str, str | None]]:
    return [(e.event_id, e.action, e.outcome, e.path) for e in audit.read().entries]


async def test_a_decline_of_the_whole_series_goes_to_its_master_and_is_audited() -> None:
    sent: list[tuple[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.path, json.loads(request.content)))
        return httpx.Response(202, headers={"request-id": "rid-1"})

    request = ReplyRequest.of(event("occ", organizer=False, master="m"), "decline", "away",
                              whole_series=True)
    assert request.series and request.action == "decline"
    assert request.planned().to_json() == {"method": "POST", "path": "/me/events/m/decline",
                                           "body": {"comment": "away", "sendResponse": True}}
    async with _client(handler) as client:
        answer = await run_one(client, request, account="me@x.test", source="cli")
    assert sent == [("/v1.0/me/events/m/decline", {"comment": "away", "sendResponse": True})]
    assert (answer.kind, answer.request_id) == ("done", "rid-1")
    assert _logged() == [("m", "decline", "declined", "/me/events/m/decline")]


async def test_an_organizers_reply_is_its_own_outcome_in_the_log() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": {"code": "ErrorInvalidRequest",
                                                   "message": ORGANIZER}})

    async with _client(handler) as client:
        answer = await run_one(client, ReplyRequest.of(event("e"), "accept", ""), account=None)
    assert answer.kind == "is-organizer"
    assert _logged() == [("e", "accept", "is-organizer", "/me/events/e/accept")]


def test_a_reply_graph_would_refuse_is_refused_when_made() -> None:
    slot = TimeSlot(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC),
                    dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="comment"):
        ReplyRequest.of(event("e"), "decline", "sorry", send_response=False)
    with pytest.raises(ValueError):
        ReplyRequest.of(event("e"), "accept", "", proposed=slot)
    with pytest.raises(ValueError):
        BulkRun(_client(lambda r: httpx.Response(500)), [event("e")], "sorry",
                action=BulkAction.reply("decline", send_response=False), check_first=False,
                account=None)
    with pytest.raises(ValueError):
        BulkAction.reply("maybe")  # type: ignore[arg-type]
    planned = ReplyRequest.of(event("e"), "tentativelyAccept", "later?", proposed=slot).planned()
    assert planned.body is not None and planned.body["proposedNewTime"]["start"] == {
        "dateTime": "2026-12-02T09:00:00", "timeZone": "UTC"}


async def test_a_delete_goes_to_the_event_itself_and_is_audited_as_deleted() -> None:
    seen: list[tuple[str, str, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, request.content))
        return httpx.Response(204)

    request = DeleteRequest.of(event("e"))
    assert request.planned().to_json() == {"method": "DELETE", "path": "/me/events/e",
                                           "body": None}
    assert request.planned().wire_body == ""
    async with _client(handler) as client:
        answer = await run_one(client, request, account=None)
    assert seen == [("DELETE", "/v1.0/me/events/e", b"")] and answer.kind == "done"
    assert _logged() == [("e", "delete", "deleted", "/me/events/e")]
    assert audit.read().entries[0].comment is None


@pytest.mark.parametrize(("action", "method", "suffix", "word"), [
    (BulkAction.reply("decline"), "POST", "/decline", "declined"),
    (BulkAction.reply("tentativelyAccept"), "POST", "/tentativelyAccept", "tentative"),
    (BulkAction.delete(), "DELETE", "", "deleted"),
    (None, "POST", "/cancel", "cancelled"),
])
async def test_a_bulk_run_sends_its_action_to_every_event_and_audits_it(
    action: BulkAction | None, method: str, suffix: str, word: str
) -> None:
    requests: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        batch = json.loads(request.content)["requests"]
        requests.extend(batch)
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 202} for r in batch]})

    events = [event("a", organizer=False), event("b", organizer=False)]
    async with _client(handler) as client:
        run = BulkRun(client, events, "sorry", action=action, check_first=False,
                      account=None)
        kinds = {a.event.id: a.kind async for a in run.answers()}
    assert kinds == {"a": "done", "b": "done"} and run.batches == 1
    assert [(r["method"], r["url"]) for r in requests] == [
        (method, f"/me/events/a{suffix}"), (method, f"/me/events/b{suffix}")]
    name = (action or BulkAction.cancel()).action
    assert [(e[1], e[2]) for e in _logged()] == [(name, word)] * 2
    if name == "delete":
        assert "body" not in requests[0]
        assert {e.comment for e in audit.read().entries} == {None}


async def test_a_reply_draft_goes_once_the_response_shows_or_the_event_is_gone() -> None:
    responses = {"a": "declined", "b": "notResponded", "c": None}

    def handler(request: httpx.Request) -> httpx.Response:
        event_id = request.url.path.rsplit("/", 1)[1]
        response = responses[event_id]
        if response is None:
            return httpx.Response(404, json={"error": {"code": "ErrorItemNotFound",
                                                       "message": "gone"}})
        return httpx.Response(200, json={"id": event_id, "responseStatus": {
            "response": response}})

    refs = [event(i).ref for i in "abc"]
    async with _client(handler) as client:
        assert await settled_drafts(client, refs, action="decline") == ["a", "c"]
        assert await settled_drafts(client, refs, action="accept") == ["c"]
        assert await settled_drafts(client, refs) == ["c"]  # a cancel: none is cancelled


def test_a_proposal_the_organizer_does_not_allow_is_refused_when_made() -> None:
    import dataclasses

    slot = TimeSlot(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC),
                    dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC))
    closed = dataclasses.replace(event("e", organizer=False), allow_new_time_proposals=False)
    with pytest.raises(ValueError, match="new time proposals"):
        ReplyRequest.of(closed, "decline", "", proposed=slot)
    assert ReplyRequest.of(closed, "decline", "").planned().body == {"sendResponse": True}
