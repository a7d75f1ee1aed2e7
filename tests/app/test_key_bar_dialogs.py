"""The key bar at the bottom of the terminal names the keys of the screen on top: a dialog's
keys while a dialog is up, never the events pane's keys under it."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen

from tests.app.helpers import loaded, make_app, wait_for
from tests.app.screen_text import screen_lines
from tui.app import Cal365App
from tui.fake import FakeGraph

# Words of the events pane's bar; none of them does anything while a dialog is up.
EVENTS_KEYS = ("Mark", "Cancel event", "Go to", "Filter", "Ctrl+P")


def bottom(app: Cal365App) -> str:
    return screen_lines(app)[-1]


async def _dialog_shows(pilot: Pilot[None], app: Cal365App, keys: tuple[str, ...],
                        words: tuple[str, ...]) -> None:
    await pilot.press(*keys)
    await wait_for(pilot, lambda: isinstance(app.screen, ModalScreen))
    await wait_for(pilot, lambda: all(w in bottom(app) for w in words))
    line = bottom(app)
    for word in EVENTS_KEYS:
        assert word not in line, (keys, line)
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, ModalScreen))
    await wait_for(pilot, lambda: "Cancel event" in bottom(app))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_dialog_has_its_own_keys_at_the_bottom(
    fake_graph: FakeGraph, size: tuple[int, int]
) -> None:
    async with make_app(fake_graph).run_test(size=size) as pilot:
        app = await loaded(pilot)
        await pilot.press("home")
        while (current := app.main.table.current) is None or not (
                current.is_organizer and not current.is_cancelled):
            await pilot.press("j")
        await wait_for(pilot, lambda: "Cancel event" in bottom(app))
        await _dialog_shows(pilot, app, ("g",), ("Confirm", "Close"))
        await _dialog_shows(pilot, app, ("u",), ("Confirm", "Close"))
        await _dialog_shows(pilot, app, ("question_mark",), ("Close",))
        await _dialog_shows(pilot, app, ("L",), ("Close",))
        await _dialog_shows(pilot, app, ("c",), ("Send cancellation", "Back"))
        await _dialog_shows(pilot, app, ("space", "k", "c"), ("Send cancellations",))
        # Textual's own command palette brings no bar: the one beneath follows it.
        await _dialog_shows(pilot, app, ("ctrl+p",), ())
