"""Dates typed at the edge of the calendar: a clear message, never a crash."""

from __future__ import annotations

import pytest

from tests.app.helpers import loaded, make_app, wait_for
from tui.fake import FakeGraph
from tui.screens.main import MainScreen
from tui.screens.prompt import PromptScreen


@pytest.mark.parametrize("typed", ["+99999999", "-99999999", "9999-12-31", "0001-01-01"])
async def test_a_date_at_the_edge_of_time_is_refused_or_shown(
    fake_graph: FakeGraph, typed: str
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*typed, "enter")
        await pilot.pause()
        if isinstance(app.screen, PromptScreen):
            await pilot.press("escape")  # refused in the prompt, with its reason
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        for key in ("right_square_bracket", "left_square_bracket", "4"):
            await pilot.press(key)
            await pilot.pause()
        assert "unexpected error" not in app.main.status.message
        await pilot.press("t")
        await loaded(pilot)


async def test_moving_past_the_last_day_says_so(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*"2999-12-31", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.main.status.message == (
            "That is as far as it goes: cal365 shows dates from 1900 to 2999.")
        await pilot.press("1")  # a one-day window fits
        await wait_for(pilot, lambda: app.main.status.kind == "info"
                       and app.main.window.view == "day")
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*"2999-12-31", "enter")
        await wait_for(pilot, lambda: app.main.window.first.year == 2999, timeout=5)
        await wait_for(pilot, lambda: app.main.status.kind != "busy", timeout=5)
        assert app.main.status.kind == "info", app.main.status.message
        await pilot.press("right_square_bracket")
        assert "as far as it goes" in app.main.status.message
