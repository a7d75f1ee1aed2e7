"""`g` (and `t`) move the window and put the cursor on the day asked for: its first event,
or the next one with a word when the day has none."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.pilot import Pilot

from tests.app.helpers import loaded, make_app, wait_for
from tests.app.screen_text import screen_lines
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.graph import Event


async def _go_to(pilot: Pilot[None], app: Cal365App, text: str) -> None:
    from tui.screens.prompt import PromptScreen

    await pilot.press("g")
    await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
    await pilot.press(*text, "enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, PromptScreen))
    await loaded(pilot)


def _first_on_or_after(app: Cal365App, day: dt.date) -> Event:
    return next(e for e in app.main.table.visible_events
                if e.start is not None and e.start.date() >= day)


def _screen(app: Cal365App) -> str:
    return "\n".join(screen_lines(app))


def _status(app: Cal365App) -> str:
    """The status line (it wraps in a narrow terminal), above the key bar."""
    return " ".join(" ".join(line.split()) for line in screen_lines(app)[-4:-1])


async def test_go_to_a_day_in_a_week_lands_on_its_first_event(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("3")  # the week of Mon 23 Nov: the window starts before the day
        await loaded(pilot)
        await _go_to(pilot, app, "2026-11-26")
        target = _first_on_or_after(app, dt.date(2026, 11, 26))
        assert app.main.table.current == target
        assert app.main.table.all_events[0].start.date() < dt.date(2026, 11, 26)  # type: ignore[union-attr]
        await wait_for(pilot, lambda: "Thursday 26 November 2026" in _screen(app))
        assert "Nothing" not in _status(app)
        # Another day of the same week, and the cursor follows again.
        await _go_to(pilot, app, "2026-11-24")
        assert app.main.table.current == _first_on_or_after(app, dt.date(2026, 11, 24))
        await wait_for(pilot, lambda: "Tuesday 24 November 2026" in _screen(app))


async def test_a_day_without_events_is_named_and_the_next_is_chosen(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(80, 24)) as pilot:
        app = await loaded(pilot)
        # The agenda from Saturday 28 November: nothing that weekend, Monday next.
        await _go_to(pilot, app, "2026-11-28")
        target = _first_on_or_after(app, dt.date(2026, 11, 28))
        assert target.start is not None and target.start.date() == dt.date(2026, 11, 30)
        assert app.main.table.current == target
        status = _status(app)
        assert "Nothing on Sat 28 Nov: the cursor is on the next event, “Daily stand-up” " \
            "(Mon 30 Nov 09:15)." in status, status
        # In the week view the week ends before any other event: the last one is chosen.
        await pilot.press("3")
        await loaded(pilot)
        await _go_to(pilot, app, "2026-11-28")
        assert app.main.table.current == app.main.table.visible_events[-1]
        assert "Nothing on or after Sat 28 Nov in this window." in _status(app)


async def test_today_lands_on_today(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("3", "right_square_bracket")  # the week after
        await loaded(pilot)
        await _go_to(pilot, app, "2026-11-25")  # a Wednesday: the week starts on Monday
        await pilot.press("t")
        await loaded(pilot)
        await wait_for(pilot, lambda: app.main.table.current == _first_on_or_after(
            app, dt.date(2026, 11, 23)))


@pytest.mark.parametrize("runs", [1, 2])  # the second run reads the cache, then syncs
async def test_with_the_cache_the_cursor_lands_and_stays_after_the_sync(
    fake_graph: FakeGraph, runs: int
) -> None:
    from tests.offline.test_offline_app import cached_app, synced

    for _ in range(runs - 1):
        async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
            await synced(pilot)
            await pilot.press("3")
            await synced(pilot)
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        await pilot.press("3")
        await synced(pilot)
        await _go_to(pilot, app, "2026-11-26")
        await synced(pilot)
        assert app.main.table.current == _first_on_or_after(app, dt.date(2026, 11, 26))
        await wait_for(pilot, lambda: "Thursday 26 November 2026" in _screen(app))
        assert "no longer there" not in _status(app)
        await _go_to(pilot, app, "2026-11-28")
        await synced(pilot)
        await wait_for(pilot, lambda: "Nothing on or after Sat 28 Nov in this window."
                       in _status(app))
        assert app.main.table.current == app.main.table.visible_events[-1]


async def test_a_date_typed_in_one_burst_with_enter_is_taken_whole(
    fake_graph: FakeGraph,
) -> None:
    """Over SSH a typed word and its Enter arrive in one read: Enter must see every
    character before it."""
    from textual import events

    from tui.screens.prompt import PromptScreen

    async with make_app(fake_graph).run_test(size=(80, 24)) as pilot:
        app = await loaded(pilot)
        await pilot.press("3")
        await loaded(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        for character in "2026-11-26":
            app.post_message(events.Key(character if character.isalnum() else "minus",
                                        character))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: not isinstance(app.screen, PromptScreen))
        await loaded(pilot)
        assert app.main.table.current == _first_on_or_after(app, dt.date(2026, 11, 26))
