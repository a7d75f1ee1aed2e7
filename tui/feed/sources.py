"""The feed's sources: async producers of one window's `FeedUpdate`s.

A listing from Graph (the head start's page first when there is one), and the cache's rows
followed by a delta sync of the window, or a sync alone (`r`, the timer, the network back).
Each ends with a final update; an error of Graph or of the network propagates to whoever
iterates, as from the client itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Protocol

from tui.feed.update import FeedUpdate, Source
from tui.graph.models import Event
from tui.graph.urls import CalendarRef

if TYPE_CHECKING:
    from tui.graph.client import GraphClient
    from tui.sync import SyncController, Synced

Reading = tuple[dt.datetime | None, Iterator[list[Event]]]
"""A cache read begun: the window's last sync and its batches still to read."""


class PagesAhead(Protocol):
    """A window's first page asked for before the screen needed it (the head start)."""

    def take(self, client: GraphClient, calendar: CalendarRef, start: dt.datetime,
             end: dt.datetime) -> tuple[list[Event], AsyncIterator[list[Event]] | None] | None:
        """The first page's events now and the pages after it, if it is here already."""
        ...

    def pages(self, client: GraphClient, calendar: CalendarRef, start: dt.datetime,
              end: dt.datetime) -> AsyncIterator[list[Event]] | None:
        """All the window's pages, the first one from the early request."""
        ...


async def _listed(pages: AsyncIterator[list[Event]] | None, source: Source
                  ) -> AsyncIterator[FeedUpdate]:
    if pages is not None:
        async for page in pages:
            yield FeedUpdate(source, added=page)
    yield FeedUpdate(source, done=True, final=True)


def listing(client: GraphClient, calendar: CalendarRef, start: dt.datetime,
            end: dt.datetime, ahead: PagesAhead | None = None) -> AsyncIterator[FeedUpdate]:
    """The window listed from Graph, page by page in order of start; from the head start
    when it was asked for this window."""
    pages = ahead.pages(client, calendar, start, end) if ahead is not None else None
    if pages is not None:
        return _listed(pages, "head-start")
    return _listed(client.calendar_view(calendar, start, end), "listing")


def head_start_now(client: GraphClient, calendar: CalendarRef, start: dt.datetime,
                   end: dt.datetime, ahead: PagesAhead | None
                   ) -> tuple[FeedUpdate, AsyncIterator[FeedUpdate]] | None:
    """The head start's first page, when it is here for this window: its update, to show in
    this very frame, and the updates of the rest. None otherwise (see `listing`)."""
    ready = ahead.take(client, calendar, start, end) if ahead is not None else None
    if ready is None:
        return None
    events, rest = ready
    return FeedUpdate("head-start", added=events), _listed(rest, "head-start")


def read_first(sync: SyncController, calendar: CalendarRef, start: dt.datetime,
               end: dt.datetime) -> tuple[FeedUpdate | None, Reading] | None:
    """The window's first batch from the cache, on the caller's thread (a few milliseconds),
    and the reading to go on with (see `cached`); None when nothing is cached for it."""
    synced_at = sync.synced_at(calendar, start, end)
    if synced_at is None:
        return None
    batches = sync.read(calendar, start, end)
    batch = next(batches, None)
    first = None if batch is None else FeedUpdate("cache", added=batch, as_of=synced_at)
    return first, (synced_at, batches)


async def cached(sync: SyncController, calendar: CalendarRef, start: dt.datetime,
                 end: dt.datetime, reading: Reading | None = None
                 ) -> AsyncIterator[FeedUpdate]:
    """The window as the cache holds it, in batches in order of start, then a sync of it;
    `reading`: a read begun by `read_first`."""
    if reading is None:
        synced_at = await asyncio.to_thread(sync.synced_at, calendar, start, end)
        batches = sync.read(calendar, start, end)
    else:
        synced_at, batches = reading
    while (batch := await asyncio.to_thread(next, batches, None)) is not None:
        yield FeedUpdate("cache", added=batch, as_of=synced_at)
    yield FeedUpdate("cache", done=True, as_of=synced_at)
    async for update in synced(sync, calendar, start, end):
        yield update


async def synced(sync: SyncController, calendar: CalendarRef, start: dt.datetime,
                 end: dt.datetime) -> AsyncIterator[FeedUpdate]:
    """One delta round of the window: an update as it starts, one per page of a full round
    (unordered) as it arrives, and its outcome, which is final."""
    yield FeedUpdate("sync")
    pages: asyncio.Queue[list[Event] | None] = asyncio.Queue()

    async def run() -> Synced:
        try:
            return await sync.sync(calendar, start, end, on_page=pages.put_nowait)
        finally:
            pages.put_nowait(None)

    task = asyncio.ensure_future(run())
    try:
        while (page := await pages.get()) is not None:
            yield FeedUpdate("sync", changed=page)
        result = await task
    finally:
        task.cancel()  # the window was left meanwhile: its round is given up
    yield FeedUpdate("sync", changed=result.upserts, removed=result.removed,
                     whole=result.full, done=True, final=True, as_of=result.synced_at,
                     counts=result.applied)
