"""`cal365 audit`: the log printed as text or JSON, with --limit, tolerant of bad lines."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Cal365
from tui import audit
from tui.graph.errors import OrganizerRequired
from tui.graph.urls import ME, EventRef
from tui.script.exits import Exit


def record(event_id: str, error: BaseException | None = None) -> None:
    audit.append(audit.entry_for(EventRef(event_id, ME), subject=f"Meeting {event_id}",
                                 start=None, comment="Away", error=error, source="cli"))


def test_empty_log(run_cli: Cal365, home: Path) -> None:
    run = run_cli("audit")
    assert run.code == Exit.OK
    assert run.out == ""
    assert "no cancels recorded yet" in run.err
    assert run_cli("audit", "--json").json == []


def test_text_json_and_limit(run_cli: Cal365, home: Path) -> None:
    record("E1")
    record("E2", OrganizerRequired(400, "ErrorInvalidRequest", "You need to be an organizer",
                                   "req-9"))
    with (home / "state" / "audit.jsonl").open("ab") as handle:
        handle.write(b"garbage\n")
    record("E3")
    text = run_cli("audit")
    assert text.code == Exit.OK
    assert [(row[1], row[4], row[5], row[6]) for row in text.rows] == [
        ("cancelled", "Meeting E1", "-", "E1"),
        ("not-organizer", "Meeting E2", "req-9", "E2"),
        ("cancelled", "Meeting E3", "-", "E3"),
    ]
    assert "1 unreadable line" in text.err
    last = run_cli("audit", "--json", "--limit", "2")
    assert [e["eventId"] for e in last.json] == ["E2", "E3"]
    assert last.json[0]["error"] == "You need to be an organizer"
    assert last.json[0]["comment"] == "Away"


def test_bad_limit_is_a_usage_error(run_cli: Cal365, home: Path) -> None:
    run = run_cli("audit", "--limit", "-3")
    assert run.code == Exit.USAGE
    assert "not a count" in run.err


def test_unreadable_log(run_cli: Cal365, home: Path) -> None:
    (home / "state" / "audit.jsonl").mkdir(parents=True)
    run = run_cli("audit")
    assert run.code == Exit.ERROR
    assert "cannot read the audit log" in run.err


def test_path(run_cli: Cal365, home: Path) -> None:
    run = run_cli("audit", "--path")
    assert run.code == Exit.OK
    assert run.out == f"{home / 'state' / 'audit.jsonl'}\n"


def test_demo_commands_keep_their_audit_log_apart(run_cli: Cal365, home: Path,
                                                  monkeypatch) -> None:
    monkeypatch.delenv("CAL365_ACCESS_TOKEN", raising=False)
    record("REAL")  # a real account's cancel, outside the demo
    listing = run_cli("--demo", "--date", "2026-11-23", "events", "--mine", "--json")
    assert listing.code == Exit.OK, listing.err
    event = next(e for e in listing.json["events"] if e["attendees"] and not e["isCancelled"])
    sent = run_cli("--demo", "--date", "2026-11-23", "cancel", event["id"], "--comment",
                   "Demo only", "--yes")
    assert sent.code == Exit.OK, sent.err
    assert run_cli("--demo", "audit", "--path").out == \
        f"{home / 'state' / 'demo' / 'audit.jsonl'}\n"
    demo_log = run_cli("--demo", "audit", "--json").json
    assert [e["eventId"] for e in demo_log] == [event["id"]]
    assert demo_log[0]["comment"] == "Demo only"
    real_log = run_cli("audit", "--json").json
    assert [e["eventId"] for e in real_log] == ["REAL"]
    # The path is chosen per run: after a demo command, the real log is the real one again.
    assert run_cli("audit", "--path").out == f"{home / 'state' / 'audit.jsonl'}\n"
