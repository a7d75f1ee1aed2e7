"""A calendar's or its owner's name is the server's text: wherever the app shows it, markup
in it stays text ("[@click=app.quit]" would be an action, "[link=…]" a terminal link)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Tree

from tests.app.helpers import loaded, make_app, wait_for
from tests.app.screen_text import rendered_text
from tui.fake import FakeGraph, Fault
from tui.screens.help import help_table
from tui.widgets.calendar_tree import CalendarTree
from tui.widgets.events_pane import EventsPane

NAME = "[b]Boss[/b] [@click=app.quit]Quit[/] [link=file:///etc/passwd]x[/link]"
SHORT = "[b]Boss[/b][@click=app.quit]Q[/]"  # fits a pane title whole


def shown(renderable: object) -> str:
    return rendered_text(renderable, 300)


async def test_a_calendar_named_with_markup_is_titled_literally(fake_graph: FakeGraph) -> None:
    fake_graph.faults.add(Fault("odd_fields", method="GET", path="calendars", times=None,
                                items=10_000, fields={"name": SHORT}))
    async with make_app(fake_graph).run_test(size=(200, 40)) as pilot:
        app = await loaded(pilot)
        tree = app.main.query_one(CalendarTree)
        await wait_for(pilot, lambda: len(tree.root.children) >= 3)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Tree)
        for _ in range(20):
            node = tree.cursor_node
            if node is not None and node.data is not None:
                break
            await pilot.press("j")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main.calendar_name == SHORT
                       and app.main.status.kind == "info")
        title = app.main.query_one(EventsPane).border_title
        assert title is not None
        assert Content.from_markup(title).plain.startswith(SHORT + " · ")  # what is drawn
        assert app.is_running


def test_the_help_screen_shows_an_owners_name_literally() -> None:
    text = shown(help_table(NAME))
    assert NAME in text


async def test_the_palette_shows_an_owners_name_literally(fake_graph: FakeGraph) -> None:
    from tui.palette import Cal365Commands

    async with make_app(fake_graph).run_test(size=(200, 40)) as pilot:
        app = await loaded(pilot)
        app.main.owner_name = lambda: NAME  # type: ignore[method-assign]
        provider = Cal365Commands(app.screen)
        discovered = [hit.prompt async for hit in provider.discover()]
        searched = [hit.prompt async for hit in provider.search("only")]
        named = [p for p in discovered + searched
                 if isinstance(p, Content) and NAME in p.plain]
        assert named, "no palette line names the owner"
        assert all(isinstance(p, Content) for p in discovered + searched)
