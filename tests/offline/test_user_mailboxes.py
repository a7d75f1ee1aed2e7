"""Mailboxes opened with `u` and the local cache: their section is back at the next start,
their windows are cached and synced through calendarView delta like the user's own, and
they browse offline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.app.helpers import cancel_posts, listed_calendars, offline, wait_for
from tests.cli.conftest import Cal365
from tests.conftest import DEMO_TODAY
from tests.offline.test_offline_app import OWNER, SETTINGS, TZ, cached_app, synced
from tui.app import Cal365App
from tui.cache import CachedTree, cache_path, open_cache
from tui.fake import FakeGraph
from tui.fake.seed import JONAS_UPN
from tui.graph import ME, CalendarRef, GraphClient, Mailbox
from tui.screens.cancel import CancelScreen
from tui.screens.main import MainScreen
from tui.screens.prompt import PromptScreen
from tui.script.exits import Exit
from tui.sync import DEMO_OWNER, SyncController
from tui.widgets.calendar_tree import CalendarTree
from tui.wiring import demo_settings

JONAS = f"user:{JONAS_UPN}"


@pytest.fixture(autouse=True)
def quick_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainScreen, "offline_retry", 0.3)


def cached_tree() -> CachedTree | None:
    store = open_cache(SETTINGS, OWNER)
    assert store is not None
    try:
        found = store.tree(ME)
        return None if found is None else found[0]
    finally:
        store.close()


async def open_jonas(pilot, typed: str = JONAS_UPN) -> None:  # type: ignore[no-untyped-def]
    """`u`, the UPN, enter; then his first calendar opened from the pane."""
    app = pilot.app
    main = app.main
    await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
    await pilot.press(*typed, "enter")
    await wait_for(pilot, lambda: main.status.message.startswith(("Added", "Reloaded")))
    tree = main.query_one(CalendarTree)
    leaf = next(leaf for leaf in listed_calendars(tree)
                if leaf.data is not None and leaf.data.ref.mailbox.kind == "user")
    tree.focus()
    tree.move_cursor(leaf)
    await pilot.press("enter")
    await wait_for(pilot, lambda: main.calendar.mailbox.kind == "user")
    await synced(pilot)


async def test_an_opened_mailbox_is_back_at_the_next_start_and_works_offline(
    fake_graph: FakeGraph,
) -> None:
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        fake_graph.clear_requests()
        await open_jonas(pilot)
        main = app.main
        theirs = [e.id for e in main.table.all_events]
        assert theirs and all(e.ref.mailbox.id == JONAS_UPN for e in main.table.all_events)
        name = main.calendar_name
        # Synced through the forms Graph documents for calendarView delta.
        deltas = [r.path for r in fake_graph.requests if r.path.endswith("/calendarView/delta")]
        assert deltas and all(p.startswith(f"/v1.0/users/{JONAS_UPN}/") for p in deltas)
        assert not any("calendarGroups" in p for p in deltas)
        await wait_for(pilot, lambda: (tree := cached_tree()) is not None and tree.users)
        title = main.query_one(CalendarTree)._sections[JONAS][0]

    tree = cached_tree()
    assert tree is not None and [u.mailbox.id for u in tree.users] == [JONAS_UPN]
    assert tree.users[0].title == title and title != JONAS_UPN  # his name, not the UPN

    # Next start, no network: his section, his window and its events, from the cache.
    fake_graph.stop()
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, Cal365App)
        main = app.main
        await wait_for(pilot, lambda: offline(app) and main.table.all_events
                       and "Showing the cached events" in main.status.message)
        sections = main.query_one(CalendarTree)._sections
        assert sections[JONAS][0] == title and sections[JONAS][1]
        assert main.calendar.mailbox.id == JONAS_UPN and main.calendar_name == name
        assert [e.id for e in main.table.all_events] == theirs
        assert "offline — as of" in str(main.query_one("#title-bar").render())
        # Windows and filters work offline; an uncached window says so.
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: offline(app) and main.status.kind != "busy")
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: main.status.kind != "busy" and main.table.all_events)
        assert [e.id for e in main.table.all_events] == theirs
        # A cancel is refused, its comment kept, nothing sent.
        main.table.focus()
        main.table.cursor = next(i for i, e in enumerate(main.table.visible_events)
                                 if e.is_organizer and not e.is_cancelled and e.attendees)
        event = main.table.current
        assert event is not None
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"on the train", "ctrl+s")
        await wait_for(pilot, lambda: "needs the network" in main.status.message, 3)
        assert main.drafts.get(event.ref.mailbox.key, event.id) == "on the train"
        assert cancel_posts(fake_graph) == []

    # Back online, with a change made in his calendar meanwhile: it shows in place, and his
    # section is listed again quietly.
    fake_graph.start()
    start = dt.datetime.combine(DEMO_TODAY + dt.timedelta(days=1), dt.time(6), TZ)
    fake_graph.add_event("Added by Jonas", start, start + dt.timedelta(minutes=30),
                         user=JONAS_UPN)
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        await wait_for(pilot, lambda: any(e.subject == "Added by Jonas"
                                          for e in main.table.all_events))
        assert main.calendar.mailbox.id == JONAS_UPN
        listing = f"/v1.0/users/{JONAS_UPN}/calendarGroups"
        await wait_for(pilot, lambda: any(r.path.startswith(listing)
                                          for r in fake_graph.requests))
        assert not main.status.message.startswith(("Added", "Reloaded"))


async def test_the_same_mailbox_typed_again_replaces_its_section(fake_graph: FakeGraph) -> None:
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        await synced(pilot)
        await open_jonas(pilot)
        await open_jonas(pilot, JONAS_UPN.upper())
        await wait_for(pilot, lambda: (tree := cached_tree()) is not None
                       and len(tree.users) == 1 and tree.users[0].mailbox.id != JONAS_UPN)
        sections = pilot.app.main.query_one(CalendarTree)._sections
        assert [k for k in sections if k.startswith("user:")] == [JONAS]


def test_sync_and_events_offline_cover_an_opened_mailbox(
    run_cli: Cal365, home: Path, fake_graph: FakeGraph
) -> None:
    import asyncio

    demo = ("--demo", "--date", "2026-11-23", "--cache", "plaintext",
            "--timezone", "Europe/Berlin")
    window = ("--from", "2026-11-23", "--to", "2026-11-29")
    start = dt.datetime(2026, 11, 23, tzinfo=TZ)
    end = dt.datetime(2026, 11, 30, tzinfo=TZ)

    async def look() -> list[CalendarRef]:
        # What the app does when the user opens Jonas's calendars and looks at a week.
        from tui.paths import demo_files
        from tui.sync import list_mailbox

        with demo_files():
            store = open_cache(demo_settings("plaintext"), DEMO_OWNER,
                               cache_path("demo").parent)
        assert store is not None
        async with GraphClient(fake_graph.base_url, fake_graph.token,
                               timezone="Europe/Berlin") as client:
            _, section = await list_mailbox(client, Mailbox("user", JONAS_UPN))
            refs = [ref for _, calendars in section for ref, _ in calendars]
            controller = SyncController(store, client, TZ)
            for ref in refs:
                await controller.sync(ref, start, end)
        store.close()
        return refs

    refs = asyncio.run(look())
    run = run_cli(*demo, "sync", "--json")
    assert run.code == Exit.OK, run.err
    mailboxes = {w["mailbox"] for w in run.json["windows"]}
    assert any(JONAS_UPN in m for m in mailboxes), mailboxes
    # His default calendar, named the way a script names it (any case): from the cache.
    offline = run_cli(*demo, "events", *window, "--user", JONAS_UPN.upper(), "--offline")
    assert offline.code == Exit.OK, offline.err
    online = run_cli(*demo, "events", *window, "--user", JONAS_UPN)
    assert offline.out == online.out and offline.rows
    assert refs == [CalendarRef(Mailbox("user", JONAS_UPN))]  # his default calendar
