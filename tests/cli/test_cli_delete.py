"""`cal365 delete`: dry run, the question (what a delete tells people), each outcome and exit
code against the fake Graph, --json, the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cal365, FakeTerminal, looks_up, when_cancels_go
from tui.actions import audit
from tui.fake import FakeGraph
from tui.graph.urls import ME, EventRef
from tui.script.exits import Exit


def path_of(event: dict[str, Any]) -> str:
    """The event's path, its id encoded as a URL segment."""
    return EventRef(event["id"], ME).path


def appointments(fake: FakeGraph, count: int = 1) -> list[dict[str, Any]]:
    """Single events of the user's own without attendees."""
    found = fake.store.find_events(
        lambda e: e["isOrganizer"] and e["type"] == "singleInstance" and not e["attendees"])
    assert len(found) >= count
    return found[:count]


def invitation(fake: FakeGraph) -> dict[str, Any]:
    return fake.store.find_events(
        lambda e: not e["isOrganizer"] and e["type"] == "singleInstance"
        and not e["isCancelled"] and e["responseRequested"])[0]


def meeting(fake: FakeGraph) -> dict[str, Any]:
    return fake.store.find_events(
        lambda e: e["isOrganizer"] and e["type"] == "singleInstance" and bool(e["attendees"]))[0]


def deletes(fake: FakeGraph) -> list[Any]:
    return [r for r in fake.requests if r.method != "GET" and not looks_up(r)]


def test_dry_run_prints_each_delete_and_sends_nothing(cal365: Cal365,
                                                      fake_graph: FakeGraph) -> None:
    fake_graph.clear_requests()
    run = cal365("delete", "E1", "E2", "--dry-run")
    assert run.code == Exit.OK, run.err
    assert run.out.splitlines() == ["DELETE /me/events/E1", "DELETE /me/events/E2"]
    assert "nothing sent; 2 deletes would go" in run.err
    assert fake_graph.requests == []
    document = cal365("delete", "E1", "--calendar", "C1", "--user", "u@x.example",
                      "--dry-run", "--json").json
    path = "/users/u@x.example/calendars/C1/events/E1"
    assert document["action"] == "delete"
    assert document["requests"] == [{"method": "DELETE", "path": path}]
    assert document["batches"][0]["body"] == {"requests": [
        {"id": "1", "method": "DELETE", "url": path}]}


def test_delete_appointments(cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    first, second = appointments(fake_graph, 2)
    run = cal365("delete", first["id"], second["id"], "--yes")
    assert run.code == Exit.OK, run.err
    assert [row[0] for row in run.rows] == ["deleted", "deleted"]
    assert all(fake_graph.store.event_json(e["id"]) is None for e in (first, second))
    assert fake_graph.store.reply_log == []  # nobody is told
    assert not any(record.notice_sent for record in fake_graph.store.cancel_log)
    entries = audit.read().entries
    assert [(e.event_id, e.action, e.outcome, e.path) for e in entries] == [
        (event["id"], "delete", "deleted", path_of(event))
        for event in (first, second)]


def test_json_results(cal365: Cal365, fake_graph: FakeGraph) -> None:
    (event,) = appointments(fake_graph)
    run = cal365("delete", event["id"], "missing", "--yes", "--json")
    assert run.code == Exit.NOT_FOUND
    document = run.json
    assert document["action"] == "delete" and document["comment"] is None
    assert [(r["eventId"], r["outcome"], r["sent"], r["path"]) for r in document["results"]] == [
        (event["id"], "deleted", True, path_of(event)),
        ("missing", "not-found", False, "/me/events/missing")]
    assert document["exitCode"] == Exit.NOT_FOUND


def test_deleting_an_invitation_declines_it(cal365: Cal365, fake_graph: FakeGraph) -> None:
    event = invitation(fake_graph)
    run = cal365("delete", event["id"], "--yes")
    assert run.code == Exit.OK, run.err
    assert [(r.event_id, r.reply, r.source) for r in fake_graph.store.reply_log] == [
        (event["id"], "decline", "delete")]


def test_the_question_says_what_a_delete_tells_people(
        cal365: Cal365, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal("n\n")
    monkeypatch.setattr("sys.stdin", terminal)
    (alone,), theirs, own = appointments(fake_graph), invitation(fake_graph), meeting(fake_graph)
    fake_graph.clear_requests()
    run = cal365("delete", alone["id"], theirs["id"], own["id"])
    assert terminal.asked == 1 and not terminal.asked_inside_event_loop
    assert "About to delete 3 events (to Deleted Items)" in run.err
    assert "no attendees: nobody is told" in run.err
    assert "deleting it declines it" in run.err and "cal365 respond decline" in run.err
    assert "a cancellation without a message of yours" in run.err
    assert "`cal365 cancel` sends one with your comment" in run.err
    assert "Delete? [y/N]" in run.err
    assert run.code == Exit.ERROR and "nothing was deleted" in run.err
    assert deletes(fake_graph) == []
    assert all(fake_graph.store.event_json(e["id"]) is not None for e in (alone, theirs, own))


def test_refuses_without_a_terminal_and_without_yes(
        cal365: Cal365, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("y\n", tty=False))
    fake_graph.clear_requests()
    run = cal365("delete", appointments(fake_graph)[0]["id"])
    assert run.code == Exit.USAGE
    assert "refusing to delete without confirmation" in run.err
    assert fake_graph.requests == []


def test_a_delete_that_stays_throttled_is_failed_and_not_done(
        cal365: Cal365, fake_graph: FakeGraph) -> None:
    from tui.fake.faults import Fault

    (event,) = appointments(fake_graph)
    fake_graph.faults.add(Fault("throttle", method="DELETE", in_batch=True, times=None,
                                retry_after="1"))
    run = cal365("delete", event["id"], "--yes")
    assert run.code == Exit.ERROR, run.err
    assert run.rows[0][0] == "failed"
    assert "not deleted" in run.err and "Traceback" not in run.err
    assert fake_graph.store.event_json(event["id"]) is not None


def test_a_lost_answer_is_looked_at_never_sent_twice(
        cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    from tui.fake.faults import Fault

    when_cancels_go(fake_graph, lambda: fake_graph.faults.add(
        Fault("reset_after", method="POST", path=r"/\$batch$")))
    (event,) = appointments(fake_graph)
    run = cal365("delete", event["id"], "--yes")
    assert run.code == Exit.OK, run.err
    assert run.rows[0][0] == "deleted"
    assert fake_graph.store.event_json(event["id"]) is None


def test_a_rejected_sign_in_sends_nothing(cal365: Cal365, fake_graph: FakeGraph,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "stale")
    (event,) = appointments(fake_graph)
    run = cal365("delete", event["id"], "--yes")
    assert run.code == Exit.AUTH
    assert "Nothing was deleted" in run.err
    assert fake_graph.store.event_json(event["id"]) is not None


def test_deleting_a_meeting_you_organize_cancels_it_without_a_message(
        cal365: Cal365, fake_graph: FakeGraph) -> None:
    own = meeting(fake_graph)
    run = cal365("delete", own["id"], "--yes")
    assert run.code == Exit.OK, run.err
    assert [(r.event_id, r.comment, r.notice_sent) for r in fake_graph.store.cancel_log] == [
        (own["id"], None, True)]
