"""Starting up and walking groups → calendars → events with the keyboard."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static, Tree

from tests.app.helpers import loaded, make_app, wait_for
from tui.commands import COMMANDS
from tui.fake import FakeGraph
from tui.screens.help import HelpScreen
from tui.widgets.calendar_tree import CalendarTree
from tui.widgets.event_table import EventTable


async def test_starts_on_the_default_calendar_with_events_focused(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert isinstance(app.focused, EventTable)
        assert app.main.calendar.calendar_id is None  # /me/calendar
        events = app.main.table.all_events
        assert any(e.is_organizer for e in events) and any(not e.is_organizer for e in events)
        tree = app.main.query_one(CalendarTree)
        await wait_for(pilot, lambda: len(tree.root.children) >= 3)
        leaves = [leaf for group in tree.root.children for leaf in group.children]
        assert len(leaves) >= 6
        # The details pane shows the highlighted event.
        assert app.main.table.current is not None
        calendar_view = [r for r in fake_graph.requests if r.path.endswith("/calendarView")]
        assert calendar_view[0].path.endswith("/me/calendar/calendarView")


async def test_tree_navigation_opens_another_calendar_by_its_group_path(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        tree = app.main.query_one(CalendarTree)
        await wait_for(pilot, lambda: len(tree.root.children) >= 3)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Tree)
        start = tree.cursor_line
        await pilot.press("j", "j")
        assert tree.cursor_line != start
        # Walk down until a calendar (not a group) that is not the default one is selected.
        for _ in range(20):
            node = tree.cursor_node
            if node is not None and node.data is not None and not node.data.calendar.is_default:
                break
            await pilot.press("j")
        node = tree.cursor_node
        assert node is not None and node.data is not None
        name = node.data.calendar.name
        fake_graph.clear_requests()
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: app.main.calendar_name == name and app.main.status.kind == "info"
        )
        assert isinstance(app.focused, EventTable)
        ref = app.main.calendar
        assert ref.calendar_group_id is not None and ref.calendar_id == node.data.calendar.id
        assert any(
            "/calendarGroups/" in r.raw_path and "/calendarView" in r.path
            for r in fake_graph.requests
        )


async def test_help_lists_every_command_and_closes(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        body = pilot.app.screen.query_one("#help-body", Static)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(body.content)
        text = console.export_text()
        for command in COMMANDS:
            assert command.help in text
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_subjects_are_shown_literally_not_as_markup(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(160, 40)) as pilot:
        app = await loaded(pilot)
        table = app.main.table
        rows = [i for i, e in enumerate(table.all_events) if "[" in e.subject]
        assert rows, "the demo mailbox holds a subject that looks like markup"
        table.cursor = rows[0]
        await pilot.pause()
        y = rows[0] - round(table.scroll_offset.y) + 1
        line = "".join(segment.text for segment in table.render_line(y))
        assert "[" in line and "[/" in line


async def test_q_quits(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not pilot.app.is_running
