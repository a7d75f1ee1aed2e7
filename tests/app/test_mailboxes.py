"""Other people's calendars beside the user's own, reached through /users/{upn}."""

from __future__ import annotations

from tests.app.helpers import listed_calendars, loaded, make_app, wait_for
from tui.fake import FakeGraph
from tui.fake.seed import GUEST_UPN, JONAS_UPN
from tui.screens.prompt import PromptScreen
from tui.widgets.calendar_tree import CalendarTree


async def test_open_a_colleagues_mailbox_and_browse_it(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*JONAS_UPN, "enter")
        await wait_for(pilot, lambda: "Added" in app.main.status.message)
        tree = app.main.query_one(CalendarTree)
        theirs = [
            leaf
            for leaf in listed_calendars(tree)
            if leaf.data is not None and leaf.data.ref.mailbox.kind == "user"
        ]
        assert theirs
        tree.focus()
        tree.move_cursor(theirs[0])
        fake_graph.clear_requests()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main.status.kind == "info" and app.main.table.all_events)
        assert all(e.ref.mailbox.id == JONAS_UPN for e in app.main.table.all_events)
        # The events pane says whose calendar this is, not just "Calendar".
        title = str(app.main.query_one("#events-pane").border_title)
        assert "Jonas Berg" in title, title
        assert any(r.path.startswith(f"/v1.0/users/{JONAS_UPN}/") for r in fake_graph.requests)


async def test_a_mailbox_that_cannot_be_read_says_why(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        for who, code in (
            (GUEST_UPN, "MailboxNotEnabledForRESTAPI"),
            ("nobody@example.com", "ErrorInvalidUser"),
        ):
            await pilot.press("u")
            await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
            await pilot.press(*who, "enter")
            await wait_for(pilot, lambda c=code: c in app.main.status.message)
            assert app.main.status.kind == "error"
        # The guest's UPN travelled percent-encoded, as #EXT# must.
        assert any("%23EXT%23" in r.raw_path for r in fake_graph.requests)
