"""`cal365 cancel`: dry run, confirmation, URL forms, per-event outcomes, exit codes, audit."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.cli.conftest import Cal365, FakeTerminal, looks_up, when_cancels_go
from tui.actions import audit
from tui.fake import FakeGraph, seed
from tui.script.exits import Exit


def seg(value: str) -> str:
    return quote(value, safe="-_.~=+@!$&()*,;:").replace("%2F", "%252F")


def organized(fake: FakeGraph, index: int = 0, user: str | None = None) -> dict[str, Any]:
    return fake.store.find_events(
        lambda e: e["isOrganizer"] and e["type"] == "singleInstance" and bool(e["attendees"])
        and not e["isAllDay"], user=user,
    )[index]


def attended(fake: FakeGraph) -> dict[str, Any]:
    return fake.store.find_events(
        lambda e: not e["isOrganizer"] and e["type"] == "singleInstance"
    )[0]


def posts(fake: FakeGraph) -> list[Any]:
    """Every POST the fake received that may change something, batches and their
    sub-requests included (a batch of look-ups only reads)."""
    return [r for r in fake.requests if r.method == "POST" and not looks_up(r)]


def cancels(fake: FakeGraph) -> list[Any]:
    """The cancel requests Graph ran (each sub-request of a batch, or a POST of its own)."""
    return [r for r in posts(fake) if r.path.endswith("/cancel")]


def test_dry_run_prints_the_exact_requests_and_sends_nothing(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    first, slashed = organized(fake_graph, 0), fake_graph.store.find_events(
        lambda e: e["isOrganizer"] and "/" in e["id"])[0]
    fake_graph.clear_requests()
    run = cal365("cancel", first["id"], slashed["id"], "--comment", "Off sick — sorry",
                 "--dry-run")
    assert run.code == Exit.OK, run.err
    assert fake_graph.requests == []
    lines = run.out.splitlines()
    assert lines == [
        f"POST /me/events/{seg(first['id'])}/cancel " + json.dumps({"Comment": "Off sick — sorry"}),
        f"POST /me/events/{seg(slashed['id'])}/cancel "
        + json.dumps({"Comment": "Off sick — sorry"}),
    ]
    assert "%252F" in lines[1]
    assert "nothing sent" in run.err
    assert fake_graph.store.event_json(first["id"]) is not None


def test_dry_run_json_and_url_forms(cal365: Cal365, fake_graph: FakeGraph) -> None:
    calendar = fake_graph.store.default_calendar_id(seed.JONAS_ID)
    run = cal365("cancel", "E1", "--user", seed.JONAS_UPN, "--calendar", calendar,
                 "--comment", "  ", "--dry-run", "--json")
    assert run.code == Exit.OK
    assert run.json == {
        "dryRun": True,
        "action": "cancel",
        "graphUrl": fake_graph.base_url,
        "requests": [{
            "method": "POST",
            "path": f"/users/{seg(seed.JONAS_UPN)}/calendars/{seg(calendar)}/events/E1/cancel",
            "body": {},  # a blank comment is left out, never sent as ""
        }],
        "batches": [{"method": "POST", "path": "/$batch", "body": {"requests": [{
            "id": "1",
            "method": "POST",
            "url": f"/users/{seg(seed.JONAS_UPN)}/calendars/{seg(calendar)}/events/E1/cancel",
            "headers": {"Content-Type": "application/json"},
            "body": {},
        }]}}],
    }
    group = cal365("cancel", "E1", "--group", seed.GROUP_ID, "--dry-run", "--json")
    assert group.json["requests"][0]["path"] == f"/groups/{seed.GROUP_ID}/events/E1/cancel"
    assert fake_graph.requests == []


@pytest.mark.parametrize("comment", ["Holiday", "", "   ", "Zeilen\nzwei ✈️"])
def test_dry_run_shows_what_the_cancel_sends(
    cal365: Cal365, fake_graph: FakeGraph, comment: str
) -> None:
    events = [organized(fake_graph, i) for i in range(3)]
    ids = [e["id"] for e in events]
    dry = cal365("cancel", *ids, "--comment", comment, "--dry-run")
    dry_json = cal365("cancel", *ids, "--comment", comment, "--dry-run", "--json").json
    sent = cal365("cancel", *ids, "--comment", comment, "--yes")
    assert sent.code == Exit.OK, sent.err
    (batch,) = [r for r in posts(fake_graph) if not r.in_batch]
    assert batch.raw_path == "/v1.0" + dry_json["batches"][0]["path"]
    assert json.loads(batch.body) == dry_json["batches"][0]["body"]
    ran = cancels(fake_graph)
    assert len(ran) == 3
    for line, request in zip(dry.out.splitlines(), ran, strict=True):
        method, path, body = line.split(" ", 2)
        assert (request.method, request.raw_path) == (method, "/v1.0" + path)
        assert json.loads(request.body) == json.loads(body)


def test_dry_run_groups_requests_in_batches_of_twenty(cal365: Cal365) -> None:
    ids = [f"E{i}" for i in range(45)]
    doc = cal365("cancel", *ids, "--dry-run", "--json").json
    sizes = [len(b["body"]["requests"]) for b in doc["batches"]]
    assert sizes == [20, 20, 5]
    urls = [r["url"] for b in doc["batches"] for r in b["body"]["requests"]]
    assert urls == [r["path"] for r in doc["requests"]]


def test_cancel_with_yes(cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    first, second = organized(fake_graph, 0), organized(fake_graph, 1)
    run = cal365("cancel", first["id"], second["id"], "--comment", "Project stopped", "--yes")
    assert run.code == Exit.OK, run.err
    assert [row[0] for row in run.rows] == ["cancelled", "cancelled"]
    assert [row[3] for row in run.rows] == [first["id"], second["id"]]
    assert [row[2] for row in run.rows] == [first["subject"], second["subject"]]
    assert run.err == ""
    for event in (first, second):
        assert fake_graph.store.event_json(event["id"]) is None
    bodies = [json.loads(r.body) for r in cancels(fake_graph)]
    assert bodies == [{"Comment": "Project stopped"}] * 2


def test_attendee_meeting_gives_not_organizer_and_graphs_message(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    event = attended(fake_graph)
    run = cal365("cancel", event["id"], "--yes")
    assert run.code == Exit.NOT_ORGANIZER
    assert run.rows[0][0] == "not-organizer"
    assert "You need to be an organizer to cancel a meeting." in run.err
    assert "Traceback" not in run.err
    assert fake_graph.store.event_json(event["id"]) is not None


def test_unknown_id_is_not_found_and_nothing_is_posted(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    run = cal365("cancel", "AAMkNoSuchEvent=", "--yes", "--json")
    assert run.code == Exit.NOT_FOUND
    assert posts(fake_graph) == []
    (result,) = run.json["results"]
    assert result["outcome"] == "not-found"
    assert result["sent"] is False
    assert result["exitCode"] == Exit.NOT_FOUND
    assert run.json["exitCode"] == Exit.NOT_FOUND
    assert "not found" in run.err


def test_exit_code_is_the_worst_outcome(cal365: Cal365, fake_graph: FakeGraph) -> None:
    mine, theirs = organized(fake_graph), attended(fake_graph)
    run = cal365("cancel", "missing", mine["id"], theirs["id"], "--yes", "--json")
    assert run.code == Exit.NOT_ORGANIZER
    outcomes = [(r["eventId"], r["outcome"]) for r in run.json["results"]]
    assert outcomes == [("missing", "not-found"), (mine["id"], "cancelled"),
                        (theirs["id"], "not-organizer")]
    assert len(cancels(fake_graph)) == 2


def test_an_id_named_twice_is_cancelled_once(cal365: Cal365, fake_graph: FakeGraph) -> None:
    event = organized(fake_graph)
    run = cal365("cancel", event["id"], event["id"], "--yes")
    assert run.code == Exit.OK
    assert len(cancels(fake_graph)) == 1
    assert "named twice" in run.err


def test_cancel_through_other_mailboxes(cal365: Cal365, fake_graph: FakeGraph) -> None:
    meeting = fake_graph.store.find_events(lambda e: bool(e["attendees"]), user=seed.GROUP_ID)[0]
    run = cal365("cancel", meeting["id"], "--group", seed.GROUP_ID, "--yes")
    assert run.code == Exit.OK, run.err
    (request,) = cancels(fake_graph)
    assert request.raw_path == f"/v1.0/groups/{seed.GROUP_ID}/events/{seg(meeting['id'])}/cancel"


def test_cancel_through_a_calendar(cal365: Cal365, fake_graph: FakeGraph) -> None:
    event = organized(fake_graph)
    calendar = fake_graph.store.default_calendar_id()
    run = cal365("cancel", event["id"], "--calendar", calendar, "--yes")
    assert run.code == Exit.OK, run.err
    (request,) = cancels(fake_graph)
    assert request.raw_path == (
        f"/v1.0/me/calendars/{seg(calendar)}/events/{seg(event['id'])}/cancel"
    )


def test_refuses_without_a_terminal_and_without_yes(cal365: Cal365, fake_graph: FakeGraph,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("y\n", tty=False))
    fake_graph.clear_requests()
    run = cal365("cancel", organized(fake_graph)["id"])
    assert run.code == Exit.USAGE
    assert "--yes" in run.err
    assert fake_graph.requests == []


@pytest.mark.parametrize(("answer", "cancelled"), [("y\n", True), ("yes\n", True),
                                                   ("n\n", False), ("\n", False), ("", False)])
def test_asks_on_a_terminal(cal365: Cal365, fake_graph: FakeGraph,
                            monkeypatch: pytest.MonkeyPatch, answer: str,
                            cancelled: bool) -> None:
    terminal = FakeTerminal(answer)
    monkeypatch.setattr("sys.stdin", terminal)
    event, theirs = organized(fake_graph), attended(fake_graph)
    run = cal365("cancel", event["id"], theirs["id"], "--comment", "Away")
    assert terminal.asked == 1
    assert not terminal.asked_inside_event_loop
    assert "About to cancel 2 meetings" in run.err
    assert event["subject"] in run.err
    assert "Graph will refuse" in run.err
    assert "Comment: Away" in run.err
    if cancelled:
        assert run.code == Exit.NOT_ORGANIZER
        assert fake_graph.store.event_json(event["id"]) is None
    else:
        assert run.code == Exit.ERROR
        assert "nothing was cancelled" in run.err
        assert posts(fake_graph) == []
        assert run.out == ""


def test_comment_file(cal365: Cal365, fake_graph: FakeGraph, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("\ufeffBack in January.\nSee you then.\n", encoding="utf-8")
    event = organized(fake_graph)
    run = cal365("cancel", event["id"], "--comment-file", str(note), "--yes")
    assert run.code == Exit.OK, run.err
    (request,) = cancels(fake_graph)
    assert json.loads(request.body) == {"Comment": "Back in January.\nSee you then."}
    missing = cal365("cancel", event["id"], "--comment-file", str(tmp_path / "nope"), "--yes")
    assert missing.code == Exit.USAGE
    assert "cannot read the comment file" in missing.err
    both = cal365("cancel", event["id"], "--comment", "x", "--comment-file", str(note))
    assert both.code == Exit.USAGE


def test_rejected_token_sends_nothing(cal365: Cal365, fake_graph: FakeGraph,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "stale")
    run = cal365("cancel", organized(fake_graph)["id"], "--yes")
    assert run.code == Exit.AUTH
    assert "Nothing was cancelled" in run.err
    assert posts(fake_graph) == []


def test_cancels_are_audited_privately(cal365: Cal365, fake_graph: FakeGraph,
                                       home: Path) -> None:
    mine, theirs = organized(fake_graph), attended(fake_graph)
    run = cal365("cancel", mine["id"], theirs["id"], "missing", "--comment", "Reorg", "--yes")
    assert run.code == Exit.NOT_ORGANIZER
    path = home / "state" / "audit.jsonl"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    assert fake_graph.token not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(e["eventId"], e["outcome"]) for e in lines] == [
        (mine["id"], "cancelled"), (theirs["id"], "not-organizer")]  # "missing" was never sent
    ok, refused = lines
    assert ok["subject"] == mine["subject"]
    assert ok["comment"] == "Reorg"
    assert ok["mailbox"] == "me"
    assert ok["source"] == "cli"
    assert ok["account"] == seed.ME_UPN
    assert ok["start"].startswith(mine["start"]["dateTime"][:10])
    # Graph's request-id of the refusal, from its error envelope, for the administrators.
    assert isinstance(refused["requestId"], str) and refused["requestId"]
    assert refused["requestId"] in run.err
    assert "You need to be an organizer to cancel a meeting." in refused["error"]
    assert ok["error"] is None
    assert audit.read().entries[0].event_id == mine["id"]


def test_an_unwritable_audit_log_stops_the_cancel_before_it_is_sent(
        cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    # Issue 20: a cancel sent without its record was reported done (exit 0). Now the log
    # is checked first: nothing is sent, and the exit code says so truly.
    (home / "state").mkdir(parents=True)
    (home / "state" / "audit.jsonl").mkdir()  # a folder where the log should be
    event = organized(fake_graph)
    run = cal365("cancel", event["id"], "--yes")
    assert run.code == Exit.ERROR
    assert "cannot write the audit log" in run.err and "Nothing was sent" in run.err
    assert "is a folder, not a file" in run.err
    assert cancels(fake_graph) == [] and fake_graph.requests == []
    assert fake_graph.store.event_json(event["id"]) is not None


def test_no_audit_line_for_a_dry_run(cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    cal365("cancel", organized(fake_graph)["id"], "--dry-run")
    assert not os.path.exists(home / "state" / "audit.jsonl")


def test_declining_in_json_mode_still_reports(cal365: Cal365, fake_graph: FakeGraph,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("no\n"))
    event = organized(fake_graph)
    run = cal365("cancel", event["id"], "missing", "--json")
    assert run.code == Exit.ERROR
    assert [(r["outcome"], r["sent"]) for r in run.json["results"]] == [
        ("declined", False), ("not-found", False)]
    assert posts(fake_graph) == []


def test_token_rejected_when_sending(cal365: Cal365, fake_graph: FakeGraph,
                                     home: Path) -> None:
    events = [organized(fake_graph, i) for i in range(3)]

    def revoke() -> None:
        fake_graph.service.token = "revoked"  # the session ends after the look-ups

    when_cancels_go(fake_graph, revoke)
    run = cal365("cancel", *(e["id"] for e in events), "--yes", "--json")
    assert run.code == Exit.AUTH
    assert [r["outcome"] for r in run.json["results"]] == ["auth-needed"] * 3
    assert "sign in again" in run.err
    assert cancels(fake_graph) == []
    assert all(fake_graph.store.event_json(e["id"]) is not None for e in events)
    assert [e.outcome for e in audit.read().entries] == ["auth-needed"] * 3


def test_lost_answer_is_checked(cal365: Cal365, fake_graph: FakeGraph, home: Path) -> None:
    from tui.fake.faults import Fault

    # Graph runs the batch, then the connection drops before its answer arrives.
    when_cancels_go(fake_graph, lambda: fake_graph.faults.add(
        Fault("reset_after", method="POST", path=r"/\$batch$")))
    event = organized(fake_graph)
    run = cal365("cancel", event["id"], "--yes")
    assert run.code == Exit.OK, run.err
    assert run.rows[0][0] == "cancelled"
    assert len(cancels(fake_graph)) == 1  # looked at, never sent twice
    assert [e.outcome for e in audit.read().entries] == ["cancelled"]


def test_lost_answer_that_cannot_be_checked_is_unconfirmed(
    cal365: Cal365, fake_graph: FakeGraph, home: Path
) -> None:
    from tui.fake.faults import Fault

    def network_dies_with_the_batch() -> None:  # after the look-ups: every read fails too
        fake_graph.faults.add(Fault("reset_after", method="POST", path=r"/\$batch$"))
        fake_graph.faults.add(Fault("reset_before", method="GET", times=None))

    when_cancels_go(fake_graph, network_dies_with_the_batch)
    first, second = organized(fake_graph, 0), organized(fake_graph, 1)
    run = cal365("cancel", first["id"], second["id"], "--yes")
    assert run.code == Exit.UNREACHABLE
    assert [row[0] for row in run.rows] == ["unconfirmed", "unconfirmed"]
    assert "cannot tell whether it was cancelled" in run.err
    assert "Traceback" not in run.err
    assert len(cancels(fake_graph)) == 2  # each sent once, never again
    assert [e.outcome for e in audit.read().entries] == ["unconfirmed", "unconfirmed"]


def test_prompt_says_occurrence_or_series(cal365: Cal365, fake_graph: FakeGraph,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("n\n"))
    occurrences = cal365("events", "--mine", "--json").json["events"]
    occurrence = next(e for e in occurrences if e["type"] == "occurrence")
    run = cal365("cancel", occurrence["id"], occurrence["seriesMasterId"])
    assert run.code == Exit.ERROR
    assert "this occurrence only; you organize it" in run.err
    assert "the whole series; you organize it" in run.err
    assert posts(fake_graph) == []


def test_comment_from_stdin_needs_yes(cal365: Cal365, fake_graph: FakeGraph,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    event = organized(fake_graph)
    monkeypatch.setattr("sys.stdin", io.StringIO("Moved to Thursday.\n"))
    refused = cal365("cancel", event["id"], "--comment-file", "-")
    assert refused.code == Exit.USAGE
    assert posts(fake_graph) == []
    monkeypatch.setattr("sys.stdin", io.StringIO("Moved to Thursday.\n"))
    run = cal365("cancel", event["id"], "--comment-file", "-", "--yes")
    assert run.code == Exit.OK, run.err
    (request,) = cancels(fake_graph)
    assert json.loads(request.body) == {"Comment": "Moved to Thursday."}


def test_many_cancels_travel_in_batches_of_at_most_twenty(
    cal365: Cal365, fake_graph: FakeGraph, home: Path
) -> None:
    found = fake_graph.store.find_events(
        lambda e: e["isOrganizer"] and e["type"] == "singleInstance"
    )
    assert len(found) >= 45
    ids = [e["id"] for e in found[:45]]
    run = cal365("cancel", *ids, "--comment", "Reorganisation", "--yes", "--json")
    assert run.code == Exit.OK, run.err
    assert [r["outcome"] for r in run.json["results"]] == ["cancelled"] * 45
    batches = [json.loads(r.body) for r in posts(fake_graph) if r.path.endswith("/$batch")]
    assert sorted(len(b["requests"]) for b in batches) == [5, 20, 20]
    ran = [r.path for r in cancels(fake_graph)]
    assert len(ran) == len(set(ran)) == 45  # each event cancelled exactly once
    assert len(audit.read().entries) == 45


def test_a_cancel_that_went_through_clears_the_apps_draft_for_it_only(
    cal365: Cal365, fake_graph: FakeGraph, home: Path
) -> None:
    from tui.actions.drafts import Drafts

    done, refused = organized(fake_graph, 0), attended(fake_graph)
    drafts = Drafts.load()
    drafts.put("me", done["id"], "typed in the app, send failed")
    drafts.put("me", refused["id"], "still wanted")
    drafts.put("user:adele@f.test", done["id"], "another mailbox's event")
    run = cal365("cancel", done["id"], refused["id"], "--yes")
    assert [row[0] for row in run.rows] == ["cancelled", "not-organizer"]
    left = sorted(Drafts.load())
    assert left == [("me", refused["id"], "still wanted"),
                    ("user:adele@f.test", done["id"], "another mailbox's event")]
