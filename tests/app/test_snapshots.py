"""Snapshot tests of what a user sees: the main screen, the cancel dialog, a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tests.app.helpers import make_app, settled, wait_for
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.screens.cancel import CancelScreen

SIZE = (120, 36)


async def _to_event(pilot: Pilot[None], organizer: bool) -> None:
    app = await settled(pilot)
    index = next(
        i
        for i, e in enumerate(app.main.table.all_events)
        if e.is_organizer == organizer and not e.is_cancelled and e.attendees
    )
    for _ in range(index):
        await pilot.press("j")


async def _main(pilot: Pilot[None]) -> None:
    await settled(pilot)
    await pilot.press("j", "j")


async def _modal(pilot: Pilot[None]) -> None:
    await _to_event(pilot, organizer=True)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CancelScreen))
    await pilot.press(*"Moving this to Friday.")


async def _refusal(pilot: Pilot[None]) -> None:
    await _to_event(pilot, organizer=False)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CancelScreen))
    await pilot.press(*"Skip?", "ctrl+s")
    app = pilot.app
    assert isinstance(app, Cal365App)
    await wait_for(pilot, lambda: app.main.status.kind == "error")


def test_main_screen(snap_compare: Callable[..., Any], fake_graph: FakeGraph) -> None:
    assert snap_compare(make_app(fake_graph), terminal_size=SIZE, run_before=_main)


def test_main_screen_at_80_columns(
    snap_compare: Callable[..., Any], fake_graph: FakeGraph
) -> None:
    # A common SSH terminal: cut subjects and organizers end in "…", the title keeps its dates.
    assert snap_compare(make_app(fake_graph), terminal_size=(80, 24), run_before=_main)


def test_cancel_dialog(snap_compare: Callable[..., Any], fake_graph: FakeGraph) -> None:
    assert snap_compare(make_app(fake_graph), terminal_size=SIZE, run_before=_modal)


def test_organizer_refusal_in_status_bar(
    snap_compare: Callable[..., Any], fake_graph: FakeGraph
) -> None:
    assert snap_compare(make_app(fake_graph), terminal_size=SIZE, run_before=_refusal)
