"""In another person's calendar Graph's organizer flag and response are theirs: the ●/○
legend, `m` and `d` name them there, and say "you" in one's own calendars."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from tests.app.helpers import (
    listed_calendars,
    loaded,
    make_app,
    mark,
    open_their_calendar,
    wait_for,
)
from tui.commands import COMMANDS
from tui.fake import FakeGraph
from tui.fake.seed import JONAS_UPN
from tui.palette import Cal365Commands
from tui.screens.help import HelpScreen
from tui.widgets.calendar_tree import CalendarTree


async def _help_text(pilot) -> str:  # type: ignore[no-untyped-def]
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    body = pilot.app.screen.query_one("#help-body", Static)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(body.content)
    await pilot.press("escape")
    return console.export_text()


async def _palette_lines(pilot) -> set[str]:  # type: ignore[no-untyped-def]
    provider = Cal365Commands(pilot.app.main)
    return {str(hit.text) async for hit in provider.discover()}


def _subtitle(main) -> str:  # type: ignore[no-untyped-def]
    return str(main.query_one("#events-pane").border_subtitle)


async def test_another_persons_calendar_names_them_in_the_legend_filter_and_help(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        await pilot.press("m", "d")
        assert "no declined · only mine" in _subtitle(main)
        own = await _help_text(pilot)
        assert "you organize this meeting" in own and "invited; you accepted" in own
        assert "Only meetings I organize" in own and "Hide events I declined" in own
        assert "Only meetings I organize" in await _palette_lines(pilot)

        await open_their_calendar(pilot, JONAS_UPN)
        assert main.owner_name() == "Jonas Berg"
        assert "no declined · only Jonas Berg's" in _subtitle(main)
        theirs = await _help_text(pilot)
        assert "Jonas Berg organizes this meeting" in theirs
        assert "invited; Jonas Berg accepted" in theirs
        assert "Jonas Berg has not answered" in theirs
        assert "Only meetings Jonas Berg organizes" in theirs
        assert "Hide events Jonas Berg declined" in theirs
        assert "you organize" not in theirs and "I organize" not in theirs
        lines = await _palette_lines(pilot)
        assert "Only meetings Jonas Berg organizes" in lines
        assert "Only meetings I organize" not in lines

        # Back in one's own calendar, "you" again.
        tree = main.query_one(CalendarTree)
        tree.focus()
        assert tree.select_default()
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.calendar.mailbox.kind == "me"
                       and main.status.kind == "info")
        assert main.owner_name() is None
        assert "only mine" in _subtitle(main)
        assert "you organize this meeting" in await _help_text(pilot)


async def test_a_calendar_shared_into_ones_own_mailbox_names_its_owner(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        tree = main.query_one(CalendarTree)
        await wait_for(pilot, lambda: any(
            leaf.data is not None and leaf.data.calendar.name == "Jonas Berg"
            for leaf in listed_calendars(tree)))
        shared = next(leaf for leaf in listed_calendars(tree)
                      if leaf.data is not None and leaf.data.calendar.name == "Jonas Berg")
        assert shared.data is not None
        tree.focus()
        tree.move_cursor(shared)
        await pilot.press("enter")
        await wait_for(pilot, lambda: shared.data is not None
                       and main.calendar == shared.data.ref and main.status.kind == "info")
        assert main.owner_name() == "Jonas Berg"
        assert "Jonas Berg organizes this meeting" in await _help_text(pilot)
        # The details pane says it of him too, not "You: organize this meeting".
        organized = next(e for e in main.table.all_events if e.is_organizer)
        assert main.table.select_id(organized.id)
        await wait_for(pilot, lambda: "Jonas Berg: organizes this meeting"
                       in main.details.text)
        assert "You:" not in main.details.text


def test_every_wording_for_another_person_names_them_and_falls_back_to_one_own() -> None:
    for command in COMMANDS:
        assert command.help_for(None) == command.help
        assert command.badge_for(None) == command.badge
        if command.help_theirs:
            assert "{owner}" in command.help_theirs
            assert "Ada" in command.help_for("Ada")
        else:
            assert command.help_for("Ada") == command.help
        if command.badge_theirs:
            assert command.badge_for("Ada") == command.badge_theirs.format(owner="Ada")
    # A name with braces is shown as it is, not taken for a template.
    only_mine = next(c for c in COMMANDS if c.id == "only-mine")
    assert only_mine.help_for("{x}") == "Only meetings {x} organizes"


async def test_the_bulk_dialog_names_the_owner_of_the_marked_meetings(
    fake_graph: FakeGraph,
) -> None:
    from tui.screens.bulk import BulkCancelScreen

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        mine = next(e for e in main.table.all_events if e.is_organizer and not e.is_cancelled)
        await mark(pilot, [mine.id])
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        summary = str(app.screen.query_one("#cancel-summary").render())
        assert summary.startswith("1 you organize will be cancelled"), summary
        await pilot.press("escape")
        await pilot.press("U")
        await open_their_calendar(pilot, JONAS_UPN)
        theirs = [e for e in main.table.all_events if e.is_organizer and not e.is_cancelled]
        others = [e for e in main.table.all_events if not e.is_organizer]
        assert theirs and others
        main.table.focus()
        await mark(pilot, [theirs[0].id, others[0].id])
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        dialog = app.screen
        summary = str(dialog.query_one("#cancel-summary").render())
        assert summary.startswith("1 organized by Jonas Berg will be cancelled"), summary
        headings = [str(w.render()) for w in dialog.query(".bulk-heading")]
        assert headings == ["Left out: 1 Jonas Berg does not organize (Ctrl+T declines the "
                            "invitations among them)"]
        await pilot.press("escape")
