"""Triage keys: windows, filter, quick toggles; what survives moving around."""

from __future__ import annotations

import datetime as dt

from tests.app.helpers import loaded, make_app, wait_for
from tests.conftest import DEMO_TODAY
from tui.fake import FakeGraph
from tui.screens.prompt import PromptScreen
from tui.widgets.filter_input import FilterInput


async def test_views_and_moving_the_window(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main

        async def settled() -> None:
            await wait_for(pilot, lambda: main.status.kind == "info")

        await pilot.press("3")
        await settled()
        assert main.window.view == "week" and main.window.first == dt.date(2026, 11, 23)
        starts = {e.start.date() for e in main.table.all_events if e.start and not e.is_all_day}
        assert starts and all(dt.date(2026, 11, 23) <= d <= dt.date(2026, 11, 29) for d in starts)
        await pilot.press("right_square_bracket")
        await settled()
        assert main.window.first == dt.date(2026, 11, 30)
        await pilot.press("1", "left_square_bracket")
        await settled()
        assert (main.window.view, main.window.first) == ("day", dt.date(2026, 11, 29))
        await pilot.press("t")
        await settled()
        assert main.window.first == DEMO_TODAY
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*"next year", "enter")
        assert isinstance(app.screen, PromptScreen)  # refused, with a message
        await pilot.press(*["backspace"] * 9, *"2026-12-24", "enter")
        await settled()
        assert main.window.first == dt.date(2026, 12, 24)
        await pilot.press("4")
        await settled()
        assert main.window.label() == "Month · December 2026"


async def test_filter_and_toggles_survive_a_refresh(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main, table = app.main, app.main.table
        total = len(table.all_events)
        await pilot.press("slash")
        assert isinstance(app.focused, FilterInput)
        await pilot.press(*"review")
        shown = table.visible_events
        assert 0 < len(shown) < total
        assert all(
            "review" in (e.subject + e.organizer.label + e.location).lower()
            or any("review" in a.person.label.lower() for a in e.attendees)
            for e in shown
        )
        await pilot.press("enter", "m")
        assert all(e.is_organizer for e in table.visible_events)
        await pilot.press("j")
        selected = table.current
        await pilot.press("r")
        await wait_for(pilot, lambda: main.status.kind == "info" and table.all_events)
        assert table.current == selected
        assert all(e.is_organizer for e in table.visible_events)
        await pilot.press("m", "x")
        assert not any(e.is_cancelled for e in table.visible_events)
        await pilot.press("slash", "escape")
        assert len(table.visible_events) == len([e for e in table.all_events if not e.is_cancelled])
