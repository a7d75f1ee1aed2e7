"""The app with its local calendar cache: warm starts, sync in place, offline use."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from pathlib import Path

import pytest

from tests.app.helpers import (
    ZONE,
    cancel_posts,
    mark,
    marked_count,
    marked_rows,
    offline,
    settled_in_cache,
    title_text,
    toasts,
    wait_for,
)
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.cache import CacheStore, Owner, cache_path, open_cache
from tui.config import Settings
from tui.fake import FakeGraph
from tui.graph import ME, CalendarRef, GraphClient
from tui.graph.policy import RetryPolicy
from tui.screens.bulk import BulkResultsScreen
from tui.screens.cancel import CancelScreen
from tui.screens.main import MainScreen
from tui.wiring import opener

SETTINGS = Settings(profile="pilot", cache="plaintext")
OWNER = Owner("pilot-account", "pilot@contoso.example", "tenant")
TZ = dt.timezone(dt.timedelta(hours=1))


def cached_app(fake: FakeGraph, *, sync_every: float = 0.0) -> Cal365App:
    client = GraphClient(fake.base_url, fake.token, timezone=ZONE,
                         policy=RetryPolicy(base_delay=0.01, max_delay=0.02))
    return Cal365App(client, today=DEMO_TODAY, timezone=ZONE,
                     cache=opener(SETTINGS, lambda: OWNER), sync_every=sync_every)


async def synced(pilot) -> Cal365App:  # type: ignore[no-untyped-def]
    app = pilot.app
    assert isinstance(app, Cal365App)
    await wait_for(pilot, lambda: settled_in_cache(app))
    return app


async def first_run(fake: FakeGraph, keys: tuple[str, ...] = ()) -> list[str]:
    """Run once with the network: fills the cache; returns the ids shown."""
    async with cached_app(fake).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        for key in keys:
            await pilot.press(key)
            await synced(pilot)
        # The calendars pane is written to the cache in the background: wait until it is.
        store = open_cache(SETTINGS, OWNER)
        assert store is not None

        def tree_cached() -> bool:
            found = store.tree(ME)
            return (found is not None and bool(found[0].calendar_groups and found[0].groups)
                    and store.signed_in() is not None)

        await wait_for(pilot, tree_cached)
        store.close()
        return [e.id for e in app.main.table.all_events]


@pytest.fixture(autouse=True)
def quick_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainScreen, "offline_retry", 0.3)


async def test_a_second_start_paints_from_the_cache_and_works_offline(
    fake_graph: FakeGraph,
) -> None:
    shown = await first_run(fake_graph, ("3",))  # the week view is the last view
    fake_graph.stop()
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, Cal365App)
        main = app.main
        await wait_for(pilot, lambda: offline(app) and main.table.all_events
                       and "Showing the cached events" in main.status.message)
        assert [e.id for e in main.table.all_events] == shown
        assert main.window.view == "week"
        # The calendars pane too: own calendars and the user's groups, as last listed.
        from tui.widgets.calendar_tree import CalendarTree

        sections = main.query_one(CalendarTree)._sections
        assert {"me", "groups"} <= sections.keys()
        assert sections["me"][1] and sections["groups"][1]
        title = str(main.query_one("#title-bar").render())
        assert "offline — as of" in title
        # Who is signed in, as Graph last named them: the cache remembers it.
        assert "Avery Quinn <avery.quinn@fabrikam.onmicrosoft.com>" in title
        assert main.account is None  # the account itself is asked for again once online
        # r while offline tries again and says so; the rows stay.
        main.status.show("", "info")
        await pilot.press("r")
        await wait_for(pilot, lambda: "Offline:" in main.status.message)
        assert [e.id for e in main.table.all_events] == shown
        # Filters work offline.
        await pilot.press("/", *"zzzz-nothing")
        await wait_for(pilot, lambda: not main.table.visible_events)
        await pilot.press("escape")
        # A cancel is refused, its comment kept, nothing sent or queued.
        main.table.focus()
        target = next(i for i, e in enumerate(main.table.visible_events)
                      if e.is_organizer and not e.is_cancelled)
        main.table.cursor = target
        event = main.table.current
        assert event is not None
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"train again", "ctrl+s")
        await wait_for(pilot, lambda: "needs the network" in main.status.message, 3)
        assert main.drafts.get(event.ref.mailbox.key, event.id) == "train again"
        assert event in main.table.all_events
        assert cancel_posts(fake_graph) == []


async def test_changes_made_elsewhere_appear_and_the_cursor_stays(
    fake_graph: FakeGraph,
) -> None:
    await first_run(fake_graph)
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        main.table.cursor = 3
        keep = main.table.current
        assert keep is not None
        await pilot.press("space")  # marks the event under the cursor, moves down
        main.table.cursor = 3
        assert marked_count(app) == 1
        start = dt.datetime.combine(DEMO_TODAY + dt.timedelta(days=1), dt.time(7), TZ)
        fake_graph.add_event("Added on the phone", start, start + dt.timedelta(minutes=30))
        await pilot.press("r")
        await wait_for(pilot, lambda: any(e.subject == "Added on the phone"
                                          for e in main.table.all_events))
        assert main.table.current is not None and main.table.current.id == keep.id
        assert "1 new" in main.status.message
        assert marked_count(app) == 1
        [row] = await marked_rows(pilot)
        assert keep.subject in row, row
    # The next start shows it from the cache, before any sync.
    fake_graph.stop()
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        main = pilot.app.main  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: main.table.all_events)
        assert any(e.subject == "Added on the phone" for e in main.table.all_events)


async def test_an_event_that_goes_away_while_selected_is_reported(
    fake_graph: FakeGraph,
) -> None:
    await first_run(fake_graph)
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        victim = next(e for e in main.table.all_events if e.type == "singleInstance")
        main.table.select_id(victim.id)
        fake_graph.remove_event(victim.id)
        await pilot.press("r")
        await wait_for(pilot, lambda: victim.id not in {e.id for e in main.table.all_events})
        assert "is no longer there" in main.status.message


async def test_a_stale_delta_token_resyncs_silently(fake_graph: FakeGraph) -> None:
    shown = await first_run(fake_graph)
    fake_graph.expire_delta_tokens()
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        await wait_for(pilot, lambda: main.status.kind == "info" and "events" in
                       main.status.message and "cache" not in main.status.message)
        assert [e.id for e in main.table.all_events] == shown
        assert all(kind != "error" for kind, _ in main.status.history)
    deltas = [r for r in fake_graph.requests if "delta" in r.path]
    assert any(r.status == 410 for r in deltas)


async def test_moving_to_uncached_dates_fetches_and_caches_them(fake_graph: FakeGraph) -> None:
    await first_run(fake_graph, ("]",))
    store = open_cache(SETTINGS, OWNER)
    assert store is not None
    windows = {(w.start.date(), w.end.date()) for w in store.windows()}
    assert len(windows) == 2
    store.close()


async def test_a_cancel_updates_the_cache_at_once(fake_graph: FakeGraph) -> None:
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        target = next(i for i, e in enumerate(main.table.visible_events)
                      if e.is_organizer and not e.is_cancelled and e.type == "singleInstance")
        main.table.cursor = target
        event = main.table.current
        assert event is not None
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: main.status.kind == "success")
    fake_graph.stop()
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        main = pilot.app.main  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: offline(pilot.app) and main.table.all_events)
        assert event.id not in {e.id for e in main.table.all_events}


async def test_two_instances_share_one_cache(fake_graph: FakeGraph) -> None:
    shown = await first_run(fake_graph)
    one, two = cached_app(fake_graph), cached_app(fake_graph)
    async with one.run_test(size=(120, 40)) as first, two.run_test(size=(120, 40)) as second:
        await synced(first)
        await synced(second)
        assert [e.id for e in one.main.table.all_events] == shown
        assert [e.id for e in two.main.table.all_events] == shown


async def test_a_corrupt_cache_file_is_moved_aside_and_the_app_works(
    fake_graph: FakeGraph,
) -> None:
    path = cache_path(SETTINGS.profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(b"this is not a database" * 100)
    async with cached_app(fake_graph).run_test(size=(120, 40), notifications=True) as pilot:
        app = await synced(pilot)
        assert app.main.table.all_events
        await wait_for(pilot, lambda: any("moved aside" in n.lower() or "damaged" in n.lower()
                                          for n in toasts(app)))


async def test_without_a_cache_the_app_streams_calendar_view(fake_graph: FakeGraph) -> None:
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE)
    app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE,
                    cache=opener(Settings(cache="off"), lambda: OWNER))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main.status.kind == "info"
                       and app.main.table.all_events)
        assert app.main.sync is None
    assert not any("delta" in r.path for r in fake_graph.requests)
    assert CalendarRef(ME) == app.main.calendar


async def test_when_the_network_returns_the_app_syncs_by_itself(fake_graph: FakeGraph) -> None:
    from tui.fake.faults import Fault

    await first_run(fake_graph)
    fake_graph.faults.add(Fault("reset_before", path="delta", times=12))
    start = dt.datetime.combine(DEMO_TODAY + dt.timedelta(days=2), dt.time(7), TZ)
    fake_graph.add_event("Booked while we were away", start, start + dt.timedelta(hours=1))
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        main = pilot.app.main  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: offline(pilot.app))
        await wait_for(pilot, lambda: not offline(pilot.app) and any(
            e.subject == "Booked while we were away" for e in main.table.all_events))
        assert "Back online" in main.status.message
        assert "offline" not in str(main.query_one("#title-bar").render())


async def test_the_timer_syncs_while_the_app_runs(fake_graph: FakeGraph) -> None:
    async with cached_app(fake_graph, sync_every=0.5 / 60).run_test(size=(120, 40)) as pilot:
        main = (await synced(pilot)).main
        start = dt.datetime.combine(DEMO_TODAY + dt.timedelta(days=3), dt.time(7), TZ)
        fake_graph.add_event("Arrived on its own", start, start + dt.timedelta(hours=1))
        await wait_for(pilot, lambda: any(e.subject == "Arrived on its own"
                                          for e in main.table.all_events))


async def test_a_bulk_cancel_updates_the_cache_at_once(fake_graph: FakeGraph) -> None:
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        chosen = [e for e in main.table.all_events
                  if e.is_organizer and not e.is_cancelled and e.type == "singleInstance"][:3]
        await mark(pilot, [e.id for e in chosen])
        await pilot.press("c")
        await pilot.pause(0.2)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen), timeout=30)
    store = open_cache(SETTINGS, OWNER)
    assert store is not None
    start, end = dt.datetime(2026, 11, 1, tzinfo=TZ), dt.datetime(2026, 12, 31, tzinfo=TZ)
    left = {e.id for e in store.events(CalendarRef(ME), start, end, TZ)}
    assert left and not left & {e.id for e in chosen}
    store.close()


async def test_a_refused_sync_is_reported_and_the_cached_rows_stay(fake_graph: FakeGraph) -> None:
    from tui.fake.faults import Fault

    shown = await first_run(fake_graph)
    fake_graph.faults.add(Fault("malformed", path="delta", times=None))
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        main = pilot.app.main  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: main.status.kind == "error")
        assert "Loading events failed: " in main.status.message
        assert [e.id for e in main.table.all_events] == shown
        assert "syncing" not in title_text(pilot.app)
        assert not offline(pilot.app)


async def test_the_filter_stays_through_a_sync(fake_graph: FakeGraph) -> None:
    await first_run(fake_graph)
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        main = (await synced(pilot)).main
        await pilot.press("/", *"zebra crossing", "enter")
        await wait_for(pilot, lambda: not main.table.visible_events)
        start = dt.datetime.combine(DEMO_TODAY + dt.timedelta(days=1), dt.time(9), TZ)
        fake_graph.add_event("Zebra crossing audit", start, start + dt.timedelta(hours=1))
        await pilot.press("r")
        await wait_for(pilot, lambda: [e.subject for e in main.table.visible_events]
                       == ["Zebra crossing audit"])
        assert main.table.filter_text == "zebra crossing"
        assert len(main.table.all_events) > 1


async def test_an_explicit_start_day_wins_over_the_remembered_view(fake_graph: FakeGraph) -> None:
    await first_run(fake_graph, ("3",))
    app = cached_app(fake_graph)
    app.main.restore_view = False  # what `cal365 --date D` asks for
    async with app.run_test(size=(120, 40)) as pilot:
        await synced(pilot)
        assert app.main.window.view == "agenda" and app.main.window.anchor == DEMO_TODAY


async def test_opening_a_mailbox_while_offline_says_why_it_failed(fake_graph: FakeGraph) -> None:
    from tui.fake.seed import JONAS_UPN
    from tui.screens.prompt import PromptScreen

    await first_run(fake_graph)
    fake_graph.stop()
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, Cal365App)
        main = app.main
        await wait_for(pilot, lambda: offline(app) and main.table.all_events
                       and "Showing the cached events" in main.status.message)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*JONAS_UPN, "enter")
        await wait_for(pilot, lambda: main.status.message.startswith(
            "Opening the mailbox failed:") and main.status.kind == "error")
        assert main.table.all_events  # the cached rows stay


async def test_a_first_start_with_a_head_start_fills_the_cache_beside_it(
    fake_graph: FakeGraph,
) -> None:
    """No cache file yet: the rows come from the head start without waiting for the cache,
    which opens after them, takes the window in with a sync, and makes the next start warm."""
    from tui.graph.timezones import zone
    from tui.startup.headstart import HeadStart
    from tui.window import Window

    tz = zone(ZONE)
    assert tz is not None
    start, end = Window("agenda", DEMO_TODAY, agenda_days=14).bounds(tz)
    head = HeadStart(fake_graph.base_url, fake_graph.token, timezone=ZONE,
                     calendar=CalendarRef(ME), start=start, end=end)
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE)
    keyring_answers = threading.Event()  # a keyring slow to answer holds the cache back
    open_ = opener(SETTINGS, lambda: OWNER)

    def slow_open() -> CacheStore | None:
        keyring_answers.wait(30)
        return open_()

    app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE, days=14, head_start=head,
                    cache=slow_open)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main
        # The listing is done: its count is said.
        await wait_for(pilot, lambda: bool(main.table.all_events)
                       and main.status.kind == "info" and "events" in main.status.message)
        assert main.sync is None  # shown while the cache was still opening
        first_rows = [e.id for e in main.table.all_events]
        keyring_answers.set()
        await synced(pilot)
        # The sync that took the window into the cache kept the rows as they were, and does
        # not call rows the user has been looking at "new".
        assert [e.id for e in main.table.all_events] == first_rows
        await wait_for(pilot, lambda: "events" in main.status.message)
        assert " new," not in main.status.message, main.status.message
        assert "as of" in title_text(app)  # the cache took the window over
        deltas = [r for r in fake_graph.requests if r.path.endswith("/calendarView/delta")]
        assert deltas, "the window was never synced into the cache"
    # The next start paints from the cache, offline too.
    fake_graph.stop()
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        main = pilot.app.main  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: offline(pilot.app) and bool(main.table.all_events))
        assert [e.id for e in main.table.all_events] == first_rows


async def test_a_cache_read_error_at_a_warm_start_is_reported_not_a_crash(
    fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first rows of a warm start are read as the screen mounts; a read error there
    (a database locked by another program) goes the way of any other: a status line."""
    await first_run(fake_graph)
    from tui.cache import CacheError
    from tui.startup.opening import started
    from tui.sync import SyncController

    def locked(*_args: object) -> None:
        raise CacheError("database is locked")

    monkeypatch.setattr(SyncController, "synced_at", locked)
    early = started(opener(SETTINGS, lambda: OWNER))
    for _ in range(500):
        if early.ready():
            break
        await asyncio.sleep(0.01)
    assert early.ready()
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE)
    app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE, cache=early)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "database is locked" in app.main.status.message)
        assert app.main.status.kind == "error"
        assert app.is_running
