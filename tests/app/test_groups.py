"""Microsoft 365 group calendars beside the user's own, reached through /groups/{id}."""

from __future__ import annotations

import json

from tests.app.helpers import cancel_posts, listed_calendars, loaded, make_app, select, wait_for
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.fake.seed import GROUP_ID
from tui.screens.cancel import CancelScreen
from tui.widgets.calendar_tree import CalendarTree


def _group_leaves(app: Cal365App) -> list:
    tree = app.main.query_one(CalendarTree)
    return [leaf for leaf in listed_calendars(tree)
            if leaf.data is not None and leaf.data.ref.mailbox.kind == "group"]


async def test_groups_appear_beside_own_calendars_and_a_cancel_goes_through_the_group(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        tree = app.main.query_one(CalendarTree)
        # Both sections in: the user's own, arriving later, would move the cursor.
        await wait_for(pilot, lambda: {
            leaf.data.ref.mailbox.kind for leaf in listed_calendars(tree)
            if leaf.data is not None} >= {"me", "group"})
        sections = [str(node.label) for node in tree.root.children]
        assert "Microsoft 365 groups" in sections
        # Only the Unified group: the directory role and the security group are skipped.
        leaves = _group_leaves(app)
        assert [str(leaf.label) for leaf in leaves] == ["Project Falcon"]
        assert leaves[0].data.ref.mailbox.id == GROUP_ID
        assert any(r.path == "/v1.0/me/memberOf" for r in fake_graph.requests)
        # The user's own calendar groups come first, the groups section after them.
        assert sections.index("Microsoft 365 groups") == len(sections) - 1

        tree.focus()
        tree.move_cursor(leaves[0])
        fake_graph.clear_requests()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main.status.kind == "info"
                       and app.main.table.all_events
                       and all(e.ref.mailbox.kind == "group" for e in app.main.table.all_events))
        assert any(e.subject.startswith("Falcon") for e in app.main.table.all_events)
        views = [r.path for r in fake_graph.requests if r.path.endswith("/calendarView")]
        assert views == [f"/v1.0/groups/{GROUP_ID}/calendar/calendarView"]

        app.main.table.focus()
        event = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled
                             and e.ref.mailbox.kind == "group")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"Falcon is paused", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        posts = cancel_posts(fake_graph)
        assert len(posts) == 1
        assert posts[0].path.startswith(f"/v1.0/groups/{GROUP_ID}/")
        assert posts[0].raw_path == "/v1.0" + event.ref.cancel_path
        assert event.ref.cancel_path.startswith(f"/groups/{GROUP_ID}/calendar/events/")
        assert json.loads(posts[0].body) == {"Comment": "Falcon is paused"}
        assert posts[0].status == 202
        assert event.id not in [e.id for e in app.main.table.all_events]
