"""A comment is saved while it is typed, with the dialog still open: a killed app loses at
most the last moment of typing, never the paragraph."""

from __future__ import annotations

import json
from pathlib import Path

from tests.app.helpers import cancel_posts, loaded, make_app, open_cancel_dialog, wait_for
from tui.actions.drafts import Drafts
from tui.fake import FakeGraph
from tui.screens.bulk import BulkCancelScreen
from tui.screens.cancel import CancelScreen


def on_disk(home: Path) -> dict[tuple[str, str], str]:
    """The drafts as another process would read them from the file now."""
    raw = json.loads((home / "state" / "drafts.json").read_text(encoding="utf-8"))
    return {(d["mailbox"], d["event"]): d["text"] for d in raw["drafts"]}


async def test_the_single_dialog_saves_the_comment_as_it_is_typed(
        fake_graph: FakeGraph, private_home: Path) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, event, _ = await open_cancel_dialog(
            pilot, lambda e: e.is_organizer and not e.is_cancelled)
        await pilot.press(*"The budget moved: ")
        await pilot.pause(1.5)
        assert isinstance(app.screen, CancelScreen)  # still open, nothing closed it
        key = (event.ref.mailbox.key, event.id)
        assert on_disk(private_home)[key] == "The budget moved: "
        await pilot.press(*"see you next quarter")
        await pilot.pause(1.5)
        assert on_disk(private_home)[key] == "The budget moved: see you next quarter"
        assert Drafts.load().get(*key) == "The budget moved: see you next quarter"
        # A send drops it, and no late save from the dialog brings it back.
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        await pilot.pause(1.0)
        assert key not in on_disk(private_home)
        assert len(cancel_posts(fake_graph)) == 1


async def test_the_bulk_dialog_saves_the_comment_as_it_is_typed(
        fake_graph: FakeGraph, private_home: Path) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("space", "space", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        await pilot.press(*"All of these move to the new room")
        await pilot.pause(1.5)
        assert isinstance(app.screen, BulkCancelScreen)
        assert on_disk(private_home)[("bulk", "marked")] == "All of these move to the new room"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, BulkCancelScreen))
        assert cancel_posts(fake_graph) == []


async def test_typing_on_and_on_is_saved_within_a_second(
        fake_graph: FakeGraph, private_home: Path) -> None:
    # No pause in the typing: the save does not wait for one.
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        _, event, _ = await open_cancel_dialog(
            pilot, lambda e: e.is_organizer and not e.is_cancelled)
        key = (event.ref.mailbox.key, event.id)
        saved_while_typing = False
        for _ in range(30):
            await pilot.press(*"word ")
            await pilot.pause(0.1)
            path = private_home / "state" / "drafts.json"
            saved_while_typing = saved_while_typing or (
                path.exists() and on_disk(private_home).get(key, "").startswith("word "))
        assert saved_while_typing


def test_a_comment_survives_kill_9_of_the_whole_app(tmp_path: Path) -> None:
    from tests.ptyapp import PtyApp

    words = b"Sorry all, the launch slipped a week"
    first = PtyApp(tmp_path)
    try:
        first.wait_for(b"Calendar:")
        first.settle(0.3)
        first.type(*(bytes([b]) for b in b"/Budget"), b"\r")  # a meeting one organizes
        first.settle(0.5)
        first.type(b"c")
        first.wait_for(b"Ctrl+S")  # the dialog's Send button
        first.type(*(bytes([b]) for b in words), gap=0.01)
        first.settle(1.5)
        first.kill()  # SIGKILL: nothing runs on the way out
    finally:
        first.close()
    again = PtyApp(tmp_path)
    try:
        again.wait_for(b"Calendar:")
        again.settle(0.3)
        again.type(*(bytes([b]) for b in b"/Budget"), b"\r")
        again.settle(0.5)
        again.type(b"c")
        again.wait_for(words)
    finally:
        again.close()
