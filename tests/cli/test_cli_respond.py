"""`cal365 respond accept|tentative|decline`: dry run, local refusals, the question, each
outcome and exit code against the fake Graph, --json, the audit log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cal365, FakeTerminal, looks_up, when_cancels_go
from tui.actions import audit
from tui.fake import FakeGraph
from tui.graph.urls import ME, CalendarRef, EventRef
from tui.script.exits import Exit


def path_of(event: dict[str, Any]) -> str:
    """The event's path, its id encoded as a URL segment."""
    return EventRef(event["id"], ME).path


def invitations(fake: FakeGraph, count: int = 1) -> list[dict[str, Any]]:
    """Live single invitations the user attends, answerable as they are."""
    found = fake.store.find_events(
        lambda e: not e["isOrganizer"] and e["type"] == "singleInstance"
        and not e["isCancelled"] and e["responseRequested"] and not e["isAllDay"])
    assert len(found) >= count
    return found[:count]


def mine(fake: FakeGraph) -> dict[str, Any]:
    return fake.store.find_events(
        lambda e: e["isOrganizer"] and e["type"] == "singleInstance" and bool(e["attendees"]))[0]


def writes(fake: FakeGraph) -> list[Any]:
    """Every request that may change something (look-ups left out)."""
    return [r for r in fake.requests if r.method != "GET" and not looks_up(r)]


def test_dry_run_prints_each_reply_exactly_and_sends_nothing(
        cal365: Cal365, fake_graph: FakeGraph) -> None:
    fake_graph.clear_requests()
    run = cal365("respond", "tentative", "E1", "E2", "--comment", "Maybe later",
                 "--propose-start", "2026-11-24T15:00", "--propose-end", "2026-11-24T16:30",
                 "--dry-run")
    assert run.code == Exit.OK, run.err
    assert fake_graph.requests == []
    body = {"comment": "Maybe later", "sendResponse": True, "proposedNewTime": {
        # 15:00 in Europe/Berlin (the tests' CAL365_TIMEZONE) is 14:00 UTC
        "start": {"dateTime": "2026-11-24T14:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-24T15:30:00", "timeZone": "UTC"}}}
    assert run.out.splitlines() == [
        f"POST /me/events/E1/tentativelyAccept {json.dumps(body)}",
        f"POST /me/events/E2/tentativelyAccept {json.dumps(body)}",
    ]
    assert "nothing sent; 2 replies would go" in run.err


@pytest.mark.parametrize(("argv", "path", "body"), [
    (("accept",), "/me/events/E1/accept", {"sendResponse": True}),
    (("decline", "--no-response"), "/me/events/E1/decline", {"sendResponse": False}),
    (("decline", "--comment", "  "), "/me/events/E1/decline", {"sendResponse": True}),
    (("accept", "--user", "jonas@x.example"), "/users/jonas@x.example/events/E1/accept",
     {"sendResponse": True}),
    (("accept", "--calendar", "C1"), "/me/calendars/C1/events/E1/accept",
     {"sendResponse": True}),
    (("accept", "--propose-start", "2026-11-24T15:00Z", "--propose-end",
      "2026-11-24T16:00Z", "--no-response", "--group", "G1"), None, None),
])
def test_dry_run_url_forms_and_bodies(cal365: Cal365, argv: tuple[str, ...],
                                      path: str | None, body: dict[str, Any] | None) -> None:
    verb, *rest = argv
    run = cal365("respond", verb, "E1", *rest, "--dry-run", "--json")
    if path is None:  # a proposal with accept: refused before anything else
        assert run.code == Exit.USAGE and run.out == ""
        return
    assert run.code == Exit.OK, run.err
    document = run.json
    assert document["dryRun"] is True and document["action"] == verb
    assert document["requests"] == [{"method": "POST", "path": path, "body": body}]
    assert document["batches"] == [{"method": "POST", "path": "/$batch", "body": {"requests": [
        {"id": "1", "method": "POST", "url": path,
         "headers": {"Content-Type": "application/json"}, "body": body}]}}]


def test_dry_run_with_series_says_the_master_is_found_by_the_look_up(cal365: Cal365) -> None:
    run = cal365("respond", "decline", "E1", "--series", "--dry-run")
    assert run.code == Exit.OK
    assert run.out.startswith("POST /me/events/E1/decline ")
    assert "series master" in run.err and "a dry run looks nothing up" in run.err


@pytest.mark.parametrize(("argv", "words"), [
    (("accept", "E1", "--propose-start", "2026-11-24T15:00", "--propose-end",
      "2026-11-24T16:00"), "only with tentative or decline"),
    (("decline", "E1", "--no-response", "--comment", "Sorry"), "the comment would be lost"),
    (("decline", "E1", "--no-response", "--propose-start", "2026-11-24T15:00",
      "--propose-end", "2026-11-24T16:00"), "cannot go with --no-response"),
    (("decline", "E1", "--propose-start", "2026-11-24T15:00", "--propose-end",
      "2026-11-24T15:00"), "must end after it starts"),
    (("tentative", "E1", "--propose-start", "next week", "--propose-end",
      "2026-11-24T15:00"), "--propose-start: not a date and time"),
    (("tentative", "E1", "--propose-start", "2026-11-24T15:00"), "add --propose-end"),
    (("tentative", "E1", "--propose-start", "2026-11-24T15:00", "--propose-end",
      "9999-12-31T23:59-05:00"), "--propose-end: not a date and time"),
    (("maybe", "E1"), "invalid choice: 'maybe'"),
    (("accept", " "), "an event id cannot be empty"),
])
def test_what_graph_would_refuse_is_a_usage_error_before_anything_is_sent(
        cal365: Cal365, fake_graph: FakeGraph, argv: tuple[str, ...], words: str) -> None:
    fake_graph.clear_requests()
    for mode in ((), ("--dry-run",)):
        run = cal365("respond", *argv, "--yes" if not mode else "--json", *mode)
        assert run.code == Exit.USAGE, run.err
        assert words in run.err
        assert "Traceback" not in run.err and run.out == ""
    assert fake_graph.requests == []


def test_accept_with_a_comment(cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    first, second = invitations(fake_graph, 2)
    run = cal365("respond", "accept", first["id"], second["id"], "--comment", "See you",
                 "--yes")
    assert run.code == Exit.OK, run.err
    assert [row[0] for row in run.rows] == ["accepted", "accepted"]
    assert [row[3] for row in run.rows] == [first["id"], second["id"]]
    replies = fake_graph.store.reply_log
    assert [(r.event_id, r.reply, r.comment, r.send_response) for r in replies] == [
        (first["id"], "accept", "See you", True), (second["id"], "accept", "See you", True)]
    shown = fake_graph.store.event_json(first["id"])
    assert shown is not None and shown["responseStatus"]["response"] == "accepted"
    entries = audit.read().entries
    assert [(e.event_id, e.comment, e.action, e.outcome) for e in entries] == [
        (first["id"], "See you", "accept", "accepted"),
        (second["id"], "See you", "accept", "accepted")]
    assert entries[0].path == f"{path_of(first)}/accept"


def test_decline_takes_the_meeting_out_of_the_calendar(
        cal365: Cal365, fake_graph: FakeGraph) -> None:
    (event,) = invitations(fake_graph)
    run = cal365("respond", "decline", event["id"], "--yes", "--json")
    assert run.code == Exit.OK, run.err
    (result,) = run.json["results"]
    assert result["outcome"] == "declined" and result["sent"] is True
    assert result["path"] == f"{path_of(event)}/decline"
    assert run.json["action"] == "decline" and run.json["comment"] is None
    assert fake_graph.store.event_json(event["id"]) is None


def test_tentative_proposing_a_new_time(cal365: Cal365, fake_graph: FakeGraph) -> None:
    (event,) = invitations(fake_graph)
    run = cal365("respond", "tentative", event["id"], "--propose-start",
                 "2026-11-30T10:00+01:00", "--propose-end", "2026-11-30T11:00+01:00", "--yes")
    assert run.code == Exit.OK, run.err
    assert run.rows[0][0] == "tentative"
    (reply,) = fake_graph.store.reply_log
    assert reply.reply == "tentativelyAccept" and reply.proposed is not None
    assert [moment.isoformat() for moment in reply.proposed] == [
        "2026-11-30T09:00:00+00:00", "2026-11-30T10:00:00+00:00"]


def test_no_response_tells_nobody(cal365: Cal365, fake_graph: FakeGraph) -> None:
    (event,) = invitations(fake_graph)
    run = cal365("respond", "accept", event["id"], "--no-response", "--yes")
    assert run.code == Exit.OK, run.err
    (reply,) = fake_graph.store.reply_log
    assert reply.send_response is False and reply.comment is None


def test_a_reply_to_your_own_meeting_is_is_organizer(
        cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    (event,), own = invitations(fake_graph), mine(fake_graph)
    run = cal365("respond", "decline", own["id"], event["id"], "--yes")
    assert run.code == Exit.IS_ORGANIZER
    assert [row[0] for row in run.rows] == ["is-organizer", "declined"]
    assert "you organize this meeting" in run.err and "cal365 cancel" in run.err
    assert "you're the meeting organizer" in run.err  # Graph's own words
    assert fake_graph.store.event_json(own["id"]) is not None
    assert [(e.action, e.outcome) for e in audit.read().entries] == [
        ("decline", "is-organizer"), ("decline", "declined")]


def test_unknown_ids_are_not_found_and_never_sent(
        cal365: Cal365, fake_graph: FakeGraph) -> None:
    fake_graph.clear_requests()
    run = cal365("respond", "accept", "missing", "--yes")
    assert run.code == Exit.NOT_FOUND
    assert run.rows[0][0] == "not-found"
    assert writes(fake_graph) == []


@pytest.mark.parametrize("which", ["cancelled", "no response requested"])
def test_graphs_other_refusals_are_failed(cal365: Cal365, fake_graph: FakeGraph,
                                          which: str) -> None:
    key = "isCancelled" if which == "cancelled" else "responseRequested"
    event = fake_graph.store.find_events(
        lambda e: not e["isOrganizer"] and e["type"] == "singleInstance"
        and e[key] is (which == "cancelled"))[0]
    run = cal365("respond", "accept", event["id"], "--yes")
    assert run.code == Exit.ERROR
    assert run.rows[0][0] == "failed"
    assert "not accepted" in run.err
    assert fake_graph.store.reply_log == []


def test_an_occurrence_with_series_answers_the_series(
        cal365: Cal365, fake_graph: FakeGraph) -> None:
    window = ("--from", "2026-11-23", "--to", "2026-12-06", "--json")
    events = cal365("events", *window).json["events"]
    occurrences = [e for e in events if e["type"] == "occurrence" and not e["isOrganizer"]
                   and not e["isCancelled"]]
    master = occurrences[0]["seriesMasterId"]
    twins = [e["id"] for e in occurrences if e["seriesMasterId"] == master][:2]
    run = cal365("respond", "accept", *twins, "--series", "--yes", "--json")
    assert run.code == Exit.OK, run.err
    # Two occurrences of one series: the series is answered once, through its master.
    assert [(r["eventId"], r["outcome"]) for r in run.json["results"]] == [
        (master, "accepted")]
    assert [r.event_id for r in fake_graph.store.reply_log] == [master]


@pytest.mark.parametrize(("answer", "sent"), [("y\n", True), ("n\n", False), ("", False)])
def test_the_question_says_who_is_told_what(cal365: Cal365, fake_graph: FakeGraph,
                                            monkeypatch: pytest.MonkeyPatch, answer: str,
                                            sent: bool) -> None:
    terminal = FakeTerminal(answer)
    monkeypatch.setattr("sys.stdin", terminal)
    (event,), own = invitations(fake_graph), mine(fake_graph)
    run = cal365("respond", "decline", event["id"], own["id"], "--comment", "On leave")
    assert terminal.asked == 1 and not terminal.asked_inside_event_loop
    assert "About to decline 2 invitations" in run.err
    organizer = event["organizer"]["emailAddress"]["name"]
    assert f"{organizer} is told and sees your comment" in run.err
    assert "it leaves your calendar" in run.err
    assert "you organize it: Graph will refuse" in run.err
    assert "Comment for the organizer: On leave" in run.err
    assert "Decline? [y/N]" in run.err
    if sent:
        assert run.code == Exit.IS_ORGANIZER
    else:
        assert run.code == Exit.ERROR
        assert run.out == ""
        assert "nothing was declined" in run.err
        assert writes(fake_graph) == [] and fake_graph.store.reply_log == []


def test_the_question_for_no_response_and_a_proposal(
        cal365: Cal365, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("n\n"))
    (event,) = invitations(fake_graph)
    quiet = cal365("respond", "accept", event["id"], "--no-response")
    assert "is not told" in quiet.err and "No response is sent" in quiet.err
    proposing = cal365("respond", "tentative", event["id"], "--propose-start",
                       "2026-11-30T10:00", "--propose-end", "2026-11-30T11:00")
    assert "sees the proposed time" in proposing.err
    assert "Proposed new time: 2026-11-30 10:00-11:00" in proposing.err
    assert "Tentatively accept? [y/N]" in proposing.err


def test_refuses_without_a_terminal_and_without_yes(
        cal365: Cal365, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("y\n", tty=False))
    fake_graph.clear_requests()
    run = cal365("respond", "accept", invitations(fake_graph)[0]["id"])
    assert run.code == Exit.USAGE
    assert "refusing to accept without confirmation" in run.err
    assert fake_graph.requests == []


def test_answered_no_in_json(cal365: Cal365, fake_graph: FakeGraph,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("n\n"))
    (event,) = invitations(fake_graph)
    run = cal365("respond", "accept", event["id"], "--json")
    assert run.code == Exit.ERROR
    assert [(r["outcome"], r["sent"]) for r in run.json["results"]] == [("answered-no", False)]


def test_a_rejected_sign_in_sends_nothing(cal365: Cal365, fake_graph: FakeGraph,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "stale")
    run = cal365("respond", "decline", invitations(fake_graph)[0]["id"], "--yes")
    assert run.code == Exit.AUTH
    assert "Nothing was declined" in run.err
    assert fake_graph.store.reply_log == []


def test_a_sign_in_refused_while_sending_is_auth_needed(
        cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    events = invitations(fake_graph, 2)

    def revoke() -> None:
        fake_graph.service.token = "revoked"

    when_cancels_go(fake_graph, revoke)
    run = cal365("respond", "accept", *(e["id"] for e in events), "--yes", "--json")
    assert run.code == Exit.AUTH
    assert [r["outcome"] for r in run.json["results"]] == ["auth-needed"] * 2
    assert fake_graph.store.reply_log == []


def test_a_lost_answer_is_looked_at_never_sent_twice(
        cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    from tui.fake.faults import Fault

    when_cancels_go(fake_graph, lambda: fake_graph.faults.add(
        Fault("reset_after", method="POST", path=r"/\$batch$")))
    (event,) = invitations(fake_graph)
    run = cal365("respond", "tentative", event["id"], "--yes")
    assert run.code == Exit.OK, run.err
    assert run.rows[0][0] == "tentative"
    assert len(fake_graph.store.reply_log) == 1


def test_a_lost_answer_that_cannot_be_checked_is_unconfirmed(
        cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    from tui.fake.faults import Fault

    def network_dies_with_the_batch() -> None:
        fake_graph.faults.add(Fault("reset_after", method="POST", path=r"/\$batch$"))
        fake_graph.faults.add(Fault("reset_before", method="GET", times=None))

    when_cancels_go(fake_graph, network_dies_with_the_batch)
    (event,) = invitations(fake_graph)
    run = cal365("respond", "accept", event["id"], "--yes")
    assert run.code == Exit.UNREACHABLE
    assert run.rows[0][0] == "unconfirmed"
    assert "cannot tell whether it was accepted" in run.err
    assert len(fake_graph.store.reply_log) == 1
    assert [(e.action, e.outcome) for e in audit.read().entries] == [("accept", "unconfirmed")]


def test_a_record_that_cannot_be_written_after_the_reply_exits_7(
        cal365: Cal365, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(entries: object) -> None:
        raise OSError(28, "No space left on device")

    (event,) = invitations(fake_graph)
    monkeypatch.setattr("tui.actions.audit.append_many", full)
    run = cal365("respond", "decline", event["id"], "--yes")
    assert run.code == Exit.NOT_AUDITED
    assert run.rows[0][0] == "declined"
    assert "1 reply went to Graph" in run.err and "Do not send it again" in run.err


def test_a_reply_where_graph_denies_access_is_failed(
        cal365: Cal365, fake_graph: FakeGraph) -> None:
    from tui.fake import seed

    calendar = fake_graph.store.default_calendar_id(seed.JONAS_ID)
    theirs = fake_graph.store.find_events(
        lambda e: not e["isOrganizer"] and e["type"] == "singleInstance"
        and not e["isCancelled"] and e["responseRequested"], user=seed.JONAS_ID,
        calendar_id=calendar)[0]
    run = cal365("respond", "accept", theirs["id"], "--user", seed.JONAS_UPN, "--calendar",
                 calendar, "--yes", "--json")
    assert run.code == Exit.ERROR  # a delegate who may read, not write
    (result,) = run.json["results"]
    assert result["outcome"] == "failed" and "Access is denied" in result["error"]
    assert result["path"].startswith("/users/") and "/calendars/" in result["path"]
    assert run.json["mailbox"].startswith("users/")
    assert fake_graph.store.reply_log == []


def test_a_reply_through_a_calendar(cal365: Cal365, fake_graph: FakeGraph) -> None:
    (event,) = invitations(fake_graph)
    calendar = fake_graph.store.default_calendar_id()
    run = cal365("respond", "decline", event["id"], "--calendar", calendar, "--yes", "--json")
    assert run.code == Exit.OK, run.err
    (result,) = run.json["results"]
    assert result["path"] == EventRef(event["id"], ME, CalendarRef(ME, calendar)).path \
        + "/decline"
    assert [r.event_id for r in fake_graph.store.reply_log] == [event["id"]]


def test_the_question_says_whole_series_or_one_occurrence(
        cal365: Cal365, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("n\n"))
    events = cal365("events", "--from", "2026-11-23", "--to", "2026-12-06", "--json")
    occurrence = next(e for e in events.json["events"]
                      if e["type"] == "occurrence" and not e["isOrganizer"])
    one = cal365("respond", "tentative", occurrence["id"])
    assert "this occurrence only" in one.err
    whole = cal365("respond", "tentative", occurrence["id"], "--series")
    assert "the whole series" in whole.err
    assert fake_graph.store.reply_log == []
