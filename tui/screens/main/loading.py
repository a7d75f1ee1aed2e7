"""Loading the main screen's window: which source its rows come from (the cache and a sync,
a head start, a listing from Graph), what the status line says as they come in, and the
quiet offline mode when Graph cannot be reached. Every source goes through the one feed
(`tui.feed`); the screen hands each `FeedChanged` here."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Collection, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.worker import Worker

from tui.cache import LastView
from tui.feed import FeedUpdate, sources
from tui.feed.cache import CacheLink
from tui.feed.state import FeedState
from tui.feed.words import changes_note, odd_note
from tui.graph import CalendarRef, Event
from tui.graph.errors import GraphUnavailable
from tui.messages import FeedChanged
from tui.problems import describe
from tui.screens.status_lines import short
from tui.screens.window_rows import WindowRows
from tui.startup.painting import PaintWatcher
from tui.widgets.event_table import EventTable
from tui.widgets.format import printable
from tui.widgets.status_bar import StatusBar
from tui.window import RANGE_NOTE, Window

if TYPE_CHECKING:
    from tui.graph import GraphClient  # httpx: not before the first frame
    from tui.startup.headstart import HeadStart


@dataclass
class OpenView:
    """What the main screen shows: which calendar, under which name, in which window."""

    calendar: CalendarRef
    name: str
    window: Window
    shown: Window | None = None  # the window whose rows the table holds


@dataclass
class LoadHooks:
    """What loading a window needs of the screen that owns it."""

    screen: PaintWatcher
    client: GraphClient
    tz: dt.tzinfo
    head_start: HeadStart | None
    cache: CacheLink
    gone: Collection[str]
    """Events cancelled in this session: never shown again."""
    titles: Callable[[], None]
    count: Callable[[], str]
    show_details: Callable[[Event | None], None]
    settled: Callable[[list[Event], list[str], str], str]
    """Drafts and marks follow rows from Graph; returns what is said of the marks."""
    relist: Callable[[], None]
    """List the mailboxes opened with `u` again."""
    last_view: Callable[[], LastView]
    in_background: Callable[[Coroutine[Any, Any, None] | None, str], None]
    deliver: Callable[[FeedChanged], None]
    """Hand an update to the screen's feed handler at once, in this frame."""
    load_panes: Callable[[], None]
    retry: Callable[[], None]
    """Try again while offline (the screen's timer calls it)."""
    retry_after: Callable[[], float]


class WindowLoader:
    def __init__(self, view: OpenView, feed: FeedState, rows: WindowRows,
                 hooks: LoadHooks, startup_note: str) -> None:
        self.view = view
        self.feed = feed
        self.rows = rows
        self.hooks = hooks
        self.startup_note = startup_note  # said with the first window's rows

    @property
    def _table(self) -> EventTable:
        return self.hooks.screen.query_one(EventTable)

    @property
    def _status(self) -> StatusBar:
        return self.hooks.screen.query_one(StatusBar)

    def current_id(self) -> str | None:
        current = self._table.current
        return current.id if current else None

    def open(self, ref: CalendarRef, name: str, keep_id: str | None = None, *,
             missing_ok: bool = False, land_on: dt.date | None = None,
             read_now: bool = False) -> None:
        """See `MainScreen.open_calendar`."""
        view, hooks = self.view, self.hooks
        # A reload of the same window: what vanishes from it may take its drafts along.
        same = ref == view.calendar and view.window == view.shown
        self.rows.begin(keep_id, missing_ok=missing_ok, land_on=land_on, reload=same)
        view.shown = view.window
        view.calendar = ref
        view.name = name
        sync = hooks.cache.sync
        generation = self.feed.begin(cached=sync is not None)
        hooks.titles()
        self._status.show(f"Loading {printable(name, 60)}…", "busy")
        start, end = view.window.bounds(hooks.tz)
        if sync is not None:  # the cached rows first, then a sync
            hooks.in_background(hooks.cache.save_view(hooks.last_view()), "save-view")
            first = None
            if read_now:
                try:
                    first = sources.read_first(sync, ref, start, end)
                except Exception:  # read again in the worker, whose errors are reported
                    first = None
            if first is not None and first[0] is not None:
                self._feed_now(first[0])
            self.follow(sources.cached(sync, ref, start, end, first and first[1]), generation,
                        after_paint=first is not None)
            return
        ready = sources.head_start_now(hooks.client, ref, start, end, hooks.head_start)
        if ready is None:
            self.follow(sources.listing(hooks.client, ref, start, end, hooks.head_start),
                        generation)
            return
        # The page asked for at start is here already: in this very frame, then the rest.
        update, rest = ready
        self._feed_now(update)
        self.follow(rest, generation)

    def move(self, window: Window, land_on: dt.date | None = None) -> None:
        """Show `window`; the cursor stays on its event, or with `land_on` goes to that
        day's first event."""
        if not window.in_range:
            self._status.show(f"That is as far as it goes: {RANGE_NOTE}.", "info")
            return
        current = self._table.current
        self.view.window = window
        keep = current.id if current and land_on is None else None
        self.open(self.view.calendar, self.view.name, keep, missing_ok=True, land_on=land_on)

    def _feed_now(self, update: FeedUpdate) -> None:
        self.hooks.deliver(FeedChanged(self.feed.generation, update))

    def follow(self, updates: AsyncIterator[FeedUpdate], generation: int, *,
               after_paint: bool = False, description: str = "Loading events") -> None:
        """Run a source of the feed in the screen's window worker (one at a time: a new load
        or sync cancels the one before); `after_paint`: once the rows shown are painted."""
        screen = self.hooks.screen

        async def run() -> None:
            if after_paint:
                await screen.wait_for_paint(keys_first=True)
            async for update in updates:
                screen.post_message(FeedChanged(generation, update))

        screen.run_worker(run(), group="events", exclusive=True, exit_on_error=False,
                          description=description)

    def sync_now(self, *, asked: bool = False) -> None:
        """See `MainScreen.sync_now`."""
        sync = self.hooks.cache.sync
        if sync is None:
            return
        # Kept until an outcome: a retry by the timer meanwhile must not make `r` quiet.
        self.feed.asked = self.feed.asked or asked
        self.feed.listing = False  # a listing still going is cancelled by the sync
        if asked:
            self.hooks.relist()
        if self.feed.reading:  # a load still reading the cache: start it over instead
            self.open(self.view.calendar, self.view.name, self.current_id(), missing_ok=True)
            return
        start, end = self.view.window.bounds(self.hooks.tz)
        self.follow(sources.synced(sync, self.view.calendar, start, end), self.feed.generation,
                    description="Syncing")

    def periodic_sync(self) -> None:
        if self.feed.settled and not self.feed.offline:
            self.sync_now()

    def changed(self, message: FeedChanged) -> None:
        """A window's rows, whichever source they come from."""
        if message.generation != self.feed.generation:
            return
        update, feed, table = message.update, self.feed, self._table
        # Changes are news only against an earlier sync; a window's first round just fills
        # the cache with what the screen may already show.
        known_before, was_offline = feed.synced_at is not None, feed.offline
        feed.took(update)
        taken = self.rows.take(update, self.hooks.gone)
        marks = ""
        if update.source != "cache":  # cached rows may be older than the marks and drafts
            how = "in the sync" if update.source == "sync" else "on reload"
            marks = self.hooks.settled(taken.events, list(taken.vanished), how)
        if update.final:
            self._final(update, taken.lost, marks, known_before, was_offline)
        elif update.done and (table.all_events or update.as_of is not None):
            table.set_placeholder("No events in this window.")
            # The sync may still bring the day's events: the landing is looked at again.
            landing = self.rows.landed(final=False)
            self._status.show(f"{self.hooks.count()} from the cache; syncing…{landing}"
                              f"{odd_note(table.all_events)}", "info")
            self.hooks.show_details(table.current)
        self.hooks.titles()

    def _final(self, update: FeedUpdate, lost: Event | None, marks: str,
               known_before: bool, was_offline: bool) -> None:
        """The window's rows are all in: what the status line says of them."""
        table = self._table
        if update.source != "sync" and self.hooks.cache.sync is not None:
            self.sync_now()  # the cache opened beside the listing: the window goes into it
        table.set_placeholder("No events in this window.")
        count = self.hooks.count()
        changes = changes_note(update.counts) if known_before else ""
        note, self.startup_note = self.startup_note, ""
        back = " Back online." if was_offline else ""
        if was_offline:
            self.hooks.relist()
        missed = self.rows.keep_missed()
        landing = self.rows.landed(final=True)  # may move the cursor: after `lost` is known
        if lost is not None:
            self._status.show(f"{count}{changes}. {short(lost)} is no longer there "
                              f"(cancelled or deleted elsewhere).{marks}", "info")
        elif missed:
            self._status.show(f"{count}. The event you had selected is no longer "
                              f"there.{marks}", "info")
        else:
            self._status.show(f"{count}{changes}.{landing}{marks}"
                              f"{odd_note(table.all_events)}{back}{note}", "info")
        self.hooks.show_details(table.current)

    # -- offline -----------------------------------------------------------------------------

    def failed(self, worker: Worker[Any]) -> None:
        """The error funnel: a worker that failed ends as one status line."""
        assert worker.error is not None
        if worker.group == "events":
            self._table.set_placeholder("Could not load events: press r to retry.")
            self.hooks.load_panes()
            self.feed.failed()  # the title bar stops saying "syncing…"
            self.hooks.titles()
        what = worker.description or "A background task"
        if (isinstance(worker.error, GraphUnavailable) and self.hooks.cache.sync is not None
                and worker.group != "mailbox"):
            # With a cache: one quiet offline mode. Opening a mailbox is a request the user
            # just made, so its failure is always said (below), offline or not.
            self.went_offline(worker.error)
            return
        if isinstance(worker.error, GraphUnavailable) and worker.group in ("events", "tree"):
            # The network is down: keep what is on screen and try again by ourselves.
            self.feed.offline = True
            self.retry_later()
            self._status.show(f"{what} failed: {describe(worker.error)}. Retrying in "
                              f"{self.hooks.retry_after():.0f} s.", "error")
            return
        self._status.show(f"{what} failed: {describe(worker.error)}", "error")

    def retry_later(self) -> None:
        if not self.feed.retry_pending:
            self.feed.retry_pending = True
            self.hooks.screen.set_timer(self.hooks.retry_after(), self.hooks.retry)

    def went_offline(self, error: GraphUnavailable) -> None:
        """Graph cannot be reached (any worker): keep showing the cache, say so once, and
        try again by ourselves until the network is back (then a sync catches up)."""
        was_offline, asked = self.feed.went_offline()
        said, self.feed.said = self.feed.said, True
        table = self._table
        table.set_placeholder("Offline, and nothing cached for this window.")
        self.hooks.titles()
        self.retry_later()
        if was_offline and not asked:
            if not said:  # a window opened while offline: what it shows, in place of "Loading"
                self._status.show(f"{self.hooks.count()} from the cache (offline)."
                                  if table.all_events else
                                  "Offline, and nothing cached for this window.", "info")
            return  # the title bar says "offline"; retries by the timer stay quiet
        shown = ("Showing the cached events; browsing, windows and filters work"
                 if table.all_events else "Nothing cached for this window")
        self._status.show(f"Offline: {describe(error)}. {shown}; cal365 syncs by itself when "
                          "the network is back.", "error")
