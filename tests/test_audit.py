"""The audit log: what an entry holds, private appends, and a reader that survives bad lines."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest

from tui.actions import audit
from tui.graph.batch import BatchItemOutcome
from tui.graph.errors import (
    AuthenticationRequired,
    CancelNotSent,
    CancelOutcomeUnknown,
    GraphError,
    GraphUnavailable,
    NotFound,
    OrganizerCannotRespond,
    OrganizerRequired,
)
from tui.graph.urls import CalendarRef, EventRef, Mailbox

START = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
WHEN = dt.datetime(2026, 11, 23, 9, 30, 5, tzinfo=dt.UTC)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAL365_HOME", str(tmp_path))
    return tmp_path


def entry(event_id: str = "AAMk=", error: BaseException | None = None,
          comment: str | None = "Holiday") -> audit.AuditEntry:
    ref = EventRef(event_id, Mailbox("user", "jonas@fabrikam.example"))
    return audit.entry_for(ref, subject="Budget review", start=START, comment=comment,
                           error=error, request_id=None if error else "req-1", source="tui",
                           when=WHEN)


def test_entry_fields() -> None:
    line = entry().to_json()
    assert line == {
        "time": "2026-11-23T09:30:05+00:00",
        "mailbox": "users/jonas@fabrikam.example",
        "eventId": "AAMk=",
        "subject": "Budget review",
        "start": "2026-11-23T10:00:00+01:00",
        "comment": "Holiday",
        "outcome": "cancelled",
        "requestId": "req-1",
        "error": None,
        "path": "/users/jonas@fabrikam.example/events/AAMk=/cancel",
        "source": "tui",
        "account": None,
        "action": "cancel",
    }
    assert audit.AuditEntry.from_json(json.loads(json.dumps(line))) == entry()


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (OrganizerRequired(400, "ErrorInvalidRequest", "You need to be an organizer", "r-2"),
         "not-organizer"),
        (NotFound(404, "ErrorItemNotFound", "not found in the store", "r-3"), "not-found"),
        (AuthenticationRequired(401, "InvalidAuthenticationToken", "expired", "r-4"),
         "auth-needed"),
        (GraphError(503, "ServiceUnavailable", "busy", "r-5"), "failed"),
        (GraphUnavailable("Graph did not answer in time"), "unconfirmed"),
        (CancelOutcomeUnknown("E", "Graph did not answer in time"), "unconfirmed"),
        (CancelNotSent("E", "Graph did not answer in time", checked=True), "failed"),
    ],
)
def test_refusals_keep_graphs_message_and_request_id(error: BaseException, outcome: str) -> None:
    made = entry(error=error)
    assert made.outcome == outcome
    if isinstance(error, GraphError):
        assert made.error == error.message
        assert made.request_id == error.request_id
    else:
        assert "Graph did not answer in time" in (made.error or "")
        assert made.request_id is None


def test_blank_comment_is_recorded_as_none() -> None:
    assert entry(comment="   ").comment is None
    assert entry(comment=None).comment is None


def test_other_url_forms_in_the_path() -> None:
    group = EventRef("E", Mailbox("group", "g-1"), CalendarRef(Mailbox("group", "g-1")))
    made = audit.entry_for(group, subject="", start=None, comment=None, source="cli")
    assert made.mailbox == "groups/g-1"
    assert made.path == "/groups/g-1/calendar/events/E/cancel"
    assert made.start is None


def test_append_is_private_and_reads_back(home: Path) -> None:
    audit.append(entry("one"))
    audit.append(entry("two", error=NotFound(404, "ErrorItemNotFound", "gone")))
    path = home / "state" / "audit.jsonl"
    assert audit.audit_path() == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    log = audit.read()
    assert [(e.event_id, e.outcome) for e in log.entries] == [("one", "cancelled"),
                                                               ("two", "not-found")]
    assert log.skipped == 0
    assert [e.event_id for e in audit.read(limit=1).entries] == ["two"]
    assert audit.read(limit=0).entries == []


def test_a_looser_file_is_tightened(home: Path) -> None:
    path = home / "state" / "audit.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("")
    path.chmod(0o644)
    audit.append(entry())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_reader_skips_corrupt_lines(home: Path) -> None:
    path = home / "state" / "audit.jsonl"
    audit.append(entry("first"))
    with path.open("ab") as handle:
        handle.write(b"not json at all\n")
        handle.write(b'{"time": "yesterday", "mailbox": "me", "eventId": "x", "outcome": "ok"}\n')
        handle.write(b"[1, 2]\n\xff\xfe\n\n")
        handle.write(b'{"time": "2026-11-23T09:00:00+00:00", "mailbox": "me", "eventId": "x"')
    # The crash left a line unfinished: the next entry must still land on its own line.
    audit.append(entry("after-crash"))
    log = audit.read()
    assert [e.event_id for e in log.entries] == ["first", "after-crash"]
    assert log.skipped == 5


def test_missing_log_reads_as_empty(home: Path) -> None:
    assert audit.read() == audit.AuditLog([], 0)


def test_entries_never_hold_the_token(home: Path) -> None:
    # The entry is built from named fields only; nothing from request headers can slip in.
    assert "Authorization" not in json.dumps(entry().to_json())
    assert set(entry().to_json()) == {"time", "mailbox", "eventId", "subject", "start",
                                      "comment", "outcome", "requestId", "error", "path",
                                      "source", "account", "action"}


@pytest.mark.parametrize(
    ("status", "http_status", "outcome"),
    [
        ("done", 202, "cancelled"),
        ("refused", 400, "not-organizer"),
        ("not_found", 404, "not-found"),
        ("failed", 403, "failed"),
        ("failed", 401, "auth-needed"),
        ("unknown", None, "unconfirmed"),
    ],
)
def test_bulk_outcomes(status: str, http_status: int | None, outcome: str) -> None:
    ref = EventRef("E9", Mailbox("group", "g-1"))
    item = BatchItemOutcome(ref, status, "" if status == "done" else "Code: message",  # type: ignore[arg-type]
                            "req-7", http_status)
    made = audit.entry_for_batch(item, subject="Falcon sync", start=START, comment=" ",
                                 source="tui", account="avery@fabrikam.example")
    assert made.outcome == outcome
    assert made.mailbox == "groups/g-1"
    assert made.path == "/groups/g-1/events/E9/cancel"
    assert made.request_id == "req-7"
    assert made.comment is None
    assert made.account == "avery@fabrikam.example"
    assert made.error == (None if status == "done" else "Code: message")


def test_the_check_leaves_no_probe_and_clears_one_left_by_a_kill(home: Path) -> None:
    import os
    import time

    path = audit.check_writable(audit.record_size("Design review", "moved"))
    left = path.parent / ".audit-probe.killed"
    left.write_bytes(b"\0" * 100)
    old = time.time() - 3600
    os.utime(left, (old, old))
    fresh = path.parent / ".audit-probe.another-cal365"  # another check in flight
    fresh.write_bytes(b"\0")
    audit.check_writable(1)
    assert sorted(p.name for p in path.parent.iterdir()) == [fresh.name, "audit.jsonl"]
    assert path.read_bytes() == b""


@pytest.mark.parametrize(("action", "word", "path"), [
    ("accept", "accepted", "/me/events/E1/accept"),
    ("tentativelyAccept", "tentative", "/me/events/E1/tentativelyAccept"),
    ("decline", "declined", "/me/events/E1/decline"),
    ("delete", "deleted", "/me/events/E1"),
])
def test_each_write_is_logged_with_its_action_word_and_path(
    home: Path, action: str, word: str, path: str
) -> None:
    made = audit.entry_for(EventRef("E1"), subject="s", start=None, comment=None,
                           source="cli", action=action)
    assert (made.action, made.outcome, made.path) == (action, word, path)
    item = BatchItemOutcome(EventRef("E1"), "done", "", "rid", 202)
    batched = audit.entry_for_batch(item, subject="s", start=None, comment=None, source="tui",
                                    action=action)
    assert (batched.action, batched.outcome, batched.path) == (action, word, path)
    refused = audit.entry_for(EventRef("E1"), subject="s", start=None, comment=None,
                              source="cli", action=action, error=OrganizerCannotRespond(
                                  400, "ErrorInvalidRequest", "you're the organizer"))
    assert refused.outcome == "is-organizer"
    audit.append_many([made, refused])
    assert [(e.action, e.outcome) for e in audit.read().entries] == [
        (action, word), (action, "is-organizer")]


def test_old_lines_without_an_action_are_cancels_and_an_unknown_action_is_skipped(
    home: Path
) -> None:
    line = entry().to_json()
    del line["action"]
    odd = {**entry().to_json(), "action": "explode"}
    path = home / "state" / "audit.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(line) + "\n" + json.dumps(odd) + "\n", encoding="utf-8")
    log = audit.read()
    assert [e.action for e in log.entries] == ["cancel"] and log.skipped == 1


def test_the_audit_view_and_cal365_audit_say_which_write_each_line_was(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from tui.graph.errors import GraphError
    from tui.screens.audit_view import audit_table
    from tui.script import audit_log

    for action, error in (("decline", None), ("delete", GraphError(403, "Denied", "no")),
                          ("cancel", GraphError(403, "Denied", "no"))):
        audit.append(audit.entry_for(EventRef(action), subject="s", start=None, comment=None,
                                     source="cli", action=action, error=error))
    table = audit_table(audit.read(), dt.UTC)
    assert [row.outcome for row in table.rows] == ["failed", "delete failed", "declined"]
    args = argparse.Namespace(path=False, limit=None, json=False, timezone="UTC")
    assert audit_log.run(args) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [(row[1], row[-1]) for row in rows] == [
        ("declined", "decline"), ("delete failed", "delete"), ("failed", "cancel")]
