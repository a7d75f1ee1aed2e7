"""The user's own keys (the config file's [keys], through Textual's keymap): a remapped key
runs its command, its old key no longer does, and the key bar, the help screen and the
palette show the new one."""

from __future__ import annotations

from textual.command import CommandPalette

from tests.app.helpers import ZONE, loaded, wait_for
from tests.app.screen_text import screen_lines
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.graph import GraphClient
from tui.screens.help import HelpScreen
from tui.widgets.filter_input import FilterInput


def keyed_app(fake: FakeGraph, keymap: dict[str, str]) -> Cal365App:
    client = GraphClient(fake.base_url, fake.token, timezone=ZONE)
    return Cal365App(client, today=DEMO_TODAY, timezone=ZONE, keymap=keymap)


def _bottom(app: Cal365App) -> str:
    return screen_lines(app)[-1]


async def test_a_remapped_key_runs_its_command_and_the_old_key_does_not(
        fake_graph: FakeGraph) -> None:
    async with keyed_app(fake_graph, {"help": "f1"}).run_test(size=(160, 40)) as pilot:
        app = await loaded(pilot)
        app.main.table.focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        # The help screen lists the new key on the help line, not "?".
        help_line = next(line for line in screen_lines(app) if "Show every key binding" in line)
        assert "f1" in help_line and "?" not in help_line


async def test_the_key_bar_shows_the_new_key(fake_graph: FakeGraph) -> None:
    keymap = {"filter": "f", "palette": "ctrl+k"}
    async with keyed_app(fake_graph, keymap).run_test(size=(160, 40)) as pilot:
        app = await loaded(pilot)
        app.main.table.focus()
        await wait_for(pilot, lambda: " f Filter" in _bottom(app))
        line = _bottom(app)
        assert " / Filter" not in line
        assert "Ctrl+P" not in line and line.rstrip().endswith("^k")
        await pilot.press("f")
        await wait_for(pilot, lambda: app.main.query_one(FilterInput).has_focus)
        await pilot.press("escape")
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_the_palette_shows_the_new_key(fake_graph: FakeGraph) -> None:
    async with keyed_app(fake_graph, {"refresh": "f5"}).run_test(size=(160, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"reload")

        def keys_under_the_hit() -> str:  # the palette puts a hit's keys on the next line
            lines = screen_lines(app)
            hit = next((i for i, line in enumerate(lines) if "Reload calendars" in line), None)
            return "" if hit is None or hit + 1 >= len(lines) else lines[hit + 1].strip()

        await wait_for(pilot, lambda: keys_under_the_hit() == "f5")


async def test_a_key_typed_behind_a_remapped_opener_is_held_for_its_box(
        fake_graph: FakeGraph) -> None:
    """The keys held behind a key that opens a text box follow the command, not the key:
    "fd" types "d" into the filter (remapped to f) instead of hiding declined events."""
    async with keyed_app(fake_graph, {"filter": "f"}).run_test(size=(160, 40)) as pilot:
        app = await loaded(pilot)
        app.main.table.focus()
        await pilot.press("f", "d")
        box = app.main.query_one(FilterInput)
        await wait_for(pilot, lambda: box.value == "d")
