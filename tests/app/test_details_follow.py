"""The details pane follows the cursor: at most one paint per interval while a key repeats,
and the event under the cursor always shown once the keys stop."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.app.helpers import loaded, make_app, wait_for
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.widgets.event_details import EventDetails
from tui.widgets.format import printable


def _pane_lines(app: Cal365App) -> str:
    """The details pane's lines as the screen shows them."""
    details = app.main.query_one(EventDetails)
    return "\n".join("".join(segment.text for segment in details.render_line(y))
                     for y in range(details.size.height))


def _under_cursor(app: Cal365App) -> str:
    current = app.main.table.current
    assert current is not None
    return printable(current.subject)[:30]


async def _shows_cursor(pilot: Pilot[None], app: Cal365App) -> None:
    await wait_for(pilot, lambda: _under_cursor(app) in _pane_lines(app).splitlines()[0])


async def test_after_a_burst_of_moves_the_pane_shows_the_event_under_the_cursor(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        subjects = {printable(e.subject)[:30] for e in app.main.table.visible_events[:12]}
        assert len(subjects) > 5  # the moves below pass events that differ
        # An interval the burst surely falls within, however slow the machine.
        app.main.query_one(EventDetails).interval = 1.0
        for _ in range(9):
            await pilot.press("down")
        for _ in range(3):
            await pilot.press("up")
        # No key after the burst: the trailing paint alone brings the pane to the cursor.
        await _shows_cursor(pilot, app)
        assert app.main.table.cursor == 6
        assert _under_cursor(app) in app.main.details.text


async def test_a_held_key_is_followed_by_one_trailing_paint(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        details = app.main.query_one(EventDetails)
        # A long interval, so that the two presses below surely fall within it.
        details.interval = 3.0
        await pilot.press("down")
        await _shows_cursor(pilot, app)
        first = _pane_lines(app)
        await pilot.press("down")
        await pilot.press("down")
        await pilot.pause()
        # Within the interval of the last paint: the pane waits, nothing new is drawn.
        assert _pane_lines(app) == first
        assert app.main.table.cursor == 3
        # With no key pressed, the trailing paint shows the event the cursor stopped on.
        await _shows_cursor(pilot, app)
        assert _pane_lines(app) != first
