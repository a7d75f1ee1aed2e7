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
import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from textual import work
from textual.timer import Timer

from tui.auth.keyring_access import KeyringUnavailable
from tui.cache import CachedTree, CacheError, CacheStore, LastView, keyring_advice
from tui.graph import CalendarRef, Event, GraphClient, Mailbox
from tui.graph.errors import GraphError, GraphUnavailable
from tui.messages import (
    CachedEvents,
    CacheOpened,
    CalendarsLoaded,
    Section,
    SyncDone,
    SyncPage,
    SyncStarted,
)
from tui.problems import describe
from tui.startup.opening import CacheOpening
from tui.startup.painting import PaintWatcher
from tui.sync import (
    SyncController,
    calendars_section,
    freshness,
    groups_section,
    list_mailbox,
    user_key,
    user_sections,
    with_section,
)
from tui.widgets.calendar_tree import shown_name
from tui.widgets.format import printable
from tui.window import VIEWS, Window

if TYPE_CHECKING:
    from tui.widgets.calendar_tree import CalendarTree
    from tui.widgets.event_table import EventTable
    from tui.widgets.status_bar import StatusBar

CacheOpener = CacheOpening  # as the app hands it over: tui/startup/early.py
_Reading = tuple[dt.datetime | None, Iterator[list[Event]]]
GROUPS_TITLE = "Microsoft 365 groups"  # as main.py's load_groups titles that section


class CachedScreen(PaintWatcher):
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
    user_label: str
    marked: dict[str, Event]
    toggles: set[str]
    sending: set[str]
    bulk_running: bool

    if TYPE_CHECKING:
        @property
        def table(self) -> EventTable: ...
        @property
        def status(self) -> StatusBar: ...
        def _update_titles(self) -> None: ...
        def shown_count(self) -> str: ...
        def _load_panes(self) -> None: ...
        def _show_details(self, event: Event | None) -> None: ...
        def open_calendar(self, ref: CalendarRef, name: str, keep_id: str | None = None, *,
                          missing_ok: bool = False, land_on: dt.date | None = None) -> None: ...
        def land(self, arrived: Iterable[Event]) -> None: ...
        def landed(self, *, final: bool) -> str: ...
        def load_calendars(self) -> object: ...
        def _retry_offline(self) -> None: ...
        def events_settled(self, events: Iterable[Event], vanished: Iterable[str]) -> None: ...
        def marks_follow(self, events: Iterable[Event], vanished: Iterable[str], *,
                         how: str = ...) -> str: ...

    sync: SyncController | None = None
    cache_opener: CacheOpener | None = None
    cache_beside = False
    """The cache is opening while the first window streams from Graph: it had nothing to
    start from, so the screen did not wait for it."""
    streaming = False
    """A calendarView listing (not the cache) is filling the table."""
    _unsaved: dict[str, tuple[Section, str | None]] | None = None
    _beside_opening = False
    sync_every = 0.0
    """Minutes between background syncs while the app runs (0: only on start and `r`)."""
    _synced_at: dt.datetime | None = None
    _syncing = False
    _loading = False
    _sync_timer: Timer | None = None
    _cached_tree: CachedTree | None = None
    _asked = False
    _tree_saves = 0
    _relist_pending = False
    _read_now = False  # the first rows are read on the UI thread (see start_from_cache)
    restore_view = True
    """Start on the view the cache remembers (not when the user named a start day)."""

    # -- the sealed last frame ----------------------------------------------------------------

    def seal_frame(self, fit: str) -> None:
        """Keep what the screen shows now for the next start to paint before anything else
        (tui/startup/sealed_frame.py). Only a settled main screen with nothing on top: a
        frame that shows a dialog or half-loaded rows would be the wrong first look."""
        sync = self.sync
        table = self.table
        if (sync is None or not sync.store.persistent or self.app.screen is not self
                or self._syncing or self._loading or self.streaming):
            return
        # What the next start restores is the view and the selected event: marks, a filter
        # or a toggle shown in the frame would be gone from the screen that replaces it.
        if self.marked or self.toggles or table.filter_text or self.sending or self.bulk_running:
            return
        from tui.startup.sealed_frame import encode
        from tui.startup.textual_private import frame_lines

        current = table.current
        lines = frame_lines(self)
        view = self._last_view(current.id if current is not None else "")
        with contextlib.suppress(CacheError):  # the next start builds its screen as usual
            sync.store.save_last_view(view)  # the cursor's event: before the frame
            sync.store.save_frame(fit, encode(lines, self.size))

    # -- opening ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="cache", exit_on_error=False,
          description="Opening the calendar cache")
    def open_cache(self) -> None:
        """Off the UI thread: the keyring may take seconds to answer."""
        self.post_message(self._open_store())

    def start_from_cache(self) -> None:
        """At start: a cache whose opening began before the UI and is done shows its first
        screen in this very frame, with no thread in between (each hand-over waits for the
        interpreter lock while the UI is busy starting); else it is waited for in a worker."""
        opener = self.cache_opener
        if opener is None or not opener.ready():
            self.open_cache()
            return
        try:
            opened = self._open_store()
        except Exception:  # unforeseen: the worker meets it again and reports it as usual
            self.open_cache()
            return
        self._read_now = True
        try:
            self.on_cache_opened(opened)
        finally:
            self._read_now = False

    def _open_store(self) -> CacheOpened:
        assert self.cache_opener is not None
        try:
            store = self.cache_opener()
        except KeyringUnavailable as error:
            return CacheOpened(None, None, None, [], keyring_advice(error))
        except CacheError as error:
            return CacheOpened(None, None, None, [], str(error))
        if store is None:
            return CacheOpened(None, None, None, [])
        controller = SyncController(store, self.client, self.tz)
        view = controller.last_view()
        tree = controller.tree(self.mailbox)
        signed_in = store.signed_in() if self.mailbox.kind == "me" else None
        return CacheOpened(store, view, tree, store.take_notices(), signed_in=signed_in)

    def on_cache_opened(self, message: CacheOpened) -> None:
        for notice in message.notices:
            self.notify(notice, title="Calendar cache", severity="warning", timeout=30)
        if message.problem:
            self.notify(message.problem, title="No calendar cache this run",
                        severity="warning", timeout=60)
        if self.cache_beside:
            self.cache_beside = False
            self._take_over(message.store)
            return
        if message.store is not None:
            self.sync = SyncController(message.store, self.client, self.tz)
        if message.signed_in and not self.user_label:
            self.user_label = message.signed_in  # until Graph names the user again
        name = "Calendar"
        self._cached_tree = cached = message.tree
        own = calendars_section(self.mailbox, cached) if cached is not None else []
        groups = groups_section(cached) if cached is not None else []
        users = user_sections(cached) if cached is not None else []
        if own:
            self._tree().set_section("me", None, own)
        if groups:
            self._tree().set_section("groups", GROUPS_TITLE, groups)
        for key, title, section in users:  # the mailboxes opened with `u`, as last listed
            self._tree().set_section(key, title, section)
        # Listed again once the window's rows are up, quietly (the cached ones stay if not).
        self._relist_pending = bool(users)
        view = message.view
        known = {ref: shown_name(ref, calendar)
                 for sections in (own, groups, *(s for _, _, s in users))
                 for _, calendars in sections for ref, calendar in calendars}
        if self.restore_view and view is not None and view.view in VIEWS and (
                view.calendar.mailbox == self.mailbox or view.calendar in known
                or view.calendar.mailbox.kind == "group"):
            self.window = Window(view.view, view.start, agenda_days=view.days)
            self.calendar = view.calendar
            name = known.get(view.calendar, name)
        if (own or users) and not self._tree().select_ref(self.calendar):
            self._tree().select_default()  # the default calendar, named by no id
        self._panes_pending = True
        # The event the cursor was on at the last quit, as the sealed frame showed it.
        selected = view.selected if view is not None and view.calendar == self.calendar else ""
        self.open_calendar(self.calendar, name, selected or None, missing_ok=True)
        if self.sync is not None and self.sync_every > 0:
            self._sync_timer = self.set_interval(self.sync_every * 60, self._periodic_sync)

    def open_beside(self) -> None:
        if self.cache_beside and not self._beside_opening:
            self._beside_opening = True
            self.open_cache()

    def _take_over(self, store: CacheStore | None) -> None:
        """The cache opened beside a window listed from Graph: from now on it keeps what the
        screen shows, and the window goes into it with a sync (applied in place) once the
        listing is done."""
        if store is None:
            return
        self.sync = SyncController(store, self.client, self.tz)
        for key, (section, title) in (self._unsaved or {}).items():
            self.cache_tree(key, section, title)
        self._unsaved = None
        self._save_view()
        if not self.streaming:
            self.sync_now()
        if self.sync_every > 0:
            self._sync_timer = self.set_interval(self.sync_every * 60, self._periodic_sync)

    def _last_view(self, selected: str = "") -> LastView:
        return LastView(self.calendar, self.window.anchor, self.window.agenda_days,
                        self.window.view, selected)

    def _save_view(self) -> None:
        assert self.sync is not None
        view = self._last_view()
        self.run_worker(asyncio.to_thread(self.sync.save_view, view), group="save-view",
                        exit_on_error=False)

    def _tree(self) -> CalendarTree:
        from tui.widgets.calendar_tree import CalendarTree

        return self.query_one(CalendarTree)

    # -- loading a window -----------------------------------------------------------------------

    def _load_cached(self, ref: CalendarRef, start: dt.datetime, end: dt.datetime) -> None:
        """`open_calendar` with a cache: the cached rows first, then a sync."""
        assert self.sync is not None
        self._loading = True
        self._synced_at = None
        self._save_view()
        first = None
        if self._read_now:
            try:
                first = self._read_first(ref, start, end)
            except Exception:  # read again in the worker, whose errors are reported as usual
                first = None
        self.load_window(ref, start, end, self._generation, first)

    def _read_first(self, ref: CalendarRef, start: dt.datetime, end: dt.datetime
                    ) -> _Reading | None:
        """The window's first rows from the cache on this thread (a few milliseconds), and
        the reading to go on with; None when there is nothing cached for it."""
        assert self.sync is not None
        synced_at = self.sync.synced_at(ref, start, end)
        if synced_at is None:
            return None
        batches = self.sync.read(ref, start, end)
        batch = next(batches, None)
        if batch is not None:
            self.on_cached_events(CachedEvents(self._generation, batch, synced_at, False))
        return synced_at, batches

    @work(exclusive=True, group="events", exit_on_error=False, description="Loading events")
    async def load_window(self, ref: CalendarRef, start: dt.datetime, end: dt.datetime,
                          generation: int, first: _Reading | None = None) -> None:
        """The window from the cache, then a sync; `first`: its reading begun already."""
        sync = self.sync
        assert sync is not None
        if first is not None:
            synced_at, batches = first
            await self.wait_for_paint()  # the rest, and the sync, once those rows are painted
        else:
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
        self.streaming = False  # a listing still going is cancelled by the sync (same group)
        if asked:
            self.relist_mailboxes()
        if self._loading:  # a load still reading the cache: start it over instead
            current = self.table.current
            self.open_calendar(self.calendar, self.calendar_name,
                               current.id if current else None, missing_ok=True)
            return
        start, end = self.window.bounds(self.tz)
        self.sync_in_place(self.calendar, start, end, self._generation)

    def _after_first_rows(self) -> None:
        """Requests for the other panes, once the rows from the cache are painted."""
        self._load_panes()
        if self._relist_pending:
            self._relist_pending = False
            self.relist_mailboxes()

    def _periodic_sync(self) -> None:
        if not self._syncing and not self._offline:
            self.sync_now()

    def on_cached_events(self, message: CachedEvents) -> None:
        self.after_paint(self._after_first_rows)
        if message.generation != self._generation:
            return
        self._synced_at = message.synced_at
        self.table.extend(e for e in message.events if e.id not in self._gone)
        if self._keep_id is not None and self.table.select_id(self._keep_id):
            self._keep_id = None
        self.land(message.events)
        if message.last:
            self._loading = False
            if self.table.all_events or message.synced_at is not None:
                self.table.set_placeholder("No events in this window.")
                source = " from the cache" if message.synced_at is not None else ""
                # The sync may still bring the day's events: the landing is looked at again.
                landing = self.landed(final=False)
                self.status.show(f"{printable(self.calendar_name, 60)}: "
                                 f"{self.shown_count()}{source}; "
                                 f"syncing…{landing}", "info")
                self._show_details(self.table.current)
        self._update_titles()

    def on_sync_started(self, message: SyncStarted) -> None:
        if message.generation == self._generation:
            self._syncing = True
            self._update_titles()

    def on_sync_page(self, message: SyncPage) -> None:
        if message.generation != self._generation:
            return
        events = [e for e in message.events if e.id not in self._gone]
        self.table.apply(events)
        self.marks_follow(events, ())
        if self._keep_id is not None and self.table.select_id(self._keep_id):
            self._keep_id = None
        self.land(events)
        self._update_titles()

    def on_sync_done(self, message: SyncDone) -> None:
        if message.generation != self._generation:
            return
        synced = message.synced
        self._syncing = self._loading = False
        # Changes are news only against an earlier sync; a window's first round just fills
        # the cache with what the screen may already show.
        known_before = self._synced_at is not None
        self._synced_at = synced.synced_at
        table = self.table
        before = table.current
        shown = {e.id for e in table.all_events}
        upserts = [e for e in synced.upserts if e.id not in self._gone]
        if synced.full:
            table.apply(upserts, keep_only={e.id for e in upserts})
        else:
            table.apply(upserts, synced.removed)
        vanished = shown - {e.id for e in table.all_events}
        self.events_settled(upserts, vanished)
        marks = self.marks_follow(upserts, vanished)
        table.set_placeholder("No events in this window.")
        name = printable(self.calendar_name, 60)
        applied = synced.applied
        changes = ""
        if known_before and (applied.added or applied.changed or applied.removed):
            changes = (f" ({applied.added} new, {applied.changed} changed, "
                       f"{applied.removed} removed)")
        note, self._startup_note = self._startup_note, ""
        was_offline, self._offline = self._offline, False
        back = " Back online." if was_offline else ""
        if was_offline:
            self.relist_mailboxes()
        keep, self._keep_id = self._keep_id, None
        lost = before is not None and (table.current is None or table.current.id != before.id)
        landing = self.landed(final=True)  # may move the cursor: after `lost` is known
        events = self.shown_count()
        if lost and before is not None:
            self.status.show(f"{name}: {events}{changes}. "
                             f"{_short(before)} is no longer there (cancelled or deleted "
                             f"elsewhere).{marks}", "info")
        elif keep is not None and not self._keep_missing_ok:
            self.status.show(f"{name}: {events}. The event you had "
                             f"selected is no longer there.{marks}", "info")
        else:
            self.status.show(f"{name}: {events}{changes}.{landing}{marks}{back}{note}",
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

    def cache_tree(self, key: str, section: Section, title: str | None = None) -> None:
        """A section of the calendars pane was listed (own calendars, groups, a mailbox
        opened with `u`): keep it for the next start (the tree is one record, so each part
        keeps the others' last listing)."""
        if not (key in ("me", "groups") or key.startswith("user:")):
            return
        if self.sync is None:
            if self.cache_beside:  # kept until the cache is open
                self._unsaved = {**(self._unsaved or {}), key: (section, title)}
            return
        self._save_tree(with_section(self._cached_tree, key, list(section), title))

    def _save_tree(self, tree: CachedTree) -> None:
        assert self.sync is not None
        self._cached_tree = tree
        self._tree_saves += 1
        self.run_worker(asyncio.to_thread(self.sync.save_tree, self.mailbox, tree,
                                          self._tree_saves),
                        group="cache-edit", exit_on_error=False)

    # -- mailboxes opened with `u` ---------------------------------------------------------

    def relist_mailboxes(self) -> None:
        """List the opened mailboxes again (at start, on `r`, back online): calendars added
        or removed there show, and the cached tree follows."""
        if self._cached_tree is None:
            return
        for user in self._cached_tree.users:
            self.relist_mailbox(user.mailbox)

    @work(exit_on_error=False, description="Listing an opened mailbox again")
    async def relist_mailbox(self, mailbox: Mailbox) -> None:
        try:
            title, section = await list_mailbox(self.client, mailbox)
        except (GraphError, GraphUnavailable):
            return  # offline, or no longer readable: the cached section stays as it was
        self.post_message(CalendarsLoaded(user_key(mailbox), title, section, announce=False))

def _short(event: Event) -> str:
    from tui.screens.main import _short as short

    return short(event)
