"""A filter kept with Enter: Esc in the events pane clears it, and every count on screen
agrees with the rows shown."""

from __future__ import annotations

from tests.app.helpers import loaded, make_app, wait_for
from tests.app.screen_text import screen_lines
from tui.fake import FakeGraph


async def test_esc_clears_a_kept_filter_and_the_counts_follow(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        total = len(main.table.all_events)
        everything = f"Calendar: {total} events."
        await wait_for(pilot, lambda: any(everything in line for line in screen_lines(app)))
        assert "Clear filter" not in screen_lines(app)[-1]  # nothing to clear yet

        await pilot.press("slash", *"review", "enter")
        await wait_for(pilot, lambda: main.table.has_focus)
        shown = len(main.table.visible_events)
        assert 0 < shown < total
        words = f"{shown} of {total} events"
        lines = screen_lines(app)
        status = lines[-2]
        assert f"Calendar: {words} match “review”." in status
        assert any(words in line and "╯" in line for line in lines)  # the pane's count
        assert not any(everything in line for line in lines)
        assert "Clear filter" in lines[-1]
        # The rows on screen are the matches, and only they.
        assert sum("review" in line.lower() for line in lines[:-12]) >= min(shown, 5)

        await pilot.press("escape")
        await wait_for(pilot, lambda: len(main.table.visible_events) == total)
        lines = screen_lines(app)
        assert everything in lines[-2]
        assert not any(" of " in line and "events" in line for line in lines)
        assert "Clear filter" not in lines[-1]
        assert main.table.has_focus


async def test_a_quick_toggle_and_a_reload_keep_the_counts_true(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        total = len(main.table.all_events)
        await pilot.press("m")  # only the meetings the user organizes
        shown = len(main.table.visible_events)
        assert 0 < shown < total
        assert f"Calendar: {shown} of {total} events (only mine)." in screen_lines(app)[-2]
        await pilot.press("r")
        await wait_for(pilot, lambda: main.status.kind == "info"
                       and "Loading" not in main.status.message)
        await wait_for(pilot, lambda: f"Calendar: {shown} of {total} events."
                       in screen_lines(app)[-2])


async def test_a_narrow_bar_keeps_the_way_out_of_a_kept_filter(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(80, 24)) as pilot:
        app = await loaded(pilot)
        await pilot.press("slash", *"review", "enter")
        await wait_for(pilot, lambda: app.main.table.has_focus)
        await wait_for(pilot, lambda: "esc Clear filter" in screen_lines(app)[-1])
        assert "? Help" in screen_lines(app)[-1]
