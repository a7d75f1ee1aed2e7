"""cal365's own files replaced by hostile ones: JSON or TOML nested past the parser's
depth, escaped lone surrogates, times at the ends of what datetime holds, a FIFO or a
device where a file should be. Each gives a clear message (or is read as far as it goes),
never a traceback, a hang, or an audit record lost without a word."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from tests.cli.conftest import Cal365
from tests.cli.test_cli_cancel import organized
from tests.unsafe import raw_controls
from tui.actions import audit
from tui.actions.drafts import Drafts
from tui.fake import FakeGraph
from tui.script.exits import Exit

_T = TypeVar("_T")
LIMIT = 30.0  # seconds before a read that hangs counts as a failure


def _bounded(call: Callable[[], _T]) -> _T:
    """`call()` in a thread: a hang fails the test instead of stalling the suite."""
    box: list[_T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            box.append(call())
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(LIMIT)
    assert not thread.is_alive(), "it hung"
    if errors:
        raise errors[0]
    return box[0]


def _clean(run: object) -> None:
    out, err = run.out, run.err  # type: ignore[attr-defined]
    assert "Traceback" not in err and "unexpected error" not in err, err
    assert raw_controls(out, "\t\n") == [] and raw_controls(err, "\t\n") == [], (out, err)


DEEP = b"[" * 200_000


def _entry(**fields: object) -> bytes:
    line = {"time": "2026-11-20T10:00:00+00:00", "mailbox": "me", "eventId": "E1",
            "outcome": "cancelled", "subject": "Budget review"}
    line.update(fields)
    return json.dumps(line).encode() + b"\n"


@pytest.mark.parametrize("bad", [
    DEEP + b"\n",
    _entry(time="0001-01-01T00:00:00+14:00", eventId="E0"),  # west of it: before year 1
    _entry(time="9999-12-31T23:59:59-12:00", eventId="E0"),
], ids=["deep", "year-1", "year-9999"])
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_audit_reads_past_a_line_it_cannot_use(run_cli: Cal365, home: Path, bad: bytes,
                                               as_json: bool) -> None:
    log = home / "state" / "audit.jsonl"
    log.parent.mkdir(parents=True)
    log.write_bytes(_entry() + bad + _entry(eventId="E2"))
    run = _bounded(lambda: run_cli("audit", *(("--json",) if as_json else ())))
    _clean(run)
    assert run.code == Exit.OK, run.err
    assert "1 unreadable line" in run.err
    ids = [e["eventId"] for e in run.json] if as_json else [r[6] for r in run.rows]
    assert ids == ["E1", "E2"]


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_audit_shows_an_entry_whose_logged_start_overflows(run_cli: Cal365, home: Path,
                                                           start: str) -> None:
    log = home / "state" / "audit.jsonl"
    log.parent.mkdir(parents=True)
    log.write_bytes(_entry(start=start) + _entry(eventId="E2"))
    run = run_cli("--timezone", "Pacific/Kiritimati", "audit")
    _clean(run)
    assert run.code == Exit.OK, run.err
    assert [r[6] for r in run.rows] == ["E1", "E2"]


def test_audit_reads_an_escaped_lone_surrogate_as_a_replacement(run_cli: Cal365,
                                                                 home: Path) -> None:
    log = home / "state" / "audit.jsonl"
    log.parent.mkdir(parents=True)
    log.write_bytes(_entry(subject="Bud\\ud800get").replace(b"\\\\ud800", b"\\ud800"))
    for flags in ((), ("--json",)):
        run = run_cli("audit", *flags)
        _clean(run)
        assert run.code == Exit.OK and "unreadable" not in run.err, run.err
        assert "Bud\ufffdget" in run.out or "Bud\\ufffdget" in run.out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_audit_log_that_is_a_fifo_is_a_clear_error_not_a_hang(run_cli: Cal365,
                                                               home: Path) -> None:
    log = home / "state" / "audit.jsonl"
    log.parent.mkdir(parents=True)
    os.mkfifo(log)
    run = _bounded(lambda: run_cli("audit"))
    _clean(run)
    assert run.code == Exit.ERROR
    assert "cannot read the audit log" in run.err and "not a regular file" in run.err


def test_an_audit_log_too_big_to_be_ours_is_a_clear_error(run_cli: Cal365,
                                                           home: Path) -> None:
    """Past its bound the log is not read into memory (a link to /dev/zero is refused as
    not a regular file; a sparse file stands for a huge one here)."""
    log = home / "state" / "audit.jsonl"
    log.parent.mkdir(parents=True)
    with log.open("wb") as handle:
        handle.truncate(audit.MAX_BYTES + 1)
    run = _bounded(lambda: run_cli("audit"))
    _clean(run)
    assert run.code == Exit.ERROR and "larger than" in run.err, run.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_cancel_whose_audit_log_is_a_fifo_says_the_record_is_missing(
    cal365: Cal365, fake_graph: FakeGraph, home: Path,
) -> None:
    """A FIFO takes the line and keeps nothing: the cancel went, its record did not, and the
    exit code says so (never 0, never "not sent")."""
    log = home / "state" / "audit.jsonl"
    log.parent.mkdir(parents=True)
    os.mkfifo(log)
    event = organized(fake_graph)
    run = _bounded(lambda: cal365("cancel", event["id"], "--comment", "Sorry", "--yes"))
    _clean(run)
    sent = [rec for rec in fake_graph.store.cancel_log if rec.event_id == event["id"]]
    if sent:
        assert run.code == Exit.NOT_AUDITED, run.err
    else:  # refused before sending, because the log could not take a record
        assert run.code == Exit.ERROR, run.err
    assert "audit" in run.err


@pytest.mark.parametrize("content", [
    b'{"version": 1, "drafts": ' + DEEP + b"}",
    b'{"version": 1, "drafts": [{"mailbox": "me", "event": "E1", "text": "Sorry\\ud800"}]}',
], ids=["deep", "surrogate"])
def test_a_hostile_drafts_file_neither_crashes_nor_stops_saving(tmp_path: Path,
                                                                 content: bytes) -> None:
    path = tmp_path / "drafts.json"
    path.write_bytes(content)
    drafts = Drafts.load(path)
    drafts.put("me", "E2", "Running late")  # saving works: no lone surrogate left to write
    again = Drafts.load(path)
    assert again.get("me", "E2") == "Running late"
    if drafts.problem is None:  # read: the odd character is shown as a replacement
        assert again.get("me", "E1") == "Sorry\ufffd"
    else:
        assert "could not be read" in drafts.problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_drafts_file_that_is_a_fifo_does_not_hang_the_start(tmp_path: Path) -> None:
    path = tmp_path / "drafts.json"
    os.mkfifo(path)
    drafts = _bounded(lambda: Drafts.load(path))
    assert drafts.problem is not None and "not a regular file" in drafts.problem


@pytest.mark.parametrize("content", [
    b"a = " + DEEP,
    b"graph_url = " + b"{ a = " * 100_000,
    b"client_id = \"\xff\xfe\"",
], ids=["deep-array", "deep-table", "not-utf8"])
def test_a_hostile_config_file_is_a_clear_error(run_cli: Cal365, home: Path,
                                                content: bytes) -> None:
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_bytes(content)
    run = _bounded(lambda: run_cli("whoami"))
    _clean(run)
    assert run.code == Exit.USAGE, run.err
    assert "cannot read" in run.err and "config.toml" in run.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_config_file_that_is_a_fifo_does_not_hang(run_cli: Cal365, home: Path) -> None:
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    os.mkfifo(config)
    run = _bounded(lambda: run_cli("whoami"))
    _clean(run)
    assert run.code == Exit.USAGE and "not a regular file" in run.err, run.err
