"""The main screen's side of the local calendar cache: a warm start, sync in place, offline.

Kept apart from `main.py` so that screen stays about browsing and cancelling. With no cache
(`--no-cache`, or none could be opened) nothing here runs and the screen streams
calendarView as before. The state logic lives in the UI-free `tui.sync`.

A start with a cache reads the last view, the calendars pane and the window's events from
the cache before any request is sent, then syncs the window in the background (delta with
the stored deltaLink, or a full round whose pages stream into the table) and applies the
changes in place: cursor, marks and filter stay.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen
from textual.timer import Timer

from tui.auth.keyring_access import KeyringUnavailable
from tui.cache import CachedTree, CacheError, CacheStore, LastView, keyring_advice
from tui.graph import CalendarRef, Event, GraphClient, Mailbox
from tui.graph.errors import GraphUnavailable
from tui.messages import CachedEvents, CacheOpened, Section, SyncDone, SyncPage, SyncStarted
from tui.problems import describe
from tui.sync import SyncController, calendars_section, freshness, groups_section, with_section
from tui.widgets.calendar_tree import shown_name
from tui.widgets.format import counted, printable
from tui.window import VIEWS, Window

if TYPE_CHECKING:
    from tui.widgets.calendar_tree import CalendarTree
    from tui.widgets.event_table import EventTable
    from tui.widgets.status_bar import StatusBar

CacheOpener = Callable[[], CacheStore | None]
GROUPS_TITLE = "Microsoft 365 groups"  # as main.py's load_groups titles that section


class CachedScreen(Screen[None]):
    """Cache and sync behaviour of the main screen (which defines the state used here)."""

    client: GraphClient
    tz: dt.tzinfo
    today: dt.date
    window: Window
    mailbox: Mailbox
    calendar: CalendarRef
    calendar_name: str
    _generation: int
    _offline: bool
    _panes_pending: bool
    _gone: set[str]
    _keep_id: str | None
    _retry_pending: bool
    offline_retry: float
    _keep_missing_ok: bool
    _startup_note: str

    if TYPE_CHECKING:
        @property
        def table(self) -> EventTable: ...
        @property
        def status(self) -> StatusBar: ...
        def _update_titles(self) -> None: ...
        def _load_panes(self) -> None: ...
        def _show_details(self, event: Event | None) -> None: ...
        def open_calendar(self, ref: CalendarRef, name: str, keep_id: str | None = None, *,
                          missing_ok: bool = False) -> None: ...
        def load_calendars(self) -> object: ...
        def _retry_offline(self) -> None: ...
        def events_settled(self, events: Iterable[Event], vanished: Iterable[str]) -> None: ...

    sync: SyncController | None = None
    cache_opener: CacheOpener | None = None
    sync_every = 0.0
    """Minutes between background syncs while the app runs (0: only on start and `r`)."""
    _synced_at: dt.datetime | None = None
    _syncing = False
    _loading = False
    _sync_timer: Timer | None = None
    _cached_tree: CachedTree | None = None
    _asked = False
    _tree_saves = 0
    restore_view = True
    """Start on the view the cache remembers (not when the user named a start day)."""

    # -- opening ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="cache", exit_on_error=False,
          description="Opening the calendar cache")
    def open_cache(self) -> None:
        """Off the UI thread: the keyring may take seconds to answer."""
        assert self.cache_opener is not None
        try:
            store = self.cache_opener()
        except KeyringUnavailable as error:
            self.post_message(CacheOpened(None, None, None, [], keyring_advice(error)))
            return
        except CacheError as error:
            self.post_message(CacheOpened(None, None, None, [], str(error)))
            return
        if store is None:
            self.post_message(CacheOpened(None, None, None, []))
            return
        controller = SyncController(store, self.client, self.tz)
        view = controller.last_view()
        tree = controller.tree(self.mailbox)
        self.post_message(CacheOpened(store, view, tree, store.take_notices()))

    def on_cache_opened(self, message: CacheOpened) -> None:
        for notice in message.notices:
            self.notify(notice, title="Calendar cache", severity="warning", timeout=30)
        if message.problem:
            self.notify(message.problem, title="No calendar cache this run",
                        severity="warning", timeout=60)
        if message.store is not None:
            self.sync = SyncController(message.store, self.client, self.tz)
        name = "Calendar"
        self._cached_tree = cached = message.tree
        own = calendars_section(self.mailbox, cached) if cached is not None else []
        groups = groups_section(cached) if cached is not None else []
        if own:
            self._tree().set_section("me", None, own)
        if groups:
            self._tree().set_section("groups", GROUPS_TITLE, groups)
        view = message.view
        if self.restore_view and view is not None and view.view in VIEWS and (
                view.calendar.mailbox == self.mailbox or view.calendar.mailbox.kind == "group"):
            self.window = Window(view.view, view.start, agenda_days=view.days)
            self.calendar = view.calendar
            for _, calendars in [*own, *groups]:
                for ref, calendar in calendars:
                    if ref == view.calendar:
                        name = shown_name(ref, calendar)
        if own and not self._tree().select_ref(self.calendar):
            self._tree().select_default()  # the default calendar, named by no id
        self._panes_pending = True
        self.open_calendar(self.calendar, name)
        if self.sync is not None and self.sync_every > 0:
            self._sync_timer = self.set_interval(self.sync_every * 60, self._periodic_sync)

    def _tree(self) -> CalendarTree:
        from tui.widgets.calendar_tree import CalendarTree

        return self.query_one(CalendarTree)

    # -- loading a window -----------------------------------------------------------------------

    def _load_cached(self, ref: CalendarRef, start: dt.datetime, end: dt.datetime) -> None:
        """`open_calendar` with a cache: the cached rows first, then a sync."""
        assert self.sync is not None
        self._loading = True
        self._synced_at = None
        view = LastView(ref, self.window.anchor, self.window.agenda_days, self.window.view)
        self.run_worker(asyncio.to_thread(self.sync.save_view, view), group="save-view",
                        exit_on_error=False)
        self.load_window(ref, start, end, self._generation)

    @work(exclusive=True, group="events", exit_on_error=False, description="Loading events")
    async def load_window(self, ref: CalendarRef, start: dt.datetime, end: dt.datetime,
                          generation: int) -> None:
        sync = self.sync
        assert sync is not None
        synced_at = await asyncio.to_thread(sync.synced_at, ref, start, end)
        batches = sync.read(ref, start, end)
        while (batch := await asyncio.to_thread(next, batches, None)) is not None:
            self.post_message(CachedEvents(generation, batch, synced_at, False))
        self.post_message(CachedEvents(generation, [], synced_at, True))
        await self._sync_window(ref, start, end, generation)

    async def _sync_window(self, ref: CalendarRef, start: dt.datetime, end: dt.datetime,
                           generation: int) -> None:
        assert self.sync is not None
        self.post_message(SyncStarted(generation))
        def on_page(page: list[Event]) -> None:
            self.post_message(SyncPage(generation, page))

        synced = await self.sync.sync(ref, start, end, on_page=on_page)
        self.post_message(SyncDone(generation, synced))

    @work(exclusive=True, group="events", exit_on_error=False, description="Syncing")
    async def sync_in_place(self, ref: CalendarRef, start: dt.datetime, end: dt.datetime,
                            generation: int) -> None:
        await self._sync_window(ref, start, end, generation)

    def sync_now(self, *, asked: bool = False) -> None:
        """Sync the window on screen, keeping its rows (`r`, the timer, the network back).
        `asked`: the user pressed `r`, so an outcome is reported even while offline."""
        if self.sync is None:
            return
        self._asked = asked
        if self._loading:  # a load still reading the cache: start it over instead
            current = self.table.current
            self.open_calendar(self.calendar, self.calendar_name,
                               current.id if current else None, missing_ok=True)
            return
        start, end = self.window.bounds(self.tz)
        self.sync_in_place(self.calendar, start, end, self._generation)

    def _periodic_sync(self) -> None:
        if not self._syncing and not self._offline:
            self.sync_now()

    def on_cached_events(self, message: CachedEvents) -> None:
        self._load_panes()
        if message.generation != self._generation:
            return
        self._synced_at = message.synced_at
        self.table.extend(e for e in message.events if e.id not in self._gone)
        if self._keep_id is not None and self.table.select_id(self._keep_id):
            self._keep_id = None
        if message.last:
            self._loading = False
            if self.table.all_events or message.synced_at is not None:
                self.table.set_placeholder("No events in this window.")
                self.status.show(f"{printable(self.calendar_name, 60)}: "
                                 f"{counted(len(self.table.all_events), 'event')} from the "
                                 "cache; syncing…", "info")
                self._show_details(self.table.current)
        self._update_titles()

    def on_sync_started(self, message: SyncStarted) -> None:
        if message.generation == self._generation:
            self._syncing = True
            self._update_titles()

    def on_sync_page(self, message: SyncPage) -> None:
        if message.generation != self._generation:
            return
        self.table.apply(e for e in message.events if e.id not in self._gone)
        if self._keep_id is not None and self.table.select_id(self._keep_id):
            self._keep_id = None
        self._update_titles()

    def on_sync_done(self, message: SyncDone) -> None:
        if message.generation != self._generation:
            return
        synced = message.synced
        self._syncing = self._loading = False
        self._synced_at = synced.synced_at
        table = self.table
        before = table.current
        shown = {e.id for e in table.all_events}
        upserts = [e for e in synced.upserts if e.id not in self._gone]
        if synced.full:
            table.apply(upserts, keep_only={e.id for e in upserts})
        else:
            table.apply(upserts, synced.removed)
        self.events_settled(upserts, shown - {e.id for e in table.all_events})
        table.set_placeholder("No events in this window.")
        name = printable(self.calendar_name, 60)
        applied = synced.applied
        changes = ""
        if applied.added or applied.changed or applied.removed:
            changes = (f" ({applied.added} new, {applied.changed} changed, "
                       f"{applied.removed} removed)")
        note, self._startup_note = self._startup_note, ""
        was_offline, self._offline = self._offline, False
        back = " Back online." if was_offline else ""
        keep, self._keep_id = self._keep_id, None
        events = counted(len(table.all_events), "event")
        if before is not None and (table.current is None or table.current.id != before.id):
            self.status.show(f"{name}: {events}{changes}. "
                             f"{_short(before)} is no longer there (cancelled or deleted "
                             "elsewhere).", "info")
        elif keep is not None and not self._keep_missing_ok:
            self.status.show(f"{name}: {events}. The event you had "
                             "selected is no longer there.", "info")
        else:
            self.status.show(f"{name}: {events}{changes}.{back}{note}",
                             "info")
        self._show_details(table.current)
        self._update_titles()

    # -- offline and after a cancel ------------------------------------------------------------

    def freshness(self) -> str:
        if self.sync is None:
            return ""
        return freshness(self._synced_at, dt.datetime.now(self.tz), offline=self._offline,
                         syncing=self._syncing)

    def went_offline(self, error: GraphUnavailable) -> None:
        """Graph cannot be reached (any worker): keep showing the cache, say so once, and
        try again by ourselves until the network is back (then a sync catches up)."""
        was_offline, self._offline = self._offline, True
        self._syncing = self._loading = False
        self.table.set_placeholder("Offline, and nothing cached for this window.")
        self._update_titles()
        if not self._retry_pending:
            self._retry_pending = True
            self.set_timer(self.offline_retry, self._retry_offline)
        asked, self._asked = self._asked, False
        if was_offline and not asked:
            return  # the title bar says "offline"; retries by the timer stay quiet
        shown = ("Showing the cached events; browsing, windows and filters work"
                 if self.table.all_events else "Nothing cached for this window")
        self.status.show(f"Offline: {describe(error)}. {shown}; cal365 syncs by itself when "
                         "the network is back.", "error")

    def refuse_offline_cancel(self, event: Event, kept: bool) -> bool:
        """True (and the reason shown) when a cancel must not be tried: we are offline.
        Nothing is queued: the user sends it again once the network is back."""
        if self.sync is None or not self._offline:
            return False
        comment = " Your comment is kept with it: press c again once online." if kept else ""
        self.status.show(f"Not sent: cancelling {_short(event)} needs the network, and cal365 "
                         f"is offline. Nothing was sent or queued.{comment}", "error")
        return True

    def cache_cancelled(self, event_id: str) -> None:
        """A cancel went through: the cache forgets the event at once."""
        if self.sync is not None:
            self.run_worker(asyncio.to_thread(self.sync.cancelled, event_id), group="cache-edit",
                            exit_on_error=False)

    def cache_tree(self, key: str, section: Section) -> None:
        """The calendars pane's own calendars or groups were listed: keep them for the next
        start (the tree is one record, so each part keeps the other's last listing)."""
        if self.sync is None or key not in ("me", "groups"):
            return
        self._cached_tree = tree = with_section(self._cached_tree, key, list(section))
        self._tree_saves += 1
        self.run_worker(asyncio.to_thread(self.sync.save_tree, self.mailbox, tree,
                                          self._tree_saves),
                        group="cache-edit", exit_on_error=False)

def _short(event: Event) -> str:
    from tui.screens.main import _short as short

    return short(event)
