"""`cal365 cancel` on a full disk and with an unusable state folder: nothing is sent unless
its audit record can be written; a record that fails after the send is said (exit 7), never
left torn; no exit code claims "not sent" when a cancel went out."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Cal365
from tests.cli.test_cli_cancel import cancels, organized
from tests.diskfull import MODES, REAL_WRITE, fill_audit_disk
from tui.actions import audit
from tui.fake import FakeGraph
from tui.script.exits import Exit


@pytest.fixture(params=MODES)
def disk_fills(request: pytest.FixtureRequest,
               monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it, and from then on the disk under the audit log is full."""
    return lambda: fill_audit_disk(monkeypatch, request.param)


def test_a_record_that_fails_after_the_send_is_said_and_exits_7(
        cal365: Cal365, run_cli: Cal365, fake_graph: FakeGraph, home: Path,
        monkeypatch: pytest.MonkeyPatch, disk_fills: Callable[[], None]) -> None:
    first, second = organized(fake_graph, 0), organized(fake_graph, 1)
    # A record from an earlier run, which must come through untouched.
    assert cal365("cancel", first["id"], "--yes").code == Exit.OK
    log = home / "state" / "audit.jsonl"
    before = log.read_bytes()
    assert before.endswith(b"\n") and before.count(b"\n") == 1

    # The check passes (the probe is not the log), then the disk is full for the record.
    disk_fills()
    run = cal365("cancel", second["id"], "--comment", "Moved to Thursday", "--yes", "--json")
    assert fake_graph.store.event_json(second["id"]) is None  # it went out
    assert run.code == Exit.NOT_AUDITED == 7
    assert "could not write the audit log" in run.err and "the disk is full" in run.err
    assert "not in the audit log" in run.err and "Do not send it again" in run.err
    [result] = run.json["results"]
    assert (result["outcome"], result["sent"], result["audited"]) == ("cancelled", True, False)
    assert run.json["exitCode"] == 7
    # Whole or nothing: the log is exactly as it was, no torn line for a reader to skip.
    assert log.read_bytes() == before
    monkeypatch.setattr(os, "write", REAL_WRITE)  # space again
    shown = run_cli("audit")
    assert shown.code == Exit.OK and "unreadable" not in shown.err
    assert [row[-1] for row in shown.rows] == [first["id"]]


def test_not_audited_is_worse_than_a_refusal_but_not_than_an_unknown_outcome() -> None:
    from tui.script.exits import worst

    assert worst([Exit.OK, Exit.ERROR, Exit.NOT_AUDITED, Exit.NOT_FOUND]) == Exit.NOT_AUDITED
    assert worst([Exit.NOT_AUDITED, Exit.UNREACHABLE]) == Exit.UNREACHABLE


@pytest.fixture
def home_under_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file")
    monkeypatch.setenv("CAL365_HOME", str(blocker / "home"))
    return blocker


def test_a_state_folder_that_cannot_be_made_sends_nothing(
        cal365: Cal365, fake_graph: FakeGraph, home_under_a_file: Path) -> None:
    event = organized(fake_graph)
    run = cal365("cancel", event["id"], "--comment", "Sorry", "--yes")
    assert run.code == Exit.ERROR  # true: "certainly did not go through"
    assert "Nothing was sent" in run.err and "is a file where a folder should be" in run.err
    assert "unexpected error" not in run.err and "Traceback" not in run.err
    assert fake_graph.requests == [] and cancels(fake_graph) == []
    assert fake_graph.store.event_json(event["id"]) is not None


def test_other_commands_say_what_is_wrong_with_the_state_folder(
        cal365: Cal365, run_cli: Cal365, home_under_a_file: Path) -> None:
    shown = run_cli("audit")
    assert shown.code == Exit.ERROR
    assert "cannot read the audit log" in shown.err and "a folder should be" in shown.err
    assert "unexpected error" not in shown.err
    where = run_cli("audit", "--path")
    assert where.code == Exit.OK
    assert where.out.strip() == str(home_under_a_file / "home" / "state" / "audit.jsonl")
    listed = cal365("events")  # needs no state folder: works as ever
    assert listed.code == Exit.OK and listed.rows


def test_a_failure_once_sending_began_never_reads_as_not_sent(
        cal365: Cal365, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    event = organized(fake_graph)

    def broken(self: object, outcomes: object) -> bool:
        raise RuntimeError("the reporter broke")

    monkeypatch.setattr("tui.script.cancel_audit.Auditor.record", broken)
    run = cal365("cancel", event["id"], "--yes", "--json")
    assert fake_graph.store.event_json(event["id"]) is None  # it went out
    assert run.code not in (Exit.OK, Exit.ERROR)
    assert run.code == Exit.UNREACHABLE
    [result] = run.json["results"]
    assert result["outcome"] == "unconfirmed" and result["sent"] is True
    assert "check with `cal365 events` before sending again" in run.err


# -- a real full disk: a tiny tmpfs, where this machine lets the tests mount one -------------

@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    try:
        made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs",
                               str(mount)], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("cannot mount a tmpfs here")
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=10)


def fill(disk: Path) -> None:
    """Take every byte left on `disk`."""
    with (disk / "filler").open("ab", buffering=0) as handle:
        while True:
            try:
                handle.write(b"\0" * 4096)
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
        with contextlib.suppress(OSError):
            while handle.write(b"\0"):
                pass


def test_on_a_full_tmpfs_nothing_is_sent(
        cal365: Cal365, run_cli: Cal365, fake_graph: FakeGraph, tiny_disk: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_HOME", str(tiny_disk / "home"))
    event = organized(fake_graph)
    assert run_cli("audit").code == Exit.OK  # nothing yet
    (tiny_disk / "home" / "state").mkdir(parents=True)
    fill(tiny_disk)
    run = cal365("cancel", event["id"], "--comment", "Sorry", "--yes")
    assert run.code == Exit.ERROR
    assert "the disk is full" in run.err and "Nothing was sent" in run.err
    assert cancels(fake_graph) == []
    assert fake_graph.store.event_json(event["id"]) is not None


def test_a_tmpfs_that_fills_during_the_send_keeps_every_line_whole(
        cal365: Cal365, run_cli: Cal365, fake_graph: FakeGraph, tiny_disk: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_HOME", str(tiny_disk / "home"))
    first, second = organized(fake_graph, 0), organized(fake_graph, 1)
    # A long comment: a record crosses pages, so on the full disk part of it would land.
    comment = "We are moving this to next quarter. " * 200
    assert cal365("cancel", first["id"], "--comment", comment, "--yes").code == Exit.OK
    log = tiny_disk / "home" / "state" / "audit.jsonl"
    before = log.read_bytes()

    real_append = audit.append_many

    def disk_fills_first(entries: list[audit.AuditEntry], path: Path | None = None) -> None:
        fill(tiny_disk)  # between the check and the record, as another program might
        real_append(entries, path)

    monkeypatch.setattr(audit, "append_many", disk_fills_first)
    run = cal365("cancel", second["id"], "--comment", comment, "--yes")
    assert fake_graph.store.event_json(second["id"]) is None
    assert run.code == Exit.NOT_AUDITED
    assert "the disk is full" in run.err
    assert log.read_bytes() == before
    (tiny_disk / "filler").unlink()
    monkeypatch.setattr(audit, "append_many", real_append)
    shown = run_cli("audit")
    assert shown.code == Exit.OK and "unreadable" not in shown.err
    assert [row[-1] for row in shown.rows] == [first["id"]]
