"""A stray Tab in a cancel dialog: focus shows where it went, what is typed next still goes
into the comment, and no key meant as text (Enter, Space) sends the cancellation."""

from __future__ import annotations

import json

from textual.widgets import Button, Checkbox, TextArea

from tests.app.helpers import (
    cancel_posts,
    cancellable,
    loaded,
    make_app,
    mark,
    open_cancel_dialog,
    select,
    wait_for,
)
from tui.fake import FakeGraph
from tui.screens.bulk import BulkCancelScreen, BulkResultsScreen
from tui.screens.cancel import CancelScreen


async def test_typing_after_a_stray_tab_goes_to_the_comment_and_enter_does_not_send(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, event, dialog = await open_cancel_dialog(pilot)
        send = dialog.query_one("#cancel-send", Button)
        unfocused = send.rich_style
        await pilot.press(*"Sorry", "tab")
        assert dialog.focused is send
        assert send.rich_style != unfocused  # the focus shows on the button itself
        await pilot.press(*" we moved it", "enter", *"to Friday", "enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CancelScreen)  # still open: nothing was sent
        assert cancel_posts(fake_graph) == []
        area = dialog.query_one(TextArea)
        assert area.text == "Sorry we moved it\nto Friday\n"
        assert dialog.focused is area
        # A Tab, then Space and Enter: still text, still not a press.
        await pilot.press("tab", "space", "tab", "tab", "enter", "backspace", "backspace")
        await pilot.pause(0.3)
        assert cancel_posts(fake_graph) == [] and isinstance(app.screen, CancelScreen)
        assert area.text == "Sorry we moved it\nto Friday\n"
        await pilot.press("ctrl+s")  # the deliberate send
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        [post] = cancel_posts(fake_graph)
        assert json.loads(post.body) == {"Comment": "Sorry we moved it\nto Friday\n"}
        assert event.id not in [e.id for e in app.main.table.all_events]


async def test_a_click_on_send_is_a_deliberate_send(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, _, _ = await open_cancel_dialog(pilot)
        await pilot.press(*"Sorry")
        await pilot.click("#cancel-send")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        assert len(cancel_posts(fake_graph)) == 1


async def test_the_scope_choice_does_not_take_typing(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        _, _, dialog = await open_cancel_dialog(
            pilot, lambda e: cancellable(e) and e.is_occurrence and e.series_master_id is not None)
        assert isinstance(dialog, CancelScreen)
        await pilot.press(*"Sorry", "shift+tab")  # back onto the occurrence/series choice
        assert dialog.focused is not dialog.query_one(TextArea)
        await pilot.press("space", *"all", "enter")
        await pilot.pause(0.2)
        assert not dialog.whole_series  # Space did not switch to the whole series
        assert dialog.query_one(TextArea).text == "Sorry all\n"
        assert cancel_posts(fake_graph) == []


async def test_the_bulk_dialog_keeps_typing_after_a_stray_tab(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        first = await select(pilot, cancellable)
        await pilot.press("space")
        await select(pilot, lambda e: cancellable(e) and e.id != first.id)
        await pilot.press("space", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        dialog = app.screen
        await pilot.press(*"Reorg", "tab")
        assert dialog.focused is dialog.query_one("#cancel-send", Button)
        await pilot.press(*" of the team", "enter", "space")
        await pilot.pause(0.3)
        assert isinstance(app.screen, BulkCancelScreen) and cancel_posts(fake_graph) == []
        assert dialog.query_one(TextArea).text == "Reorg of the team\n "
        await pilot.press("ctrl+s")
        # The run's end is its results screen.
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen)
                       and len(cancel_posts(fake_graph)) == 2, timeout=30)


async def test_the_include_checkbox_takes_no_typing_and_ctrl_o_switches_it(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        # One meeting you organize and a copy its organizer cancelled: no decline is on
        # offer, so the box to send the refused cancels too is.
        events = app.main.table.all_events
        mine = next(e for e in events if e.is_organizer and not e.is_cancelled)
        copy = next(e for e in events if e.is_cancelled and not e.is_organizer)
        await mark(pilot, {mine.id, copy.id})
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        dialog = app.screen
        include = dialog.query_one("#bulk-include", Checkbox)
        await pilot.press(*"Sorry", "shift+tab")
        assert dialog.focused is include
        await pilot.press("space", *"all", "enter")
        assert not include.value
        assert dialog.query_one(TextArea).text == "Sorry all\n"
        await pilot.press("ctrl+o")
        assert include.value
        await pilot.press("ctrl+o")
        assert not include.value
        assert cancel_posts(fake_graph) == []
