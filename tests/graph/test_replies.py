"""Replies and deletes on the wire: paths, bodies, local refusals, Graph's refusals, and
the look that settles a write whose answer was lost, alone and in JSON batches."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tui.graph import EventRef, GraphClient, GraphError, Mailbox, RetryPolicy
from tui.graph.batch import build_write_batch
from tui.graph.errors import (
    CancelNotSent,
    CancelOutcomeUnknown,
    MeetingCancelled,
    NotFound,
    OrganizerCannotRespond,
    OrganizerRequired,
    ResponseNotRequested,
    WriteNotSent,
    WriteOutcomeUnknown,
    error_from_response,
)
from tui.graph.replies import TimeSlot, reply_body
from tui.graph.urls import CalendarRef
from tui.graph.writes import Write

BASE = "https://graph.example.test/v1.0"
ORGANIZER = ("Your request can't be completed. You can't respond to this meeting because "
             "you're the meeting organizer.")
CANCELLED = "Your request can't be completed. You can't respond to a meeting that's been canceled."
NOT_REQUESTED = ("Your request can't be completed. The meeting organizer hasn't requested a "
                 "response.")


async def _no_sleep(seconds: float) -> None:
    """Waits are never slept in tests."""


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> GraphClient:
    return GraphClient(BASE, "tok", transport=httpx.MockTransport(handler),
                       policy=RetryPolicy(sleep=_no_sleep))


def _error(status: int, message: str, code: str = "ErrorInvalidRequest") -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "innerError": {"request-id": "rid"}}}


# -- paths and bodies ------------------------------------------------------------------------

def test_action_paths_follow_the_url_form_the_event_was_found_through() -> None:
    ref = EventRef("E/1", Mailbox("user", "a@b.test"), CalendarRef(Mailbox("user", "a@b.test"),
                                                                     "C1"))
    assert ref.action_path("decline") == f"{ref.path}/decline"
    assert ref.cancel_path == ref.action_path("cancel")
    assert ref.action_path("accept").startswith("/users/a@b.test/calendars/C1/events/E%252F1")


def test_a_reply_body_uses_graphs_names_and_leaves_a_blank_comment_out() -> None:
    assert reply_body("See you") == {"comment": "See you", "sendResponse": True}
    assert reply_body("  \n") == {"sendResponse": True}
    assert reply_body(None, send_response=False) == {"sendResponse": False}
    berlin = ZoneInfo("Europe/Berlin")
    slot = TimeSlot(dt.datetime(2026, 12, 9, 10, tzinfo=berlin),
                    dt.datetime(2026, 12, 9, 11, 30, tzinfo=berlin))
    assert reply_body("later?", proposed=slot, reply="decline")["proposedNewTime"] == {
        "start": {"dateTime": "2026-12-09T09:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-12-09T10:30:00", "timeZone": "UTC"}}


def test_what_graph_refuses_is_refused_locally_with_words() -> None:
    slot = TimeSlot(dt.datetime(2026, 12, 9, 10, tzinfo=dt.UTC),
                    dt.datetime(2026, 12, 9, 11, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="comment"):
        reply_body("sorry", send_response=False)
    with pytest.raises(ValueError, match="proposed"):
        reply_body(None, send_response=False, proposed=slot)
    with pytest.raises(ValueError, match="tentative or decline"):
        reply_body(None, proposed=slot, reply="accept")
    with pytest.raises(ValueError):
        TimeSlot(slot.end, slot.start)
    with pytest.raises(ValueError):
        TimeSlot(dt.datetime(2026, 12, 9, 10), dt.datetime(2026, 12, 9, 11))


def test_a_delete_in_a_batch_has_no_body_and_a_reply_has_its_own() -> None:
    refs = [EventRef("A"), EventRef("B")]
    deletes = build_write_batch(refs, Write.delete())["requests"]
    assert deletes[0] == {"id": "1", "method": "DELETE", "url": "/me/events/A"}
    assert deletes[1]["dependsOn"] == ["1"]
    declines = build_write_batch(refs, Write.reply("decline", "no"))["requests"]
    assert declines[1] == {"id": "2", "method": "POST", "url": "/me/events/B/decline",
                           "headers": {"Content-Type": "application/json"},
                           "body": {"comment": "no", "sendResponse": True},
                           "dependsOn": ["1"]}


# -- Graph's refusals -------------------------------------------------------------------------

@pytest.mark.parametrize(("message", "kind"), [
    (ORGANIZER, OrganizerCannotRespond),
    (ORGANIZER.replace("'", "\u2019"), OrganizerCannotRespond),
    (CANCELLED, MeetingCancelled),
    (NOT_REQUESTED, ResponseNotRequested),
    ("Your request can't be completed. You need to be an organizer to cancel a meeting.",
     OrganizerRequired),
])
def test_reply_refusals_are_told_apart_by_graphs_message(message: str, kind: type) -> None:
    error = error_from_response(400, json.dumps(_error(400, message)).encode(), {})
    assert type(error) is kind and error.message == message


def test_the_same_words_in_another_status_are_not_a_reply_refusal() -> None:
    error = error_from_response(404, json.dumps(_error(404, CANCELLED, "x")).encode(), {})
    assert isinstance(error, NotFound)


def test_the_old_cancel_error_names_still_work() -> None:
    assert CancelNotSent is WriteNotSent and CancelOutcomeUnknown is WriteOutcomeUnknown
    assert "was not declined" in str(WriteNotSent("E", "timeout", checked=True,
                                                  action="decline"))
    assert "meeting was cancelled" in str(CancelOutcomeUnknown("E", "timeout"))


# -- single writes ----------------------------------------------------------------------------

async def test_a_reply_posts_its_body_to_its_action_and_returns_graphs_request_id() -> None:
    seen: list[tuple[str, str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, json.loads(request.content)))
        return httpx.Response(202, headers={"request-id": "r-1"})

    async with client_for(handler) as client:
        outcome = await client.reply(EventRef("E1"), "tentativelyAccept", "maybe")
    assert seen == [("POST", "/v1.0/me/events/E1/tentativelyAccept",
                     {"comment": "maybe", "sendResponse": True})]
    assert outcome.request_id == "r-1" and not outcome.checked


async def test_a_refused_body_is_never_sent() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("sent")

    async with client_for(handler) as client:
        with pytest.raises(ValueError):
            await client.reply(EventRef("E1"), "decline", "sorry", send_response=False)


async def test_an_organizers_reply_raises_its_own_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json=_error(400, ORGANIZER))

    async with client_for(handler) as client:
        with pytest.raises(OrganizerCannotRespond):
            await client.reply(EventRef("E1"), "accept", None)


def _lost_then(look: Callable[[], httpx.Response], seen: list[str]
               ) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if request.method == "GET":
            return look()
        return httpx.Response(500, json=_error(500, "busy", "InternalServerError"))
    return handler


NOW = "now"


@pytest.mark.parametrize(("response", "time", "settled"), [
    ("accepted", NOW, "done"), ("none", NOW, "live"), ("tentativelyAccepted", NOW, "live"),
    # Accepted before this send: whether this one (and its comment) went is not known.
    ("accepted", "2026-01-05T10:00:00.0000000Z", "unknown"),
    ("accepted", None, "unknown"),
])
async def test_a_lost_accept_is_settled_by_the_users_response_and_its_time(
    response: str, time: str | None, settled: str
) -> None:
    seen: list[str] = []

    def look() -> httpx.Response:
        stamp = dt.datetime.now(dt.UTC).isoformat() if time == NOW else time
        return httpx.Response(200, json={"id": "E1", "responseStatus": {
            "response": response, "time": stamp}})

    async with client_for(_lost_then(look, seen)) as client:
        if settled == "done":
            assert (await client.reply(EventRef("E1"), "accept", "hi")).checked
        elif settled == "live":
            with pytest.raises(WriteNotSent) as caught:
                await client.reply(EventRef("E1"), "accept", "hi")
            assert caught.value.checked and caught.value.action == "accept"
        else:
            with pytest.raises(WriteOutcomeUnknown, match="invitation was accepted"):
                await client.reply(EventRef("E1"), "accept", "hi")
    assert seen == ["POST", "GET"]  # looked, never sent twice


@pytest.mark.parametrize(("reply", "done"), [("decline", True), ("accept", False)])
async def test_gone_after_a_lost_answer_is_done_for_a_decline_only(reply: str,
                                                                  done: bool) -> None:
    seen: list[str] = []
    handler = _lost_then(lambda: httpx.Response(404, json=_error(404, "gone",
                                                                 "ErrorItemNotFound")), seen)
    async with client_for(handler) as client:
        if done:
            assert (await client.reply(EventRef("E1"), "decline", None)).checked
        else:
            with pytest.raises(WriteOutcomeUnknown):
                await client.reply(EventRef("E1"), "accept", None)
    assert seen == ["POST", "GET"]


async def test_a_delete_is_sent_once_and_settled_by_a_look() -> None:
    seen: list[str] = []
    state = {"gone": True}

    def look() -> httpx.Response:
        if state["gone"]:
            return httpx.Response(404, json=_error(404, "gone", "ErrorItemNotFound"))
        return httpx.Response(200, json={"id": "E1"})

    async with client_for(_lost_then(look, seen)) as client:
        assert (await client.delete_event(EventRef("E1"))).checked
        state["gone"] = False
        with pytest.raises(WriteNotSent, match="not deleted"):
            await client.delete_event(EventRef("E1"))
    assert seen == ["DELETE", "GET", "DELETE", "GET"]


# -- bulk -------------------------------------------------------------------------------------

async def test_bulk_replies_travel_in_chained_batches_and_refusals_keep_their_kind() -> None:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        payload = json.loads(request.content)
        sent.append(payload)
        answers = {"1": (202, None), "2": (400, _error(400, ORGANIZER)),
                   "3": (400, _error(400, CANCELLED)), "4": (404, _error(404, "x",
                                                                      "ErrorItemNotFound"))}
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": answers[r["id"]][0], "body": answers[r["id"]][1]}
            for r in payload["requests"]]})

    refs = [EventRef(i) for i in "ABCD"]
    async with client_for(handler) as client:
        outcomes = {o.ref.event_id: o async for o in client.reply_many(refs, "decline", "no")}
    assert [r["url"] for r in sent[0]["requests"]] == [f"/me/events/{i}/decline" for i in "ABCD"]
    assert {r["body"]["comment"] for r in sent[0]["requests"]} == {"no"}
    assert {k: o.status for k, o in outcomes.items()} == {
        "A": "done", "B": "is_organizer", "C": "failed", "D": "not_found"}
    assert "canceled" in outcomes["C"].reason


async def test_a_lost_bulk_delete_is_looked_at_and_only_live_ones_sent_again() -> None:
    batches: list[list[str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":  # the look: A went through, B is still there
            if "/A?" in str(request.url):
                return httpx.Response(404, json=_error(404, "gone", "ErrorItemNotFound"))
            return httpx.Response(200, json={"id": "B"})
        requests = json.loads(request.content)["requests"]
        batches.append([f"{r['method']} {r['url']}" for r in requests])
        if len(batches) == 1:
            return httpx.Response(502, json=_error(502, "bad gateway", "BadGateway"))
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 204} for r in requests]})

    async with client_for(handler) as client:
        run = client.delete_many([EventRef("A"), EventRef("B")])
        outcomes = {o.ref.event_id: o async for o in run}
    assert batches == [["DELETE /me/events/A", "DELETE /me/events/B"], ["DELETE /me/events/B"]]
    assert (outcomes["A"].status, outcomes["A"].checked) == ("done", True)
    assert (outcomes["B"].status, outcomes["B"].sends) == ("done", 2)
    assert run.stats.checks == 2 and run.stats.resent == 1


async def test_check_first_skips_invitations_already_answered_that_way() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            answered = "/A?" in str(request.url)
            return httpx.Response(200, json={"id": "x", "responseStatus": {
                "response": "declined" if answered else "notResponded"}})
        requests = json.loads(request.content)["requests"]
        sent.extend(r["url"] for r in requests)
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 202} for r in requests]})

    async with client_for(handler) as client:
        outcomes = {o.ref.event_id: o async for o in client.reply_many(
            [EventRef("A"), EventRef("B")], "decline", None, check_first=True)}
    assert sent == ["/me/events/B/decline"]
    assert outcomes["A"].reason == "already declined" and outcomes["A"].status == "done"


# -- what an event says about replies ---------------------------------------------------------

@pytest.mark.parametrize(("fields", "expected"), [
    ({}, (True, True)),
    ({"allowNewTimeProposals": False}, (False, True)),
    ({"responseRequested": False}, (True, False)),
    ({"allowNewTimeProposals": None, "responseRequested": "no"}, (True, True)),
])
def test_an_event_says_whether_proposals_and_responses_are_wanted(
    fields: dict[str, Any], expected: tuple[bool, bool]
) -> None:
    from tui.cache import codec
    from tui.graph.models import EVENT_SELECT, Event

    assert "allowNewTimeProposals" in EVENT_SELECT and "responseRequested" in EVENT_SELECT
    event = Event.from_json({"id": "E1", **fields}, Mailbox("me"), None, dt.UTC)
    assert (event.allow_new_time_proposals, event.response_requested) == expected
    kept = codec.event_from(codec.loads(codec.dumps(codec.event_json(event))), dt.UTC)
    assert kept == event


async def test_a_reply_refusal_naming_the_organizer_is_not_taken_for_the_cancel_rule() -> None:
    words = ("Your request can't be completed. The meeting organizer doesn't allow new time "
             "proposals for this meeting.")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("$batch"):
            return httpx.Response(200, json={"responses": [
                {"id": "1", "status": 400, "body": _error(400, words)}]})
        return httpx.Response(400, json=_error(400, words))

    slot = TimeSlot(dt.datetime(2026, 12, 9, 10, tzinfo=dt.UTC),
                    dt.datetime(2026, 12, 9, 11, tzinfo=dt.UTC))
    async with client_for(handler) as client:
        with pytest.raises(GraphError) as caught:
            await client.reply(EventRef("E1"), "decline", "later?", proposed=slot)
        assert type(caught.value) is GraphError and caught.value.message == words
        [item] = [o async for o in client.reply_many([EventRef("E1")], "decline", None)]
        assert item.status == "failed"
        [cancel] = [o async for o in client.cancel_many([EventRef("E1")], None)]
        assert cancel.status == "refused"  # the cancel rule stands for a cancel
