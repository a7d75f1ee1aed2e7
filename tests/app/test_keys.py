"""Keys of the registry that other pilot tests do not press: o, y, 2, 5, d, k, end, page
keys, tab and the command palette.

`o` must never start a console browser over the TUI: it opens a graphical one only in a
local graphical session, and otherwise copies the link (OSC 52) instead.
"""

from __future__ import annotations

import datetime as dt
import webbrowser

import pytest

from tests.app.helpers import loaded, make_app, select, wait_for
from tests.conftest import DEMO_TODAY
from tui.fake import FakeGraph
from tui.widgets.calendar_tree import CalendarTree


class RecordingBrowser(webbrowser.BaseBrowser):
    """Stands in for a browser: records what it was asked to open, opens nothing."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        return True


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Install one browser by name as webbrowser's only choice; returns a factory."""
    monkeypatch.delenv("BROWSER", raising=False)
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(webbrowser, "_tryorder", [])
    monkeypatch.setattr(webbrowser, "_browsers", {})
    monkeypatch.setattr("sys.platform", "linux")

    def install(name: str) -> RecordingBrowser:
        found = RecordingBrowser(name)
        webbrowser.register(name, None, found, preferred=True)
        return found

    return install


async def test_o_opens_the_outlook_link_in_a_local_graphical_browser(
    fake_graph: FakeGraph, browser, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    firefox = browser("firefox")
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: bool(e.web_link))
        await pilot.press("o")
        assert firefox.opened == [event.web_link]
        assert "in the browser" in app.main.status.message
        assert app.clipboard != event.web_link


@pytest.mark.parametrize("where", ["ssh", "console-browser", "no-display"])
async def test_o_never_starts_a_browser_without_a_local_gui_and_copies_instead(
    fake_graph: FakeGraph, browser, monkeypatch: pytest.MonkeyPatch, where: str  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    installed = browser("lynx" if where == "console-browser" else "firefox")
    if where == "ssh":
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 51000 10.0.0.1 22")
    elif where == "no-display":
        monkeypatch.delenv("DISPLAY")
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: bool(e.web_link))
        await pilot.press("o")
        assert installed.opened == []
        assert app.clipboard == event.web_link
        assert "copied to your clipboard" in app.main.status.message


async def test_y_copies_the_outlook_link(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: bool(e.web_link))
        assert event.web_link.startswith("https://outlook.office365.com/owa/?itemid=")
        await pilot.press("y")
        assert app.clipboard == event.web_link
        assert app.main.status.message.startswith("Copied the Outlook link")


async def test_work_week_and_agenda_views(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        await pilot.press("2")
        await wait_for(pilot, lambda: main.window.view == "workweek"
                       and main.status.kind == "info")
        monday = DEMO_TODAY - dt.timedelta(days=DEMO_TODAY.weekday())
        assert (main.window.first, main.window.days) == (monday, 5)
        starts = {e.start.date() for e in main.table.all_events if e.start and not e.is_all_day}
        assert starts and all(monday <= d < monday + dt.timedelta(days=5) for d in starts)
        await pilot.press("5")
        await wait_for(pilot, lambda: main.window.view == "agenda"
                       and main.status.kind == "info")
        assert main.window.first == DEMO_TODAY
        assert main.window.days == main.window.agenda_days
        assert main.window.label().startswith("Agenda")


async def test_d_hides_declined_meetings_and_back(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        await pilot.press("3")
        await wait_for(pilot, lambda: main.window.view == "week" and main.status.kind == "info")
        declined = [e for e in main.table.visible_events if e.my_response == "declined"]
        assert declined
        before = len(main.table.visible_events)
        await pilot.press("d")
        assert not [e for e in main.table.visible_events if e.my_response == "declined"]
        assert len(main.table.visible_events) == before - len(declined)
        await pilot.press("d")
        assert len(main.table.visible_events) == before


async def test_moving_in_the_events_with_k_end_and_the_page_keys(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        table = app.main.table
        await pilot.press("4")  # a month: more rows than a page
        await wait_for(pilot, lambda: app.main.status.kind == "info"
                       and len(table.visible_events) > 30)
        await pilot.press("end")
        assert table.cursor == len(table.visible_events) - 1
        await pilot.press("k")
        assert table.cursor == len(table.visible_events) - 2
        await pilot.press("home", "pagedown")
        page = table.cursor
        assert 0 < page < len(table.visible_events) - 1
        await pilot.press("pageup")
        assert table.cursor == 0


async def test_tab_moves_between_panes(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert app.focused is app.main.table
        await pilot.press("shift+tab")
        assert isinstance(app.focused, CalendarTree)
        await pilot.press("tab")
        assert app.focused is not None and app.focused is not app.main.query_one(CalendarTree)


async def test_the_command_palette_runs_a_registry_command(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette")
        await pilot.press(*"Hide declined")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "declined" in app.main.toggles)


async def test_enter_opens_the_details_pane_which_scrolls_and_escape_returns(
    fake_graph: FakeGraph,
) -> None:
    from tui.widgets.event_details import EventDetails

    async with make_app(fake_graph).run_test(size=(120, 24)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: len(e.attendees) > 6)
        await pilot.press("enter")
        details = app.main.query_one(EventDetails)
        assert app.focused is details
        await pilot.pause(0.1)
        assert details.max_scroll_y > 0  # a long attendee list: there is something to scroll
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: details.scroll_y > 0)
        await pilot.press("k", "k")
        await wait_for(pilot, lambda: details.scroll_y == 0)
        await pilot.press("escape")
        assert app.focused is app.main.table
        assert app.main.table.current == event


async def test_escape_closes_a_question_without_acting(fake_graph: FakeGraph) -> None:
    from tui.screens.prompt import PromptScreen

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        before = app.main.window
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*"2026-12-24", "escape")
        assert not isinstance(app.screen, PromptScreen)
        assert app.main.window == before
