"""The key bar: the keys of where the focus is, from the command registry; a click presses."""

from __future__ import annotations

from tests.app.helpers import loaded, make_app, wait_for
from tui.commands import commands_for
from tui.fake import FakeGraph
from tui.screens.cancel import CancelScreen
from tui.widgets.key_bar import KeyBar


def _line(bar: KeyBar) -> str:
    return bar.render().plain


async def test_the_bar_follows_the_focus_and_the_registry(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(160, 40)) as pilot:
        app = await loaded(pilot)
        bar = app.main.query_one(KeyBar)
        app.main.table.focus()
        await pilot.pause()
        events_line = _line(bar)
        for command in commands_for("events"):
            if command.footer:
                assert command.footer in events_line, command.id
        assert "Ctrl+P" in events_line
        app.main.query_one("#calendars").focus()
        await wait_for(pilot, lambda: _line(bar) != events_line)
        tree_line = _line(bar)
        assert "Cancel event" not in tree_line
        for command in commands_for("tree"):
            if command.footer:
                assert command.footer in tree_line, command.id


async def test_a_click_on_a_key_presses_it(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(160, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        main.table.focus()
        target = next(i for i, e in enumerate(main.table.visible_events)
                      if e.is_organizer and not e.is_cancelled)
        main.table.cursor = target
        await pilot.pause()
        bar = main.query_one(KeyBar)
        line = _line(bar)
        x = line.index(" c ") + 1  # the "c" of "c Cancel event"
        await pilot.click(KeyBar, offset=(x, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        # The dialog has a bar of its own, with its keys.
        dialog_bar = app.screen.query_one(KeyBar)
        assert "Send cancellation" in _line(dialog_bar)
        assert "Cancel event" not in _line(dialog_bar)


async def test_a_narrow_bar_keeps_whole_keys_help_and_the_palette(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(80, 24)) as pilot:
        app = await loaded(pilot)
        app.main.table.focus()
        await pilot.pause()
        bar = app.main.query_one(KeyBar)
        line = _line(bar)
        assert len(line) <= 80
        assert line.rstrip().endswith("Ctrl+P")
        assert "? Help" in line
        labels = [c.footer for c in commands_for("events") + commands_for("app") if c.footer]
        shown = [label for label in labels if label in line]
        assert shown and len(shown) < len(labels)  # some given up for, whole
        # No key is cut: the keys part ends with a whole label.
        keys_part = line.split("▏")[0].rstrip()
        assert any(keys_part.endswith(label) for label in shown), keys_part
