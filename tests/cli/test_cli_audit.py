"""`cal365 audit`: the log printed as text or JSON, with --limit, tolerant of bad lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cal365
from tui.actions import audit
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


def test_text_times_are_in_the_configured_zone_not_the_machines(
    run_cli: Cal365, home: Path, machine_zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    # Cancelled at 16:01 UTC, of a meeting logged while the app showed New York's time.
    start = dt.datetime(2026, 11, 27, 3, 0, tzinfo=ZoneInfo("America/New_York"))
    audit.append(audit.entry_for(EventRef("E1", ME), subject="Design review", start=start,
                                 comment=None, source="cli",
                                 when=dt.datetime(2026, 11, 25, 16, 1, tzinfo=dt.UTC)))
    tokyo = run_cli("audit", "--timezone", "Asia/Tokyo")
    assert tokyo.code == Exit.OK
    assert tokyo.rows[0][0] == "2026-11-26T01:01:00+09:00"
    assert tokyo.rows[0][3] == "2026-11-27T17:00:00+09:00"
    monkeypatch.setenv("CAL365_TIMEZONE", "W. Europe Standard Time")  # a Windows name too
    berlin = run_cli("audit")
    assert berlin.rows[0][0] == "2026-11-25T17:01:00+01:00"
    assert berlin.rows[0][3] == "2026-11-27T09:00:00+01:00"
    monkeypatch.delenv("CAL365_TIMEZONE")
    machine = run_cli("audit")  # neither set: this machine's zone, as every other command
    assert machine.rows[0][0] == "2026-11-25T11:01:00-05:00"
    # JSON keeps the log as written: the time in UTC, the start with its own offset.
    assert run_cli("audit", "--json", "--timezone", "Asia/Tokyo").json[0]["time"] == (
        "2026-11-25T16:01:00+00:00")
    bad = run_cli("audit", "--timezone", "Mars/Olympus")
    assert bad.code == Exit.USAGE and "unknown time zone" in bad.err
