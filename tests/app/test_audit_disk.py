"""The app sends no cancel whose audit record cannot be written, and says so when a record
fails after the send (a disk that filled in between); the comment is kept either way."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from tests.app.helpers import (
    cancel_posts,
    cancellable,
    loaded,
    make_app,
    marked_count,
    open_cancel_dialog,
    select,
    wait_for,
)
from tests.diskfull import MODES, fill_audit_disk
from tui.actions import audit
from tui.fake import FakeGraph
from tui.screens.bulk import BulkCancelScreen, BulkResultsScreen
from tui.screens.cancel import CancelScreen
from tui.screens.main import MainScreen


async def test_an_unwritable_audit_log_sends_nothing_and_keeps_the_comment(
        fake_graph: FakeGraph, private_home: Path) -> None:
    (private_home / "state").mkdir(parents=True)
    (private_home / "state" / "audit.jsonl").mkdir()  # a folder where the log should be
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, event, _ = await open_cancel_dialog(pilot)
        await pilot.press(*"Sorry, moved to Friday", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "error")
        status = app.main.status.message
        assert "Not sent" in status and "cannot write the audit log" in status
        assert "Nothing was sent" in status and "comment is kept" in status
        assert cancel_posts(fake_graph) == []
        assert event.id in [e.id for e in app.main.table.all_events]
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        assert app.screen.query_one(TextArea).text == "Sorry, moved to Friday"


@pytest.mark.parametrize("mode", MODES)
async def test_a_record_that_fails_after_the_send_is_said_in_the_status_bar(
        fake_graph: FakeGraph, private_home: Path, monkeypatch: pytest.MonkeyPatch,
        mode: str) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, event, _ = await open_cancel_dialog(pilot)
        await pilot.press(*"Sorry")
        log = audit.check_writable(1)  # the log exists (empty): the check will pass
        fill_audit_disk(monkeypatch, mode)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Cancelled" in app.main.status.message)
        status = app.main.status.message
        assert "NOT in the audit log" in status and "the disk is full" in status
        assert app.main.status.kind == "error"
        assert len(cancel_posts(fake_graph)) == 1
        assert event.id not in [e.id for e in app.main.table.all_events]
    assert log.read_bytes() == b""  # no torn line


async def test_bulk_with_an_unwritable_log_sends_nothing_and_keeps_marks(
        fake_graph: FakeGraph, private_home: Path) -> None:
    (private_home / "state").mkdir(parents=True)
    (private_home / "state" / "audit.jsonl").mkdir()
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        first = await select(pilot, cancellable)
        await pilot.press("space")
        await select(pilot, lambda e: cancellable(e) and e.id != first.id)
        await pilot.press("space", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        await pilot.press(*"Reorg", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "error")
        status = app.main.status.message
        assert "Not sent" in status and "cannot write the audit log" in status
        assert marked_count(app) == 2
        assert cancel_posts(fake_graph) == [] and fake_graph.requests[-1].method == "GET"
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        assert app.screen.query_one(TextArea).text == "Reorg"


async def test_bulk_records_that_fail_after_the_send_are_said(
        fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        first = await select(pilot, cancellable)
        await pilot.press("space")
        await select(pilot, lambda e: cancellable(e) and e.id != first.id)
        await pilot.press("space", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        audit.check_writable(1)
        fill_audit_disk(monkeypatch, "ENOSPC")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "of 2 cancelled" in app.main.status.message)
        status = app.main.status.message
        assert "2 answers NOT in the audit log" in status and "the disk is full" in status
        assert app.main.status.kind == "error"
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen))
        shown = str(app.screen.query_one("#results-unaudited", Static).render())
        assert "NOT in the audit log" in shown


async def test_the_app_runs_with_a_state_folder_that_cannot_be_made(
        fake_graph: FakeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file")
    monkeypatch.setenv("CAL365_HOME", str(blocker / "home"))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert "comment drafts cannot be saved" in app.main.status.message
        await select(pilot, cancellable)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"Sorry", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen)
                       and "Not sent" in app.main.status.message)
        assert "is a file where a folder should be" in app.main.status.message
        assert cancel_posts(fake_graph) == []
