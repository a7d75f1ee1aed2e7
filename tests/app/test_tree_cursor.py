"""The calendars pane keeps the user's cursor when parts of the tree load or reload."""

from __future__ import annotations

from tests.app.helpers import ZONE, loaded, make_app, wait_for
from tui.fake import FakeGraph
from tui.fake.faults import Fault
from tui.graph import ME as ME_MAILBOX
from tui.graph import GraphClient
from tui.screens.main.panes import own_calendars
from tui.widgets.calendar_tree import CalendarTree


async def test_own_calendars_arriving_late_leave_the_cursor_where_the_user_put_it(
    fake_graph: FakeGraph,
) -> None:
    # The user's calendar groups answer slowly: the groups section is there first.
    fake_graph.faults.add(Fault("latency", method="GET", path="/calendarGroups$", seconds=3))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        tree = app.main.query_one(CalendarTree)
        await wait_for(pilot, lambda: tree.has_section("groups"))
        tree.focus()
        await pilot.press("home", "down", "down")  # the second group's calendar
        node = tree.cursor_node
        assert node is not None and node.data is not None
        chosen = node.data.ref
        assert not tree.has_section("me")  # still loading: the case under test
        await wait_for(pilot, lambda: tree.has_section("me"), timeout=15)
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None and node.data is not None and node.data.ref == chosen
        # On a section's title (no calendar under it) the cursor stays there too.
        await pilot.press("home")
        header = tree.cursor_node
        assert header is not None and header.data is None
        label = str(header.label)
        app.main.load_calendars()
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        await pilot.pause()
        assert tree.cursor_node is not None and str(tree.cursor_node.label) == label


async def test_with_the_cursor_untouched_the_open_calendar_is_shown_when_it_arrives(
    fake_graph: FakeGraph,
) -> None:
    fake_graph.faults.add(Fault("latency", method="GET", path="/calendarGroups$", seconds=1))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        tree = app.main.query_one(CalendarTree)
        await wait_for(pilot, lambda: tree.has_section("groups"))
        assert not tree.placed_by_user
        await wait_for(pilot, lambda: tree.has_section("me"), timeout=15)
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None and node.data is not None
        assert node.data.calendar.is_default and node.data.ref.mailbox.kind == "me"
        assert not tree.placed_by_user


async def test_when_the_calendar_under_the_cursor_goes_its_neighbour_takes_the_cursor(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        tree = app.main.query_one(CalendarTree)
        await wait_for(pilot, lambda: tree.has_section("me") and tree.has_section("groups"))
        # The same calendar groups as the pane lists, asked of Graph afresh.
        async with GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE) as client:
            groups = await own_calendars(client, ME_MAILBOX)
        title = tree.section_title("me")
        group, calendars = next((g, c) for g, c in groups if len(c) >= 3)
        others = [(g, c) for g, c in groups if g is not group]
        tree.focus()
        tree.select_ref(calendars[0][0])
        await pilot.press("down")  # the user's own choice: the group's second calendar
        node = tree.cursor_node
        assert node is not None and node.data is not None and node.data.ref == calendars[1][0]
        # It and the one above go away: the one that takes its place takes the cursor.
        tree.set_section("me", title, [(group, calendars[2:]), *others])
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None and node.data is not None and node.data.ref == calendars[2][0]
        # Its whole calendar group goes: the cursor stays on a line of what is left.
        tree.set_section("me", title, others)
        await pilot.pause()
        assert tree.cursor_node is not None and 0 <= tree.cursor_line <= tree.last_line


async def test_a_warm_start_keeps_the_cursor_when_the_live_tree_replaces_the_cached_one(
    fake_graph: FakeGraph,
) -> None:
    from tests.offline.test_offline_app import cached_app, first_run

    await first_run(fake_graph)
    fake_graph.clear_requests()
    fake_graph.faults.add(Fault("latency", method="GET", path="/calendarGroups$", seconds=3))

    def live_tree_answered() -> bool:  # recorded once answered, after the latency
        return any(r.path.endswith("/calendarGroups") for r in fake_graph.requests)

    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        main = app.main  # type: ignore[attr-defined]
        tree = main.query_one(CalendarTree)
        await wait_for(pilot, lambda: tree.has_section("me") and tree.cursor_node is not None)
        assert not live_tree_answered()  # the pane shows the cached tree
        tree.focus()
        await pilot.press("end")  # the last calendar: a Microsoft 365 group
        node = tree.cursor_node
        assert node is not None and node.data is not None
        chosen = node.data.ref
        assert chosen.mailbox.kind == "group"
        assert not live_tree_answered()  # the live tree has not come yet
        await wait_for(pilot, live_tree_answered, timeout=15)
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None and node.data is not None and node.data.ref == chosen


async def test_a_group_the_user_folded_stays_folded_when_the_tree_reloads(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        tree = app.main.query_one(CalendarTree)
        await wait_for(pilot, lambda: tree.has_section("me") and tree.has_section("groups"))
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        tree.focus()
        await pilot.press("home", "enter")  # folds the first calendar group
        await pilot.pause()
        folded = tree.cursor_node
        assert folded is not None and folded.data is None and not folded.is_expanded
        label, lines = str(folded.label), tree.last_line
        await pilot.press("r")
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None and str(node.label) == label and not node.is_expanded
        assert tree.last_line == lines
