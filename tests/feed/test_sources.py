"""The one event feed, without the UI: each source gives one kind of update, in order, and
the state it leaves says what the title bar says."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.cache.conftest import OWNER
from tests.conftest import DEMO_TODAY
from tui.cache import CacheStore
from tui.cache.cipher import FernetCipher
from tui.fake import FakeGraph, Fault
from tui.feed import FeedUpdate, sources
from tui.feed.state import FeedState
from tui.graph import ME, CalendarRef, Event, GraphClient, GraphError
from tui.graph.timezones import zone
from tui.sync import SyncController
from tui.window import Window

ZONE = "Europe/Berlin"
CALENDAR = CalendarRef(ME)
TZ = zone(ZONE)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CacheStore]:
    cache = CacheStore(tmp_path / "feed.sqlite3", FernetCipher(Fernet.generate_key()), OWNER)
    yield cache
    cache.close()


def _bounds(client: GraphClient) -> tuple[dt.datetime, dt.datetime]:
    assert TZ is not None
    return Window("agenda", DEMO_TODAY, agenda_days=14).bounds(TZ)


async def _all(updates: AsyncIterator[FeedUpdate]) -> list[FeedUpdate]:
    return [update async for update in updates]


async def test_a_listing_adds_its_pages_in_order_then_ends_final(
    fake_graph: FakeGraph,
) -> None:
    async with GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE,
                           page_size=10) as client:
        start, end = _bounds(client)
        expected = [e.id async for page in client.calendar_view(CALENDAR, start, end)
                    for e in page]
        updates = await _all(sources.listing(client, CALENDAR, start, end))
    *pages, last = updates
    assert len(pages) > 1 and all(u.source == "listing" and not u.final for u in pages)
    assert [e.id for u in pages for e in u.added] == expected
    assert last.final and last.done and not last.events and last.as_of is None


class _Ahead:
    """A head start whose first page is in: one listing, served once."""

    def __init__(self, first: list[Event], rest: list[list[Event]]) -> None:
        self.first, self.rest, self.used = first, rest, False

    async def _rest(self) -> AsyncIterator[list[Event]]:
        for page in self.rest:
            yield page

    def take(self, client: GraphClient, calendar: CalendarRef, start: dt.datetime,
             end: dt.datetime) -> tuple[list[Event], AsyncIterator[list[Event]] | None] | None:
        if self.used:
            return None
        self.used = True
        return self.first, self._rest()

    def pages(self, client: GraphClient, calendar: CalendarRef, start: dt.datetime,
              end: dt.datetime) -> AsyncIterator[list[Event]] | None:
        return None


async def test_the_head_start_gives_its_page_now_and_the_rest_as_updates(
    fake_graph: FakeGraph,
) -> None:
    async with GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE,
                           page_size=5) as client:
        start, end = _bounds(client)
        pages = [page async for page in client.calendar_view(CALENDAR, start, end)]
        ahead = _Ahead(pages[0], pages[1:])
        ready = sources.head_start_now(client, CALENDAR, start, end, ahead)
        assert ready is not None
        first, rest = ready
        later = await _all(rest)
        assert sources.head_start_now(client, CALENDAR, start, end, ahead) is None
    assert first.source == "head-start" and list(first.added) == pages[0]
    assert [list(u.added) for u in later[:-1]] == pages[1:]
    assert later[-1].final and all(u.source == "head-start" for u in later)


async def test_the_cache_then_a_sync_first_fills_then_brings_only_changes(
    fake_graph: FakeGraph, store: CacheStore,
) -> None:
    async with GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE) as client:
        sync = SyncController(store, client, TZ or dt.UTC)
        start, end = _bounds(client)
        assert sources.read_first(sync, CALENDAR, start, end) is None  # nothing cached yet
        first = await _all(sources.cached(sync, CALENDAR, start, end))
        cached_ids = {e.id for u in first if u.source == "sync" and not u.final
                      for e in u.changed}
        # Known now: read on this thread first, the rest and a sync in the feed.
        began = sources.read_first(sync, CALENDAR, start, end)
        assert began is not None
        head, reading = began
        again = await _all(sources.cached(sync, CALENDAR, start, end, reading))
    # A window never synced: the cache has nothing (no time), then a full round.
    assert [(u.source, u.done, u.final) for u in first[:2]] == [("cache", True, False),
                                                                 ("sync", False, False)]
    assert first[0].as_of is None
    last = first[-1]
    assert last.final and last.whole and last.counts is not None and last.as_of is not None
    assert {e.id for e in last.changed} == cached_ids and cached_ids
    # Synced before: the cached rows with that time, then an incremental round.
    assert head is not None and head.source == "cache"
    assert head.as_of is not None and head.as_of <= last.as_of  # kept as the round ended
    shown = {e.id for e in head.added} | {e.id for u in again if u.source == "cache"
                                          for e in u.added}
    assert shown == cached_ids
    final = again[-1]
    assert final.final and not final.whole and final.source == "sync"
    assert final.counts is not None and not (final.counts.added or final.counts.removed)


async def test_a_refused_sync_is_raised_to_whoever_follows_the_feed(
    fake_graph: FakeGraph, store: CacheStore,
) -> None:
    fake_graph.faults.add(Fault("malformed", path="delta", times=None))
    async with GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE) as client:
        sync = SyncController(store, client, TZ or dt.UTC)
        start, end = _bounds(client)
        seen: list[FeedUpdate] = []
        with pytest.raises(GraphError):
            async for update in sources.synced(sync, CALENDAR, start, end):
                seen.append(update)
    assert [u.final for u in seen] == [False]  # it started, and never claimed to be done


def test_the_state_follows_a_cached_load_to_its_end() -> None:
    state = FeedState()
    tz = dt.timezone(dt.timedelta(hours=1))
    now = dt.datetime(2026, 11, 23, 9, 30, tzinfo=tz)
    earlier = dt.datetime(2026, 11, 23, 7, 12, tzinfo=dt.UTC)
    generation = state.begin(cached=True)
    assert generation == 1 and state.reading and not state.settled
    state.took(FeedUpdate("cache", done=True, as_of=earlier))
    assert not state.reading and state.freshness(now) == "as of 08:12"
    state.took(FeedUpdate("sync"))
    assert state.syncing and state.freshness(now) == "as of 08:12 · syncing…"
    assert state.went_offline() == (False, False)
    assert state.settled and state.freshness(now) == "offline — as of 08:12"
    assert state.begin(cached=True) == 2 and state.synced_at is None
    state.took(FeedUpdate("sync", done=True, final=True, as_of=now))
    assert state.settled and not state.offline and state.freshness(now) == "as of 09:30"


def test_an_update_names_what_it_brings() -> None:
    update = FeedUpdate("sync", removed=("gone",))
    assert update.events == [] and not update.final
    assert dataclasses.replace(update, final=True).final
