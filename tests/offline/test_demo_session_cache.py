"""The demo with no usable keyring: a calendar cache in memory for the run, which does
everything a persistent one does within the run, while the first screen still comes from
the head start (nothing earlier to show)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.app.helpers import (
    ZONE,
    cancel_posts,
    offline,
    settled_in_cache,
    syncing,
    wait_for,
)
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.cache import cache_path
from tui.fake import FakeGraph
from tui.graph import ME, CalendarRef, GraphClient
from tui.graph.policy import RetryPolicy
from tui.graph.timezones import zone
from tui.paths import demo_files
from tui.screens.cancel import CancelScreen
from tui.screens.main import MainScreen
from tui.startup.headstart import HeadStart
from tui.sync import DEMO_OWNER
from tui.window import Window
from tui.wiring import demo_settings, opener

DAYS = 14


pytestmark = pytest.mark.usefixtures("no_keyring")  # every test: no usable keyring


@pytest.fixture(autouse=True)
def quick_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainScreen, "offline_retry", 0.3)


def demo_app(fake: FakeGraph) -> Cal365App:
    """As `cal365 --demo` builds it with no keyring: the demo's settings, a head start."""
    tz = zone(ZONE)
    assert tz is not None
    start, end = Window("agenda", DEMO_TODAY, agenda_days=DAYS).bounds(tz)
    head = HeadStart(fake.base_url, fake.token, timezone=ZONE, calendar=CalendarRef(ME),
                     start=start, end=end)
    with demo_files():
        cache = opener(demo_settings(), lambda: DEMO_OWNER, quiet=True,
                       directory=cache_path("demo").parent)
    client = GraphClient(fake.base_url, fake.token, timezone=ZONE,
                         policy=RetryPolicy(base_delay=0.01, max_delay=0.02))
    return Cal365App(client, today=DEMO_TODAY, timezone=ZONE, days=DAYS, cache=cache,
                     head_start=head)


async def test_the_demo_without_a_keyring_caches_the_session_in_memory(
    fake_graph: FakeGraph,
) -> None:
    fake_graph.clear_requests()
    app = demo_app(fake_graph)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main
        await wait_for(pilot, lambda: settled_in_cache(app))
        assert main.sync is not None and not main.sync.store.persistent
        # The first rows are the head start's one listing; a delta round then cached them.
        views = [r for r in fake_graph.requests if r.path.endswith("/calendarView")]
        assert len(views) == 1
        assert any(r.path.endswith("/calendarView/delta") for r in fake_graph.requests)
        first = [e.id for e in main.table.all_events]

        # r is incremental: the stored deltaLink, and the change appears in place.
        main.table.cursor = 2
        keep = main.table.current
        assert keep is not None
        tz = zone(ZONE)
        start = dt.datetime.combine(DEMO_TODAY + dt.timedelta(days=1), dt.time(6), tz)
        fake_graph.add_event("Booked meanwhile", start, start + dt.timedelta(minutes=30))
        fake_graph.clear_requests()
        await pilot.press("r")
        await wait_for(pilot, lambda: any(e.subject == "Booked meanwhile"
                                          for e in main.table.all_events) and not syncing(app))
        deltas = [r for r in fake_graph.requests if "/calendarView/delta" in r.path]
        assert deltas and all("deltatoken" in r.raw_path for r in deltas)
        assert main.table.current is not None and main.table.current.id == keep.id
        assert "1 new" in main.status.message

        # The next window is fetched and cached; coming back, its cached copy is only
        # brought up to date (the deltaLink kept in memory), not listed again.
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: settled_in_cache(app, rows=False))
        fake_graph.clear_requests()
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: settled_in_cache(app))
        back = [r.raw_path for r in fake_graph.requests if "calendarView" in r.path]
        assert back and all("deltatoken" in path for path in back), back

        # The network goes: the windows seen in this run still browse.
        fake_graph.stop()
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: offline(app) and main.table.all_events)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: offline(app) and main.status.kind != "busy"
                       and main.table.all_events)
        assert set(first) <= {e.id for e in main.table.all_events}
        assert "offline — as of" in str(main.query_one("#title-bar").render())
        # A cancel is refused with its comment kept, as with a persistent cache.
        main.table.focus()
        main.table.cursor = next(i for i, e in enumerate(main.table.visible_events)
                                 if e.is_organizer and not e.is_cancelled)
        event = main.table.current
        assert event is not None
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"later", "ctrl+s")
        await wait_for(pilot, lambda: "needs the network" in main.status.message, 3)
        assert main.drafts.get(event.ref.mailbox.key, event.id) == "later"
        assert cancel_posts(fake_graph) == []
    # Nothing of it was written down.
    with demo_files():
        folder = cache_path("demo").parent
        assert not cache_path("demo").exists()  # at most the empty lock file
        assert not [p for p in folder.glob("calendar.demo*") if p.stat().st_size]
