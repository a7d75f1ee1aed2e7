"""The main screen: calendars, events and details side by side, a status bar below.

The screen owns the state (open calendar, window, drafts, cancels in flight); workers only
talk to Graph and post messages back. A window's rows come through the one event feed
(`tui.feed`), from Graph or from the local cache and a sync, as `FeedChanged` messages with
one handler; with a cache the screen starts from it and works offline.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Coroutine, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Tree
from textual.worker import Worker, WorkerState

from tui.actions.cancel import Answer, BulkRun, CancelRequest, run_one, settled_drafts
from tui.actions.drafts import Drafts, DraftsError
from tui.actions.triage import Triage
from tui.cache import CacheError, CacheOpener, LastView
from tui.commands import bindings, quick_badge
from tui.desktop import open_in_browser
from tui.feed import FeedUpdate, sources
from tui.feed.cache import CacheLink, Opening, PaneSection
from tui.feed.state import FeedState
from tui.feed.words import changes_note, odd_note
from tui.graph import (
    ME,
    Calendar,
    CalendarRef,
    Event,
    EventRef,
    GraphClient,
    Mailbox,
)
from tui.graph.errors import GraphError, GraphUnavailable
from tui.graph.policy import WaitNotice
from tui.graph.recurrence import Recurrence
from tui.links import web_link_problem
from tui.messages import (
    BulkBlocked,
    BulkFinished,
    BulkProgress,
    CacheOpened,
    CalendarsLoaded,
    CancelAnswered,
    CancelFinished,
    DraftsSettled,
    FeedChanged,
    GraphWaiting,
    SeriesLoaded,
    SignedIn,
)
from tui.opening import StartedOpen
from tui.problems import describe
from tui.screens import words
from tui.screens.painting import PaintWatcher
from tui.screens.window_rows import WindowRows
from tui.screens.words import short as _short
from tui.startup import resume_collection
from tui.stylesheet import stylesheet
from tui.sync import (
    Section,
    SyncController,
    calendars_section,
    groups_section,
    list_mailbox,
    mailbox_names,
    user_key,
    user_sections,
)
from tui.widgets.calendar_tree import CalendarNode, CalendarTree, shown_name
from tui.widgets.event_details import EventDetails
from tui.widgets.event_table import EventTable
from tui.widgets.events_pane import EventsPane
from tui.widgets.filter_input import FilterInput
from tui.widgets.format import counted, printable
from tui.widgets.key_bar import KeyBar
from tui.widgets.status_bar import StatusBar, StatusKind
from tui.widgets.title_bar import TitleBar
from tui.window import RANGE_NOTE, VIEWS, Window, parse_day

if TYPE_CHECKING:
    from tui.graph.batch import BatchItemOutcome
    from tui.headstart import HeadStart
    from tui.screens.bulk import BulkDecision, BulkResultsScreen
    from tui.screens.cancel import CancelDecision

# Where the one comment of a bulk cancel is kept among the drafts.
_BULK_DRAFT = ("bulk", "marked")
# Graph allows 4 concurrent requests per mailbox; the tree load stays within that.
_CONCURRENCY = 4
GROUPS_TITLE = "Microsoft 365 groups"


class MainScreen(PaintWatcher):
    BINDINGS = bindings("main")
    # The app's stylesheet comes with its first real screen: a sealed frame painted before
    # it needs none, so the parsing waits until after that frame (every screen and dialog
    # comes after this one).
    CSS_PATH = stylesheet()

    offline_retry = 10.0
    """Seconds between attempts to reload while Graph cannot be reached."""
    restore_view = True
    """Start on the view the cache remembers (not when the user named a start day)."""

    def __init__(
        self,
        client: GraphClient,
        *,
        today: dt.date,
        tz: dt.tzinfo,
        days: int = 14,
        mailbox: Mailbox = ME,
        head_start: HeadStart | None = None,
        cache: CacheOpener | None = None,
        sync_every: float = 0.0,
    ) -> None:
        super().__init__()
        self.client = client
        self._head_start = head_start  # the first window's first page, asked for early
        self.sync_every = sync_every
        """Minutes between background syncs while the app runs (0: only on start and `r`)."""
        self.cache = CacheLink(cache, client, tz, mailbox)
        self.feed = FeedState()
        self.rows = WindowRows(lambda: self.table, _short)
        self.tz = tz
        self.today = today
        self.window = Window("agenda", today, agenda_days=days)
        # Whose calendars: the signed-in user, or (app-only sign-in, which has no /me) a UPN.
        self.mailbox = mailbox
        self.calendar = CalendarRef(mailbox)
        self.calendar_name = "Calendar"
        self.user_label = ""
        self.account: str | None = None
        # Comment drafts outlive refusals, failures and crashes: saved on every change.
        self.drafts = Drafts.load()
        self._startup_note = words.drafts_at_start(self.drafts.problem, len(self.drafts))
        self.series: dict[str, Recurrence | None] = {}
        # Marks, toggles, cancels on their way: the UI-free state (tui.actions.triage). The
        # names below are the same objects, for the load paths and tests that read them.
        self.triage = Triage()
        self.marked = self.triage.marked
        self.toggles = self.triage.toggles
        self.sending = self.triage.sending
        self._panes_pending = False
        self._relist_pending = False
        self._gone = self.triage.gone  # cancelled in this session
        self._quit_warned = False
        self._shown_window: Window | None = None
        self._wait_lines: set[str] = set()  # "retrying in…" lines shown
        self._before_wait: tuple[str, StatusKind] = ("", "info")
        self._sync_timer: Timer | None = None

    @property
    def sync(self) -> SyncController | None:
        """The cache's sync controller; None without a cache (yet)."""
        return self.cache.sync

    @property
    def _offline(self) -> bool:
        return self.feed.offline

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with Horizontal(id="panes"):
            yield CalendarTree(id="calendars")
            with EventsPane(id="events-pane"):
                yield FilterInput(id="filter")
                yield EventTable(id="events")
            yield EventDetails(id="details")
        yield StatusBar(id="status")
        yield KeyBar()

    @property
    def table(self) -> EventTable:
        return self.query_one(EventTable)

    @property
    def details(self) -> EventDetails:
        return self.query_one(EventDetails)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        self.after_paint(resume_collection)  # paused while the app started: tui/startup.py
        self.client.on_wait = self._graph_waits
        self.query_one(CalendarTree).border_title = "Calendars"
        self.details.border_title = "Details"
        self.details.show(None)
        self.table.focus()
        # Events first: they are what the user opened cal365 for. The profile and the
        # calendar list are asked for right after, in the same breath: asking later would
        # ask for a second sign-in after a user who declined the first.
        self._panes_pending = True
        if self.cache.opener is not None and self._head_start is None:
            self.start_from_cache()  # the cache's view and rows first, then the requests
            return
        # No cache, or none to start from yet (a head start is made only then): the events
        # come from Graph at once, and a cache opens beside them to take over when it can.
        if self.cache.opener is not None:
            # Opened once the first rows are painted: asking the keyring and importing its
            # backends would otherwise hold the interpreter while the first screen is built.
            self.cache.beside = True
            self.set_timer(1.0, self.open_beside)
        self.open_calendar(CalendarRef(self.mailbox), "Calendar")
        if self._head_start is None:
            self._load_panes()  # else after the first rows: see on_feed_changed

    def _load_panes(self) -> None:
        if self._panes_pending:
            self._panes_pending = False
            if self.mailbox.kind == "me":
                self.load_user()
                self.load_groups()  # the user's own Microsoft 365 groups: /me/memberOf
            else:
                self.user_label = printable(self.mailbox.label, 80)
            self.load_calendars()

    def _update_titles(self) -> None:
        pane = self.query_one(EventsPane)
        pane.set_title(printable(self.calendar_name, 60), self.window.label_forms())
        count = self.shown_count()
        owner = self.owner_name() if self.toggles else None
        for toggle in sorted(self.toggles):
            count += f" · {quick_badge(toggle, owner)}"
        if self.marked:
            count += f" · {len(self.marked)} marked"
        pane.border_subtitle = Content(count)  # plain: it may name a calendar's owner
        fresh = self.feed.freshness(dt.datetime.now(self.tz)) if self.sync is not None else ""
        self.query_one(TitleBar).set_parts(self.user_label, fresh)

    def shown_count(self) -> str:
        """How many events the table shows, in the words every count on screen uses: "78
        events", or "17 of 78 events" while a filter or a quick toggle hides some."""
        table = self.table
        shown, total = len(table.visible_events), len(table.all_events)
        if shown == total and not table.filtering:
            return counted(total, "event")
        return f"{shown} of {counted(total, 'event')}"

    def owner_name(self) -> str | None:
        """The name of the person whose calendar is open, when it is not the user's own
        (None then): Graph's organizer flag and response there are that person's, so the
        words for ●/○, `m`, `d`, the details and the bulk dialog name them, not "you"."""
        mailbox = self.calendar.mailbox
        if mailbox.kind == "group":
            return None
        tree = self.query_one(CalendarTree)
        calendar = tree.calendar_of(self.calendar)
        if mailbox.kind != "user" or mailbox == self.mailbox:
            # One's own mailbox: a read-only calendar in it owned by someone else is one
            # they share (Graph's flags there are theirs too).
            if calendar is None or calendar.can_edit or not calendar.owner_name:
                return None
            mine = {a.lower() for a in (tree.own_address(), self.account) if a}
            return None if calendar.owner_address.lower() in mine else printable(
                calendar.owner_name, 60)
        name = (calendar.owner_name if calendar is not None else "") \
            or tree.section_title(user_key(mailbox)) or mailbox.id
        return printable(name, 60)

    # -- the sealed last frame ------------------------------------------------------------

    def seal_frame(self, fit: str) -> None:
        """Keep what the screen shows now for the next start to paint before anything else
        (tui/widgets/sealed_frame.py). Only a settled main screen with nothing on top: a
        frame that shows a dialog or half-loaded rows would be the wrong first look."""
        sync = self.sync
        table = self.table
        if sync is None or not sync.store.persistent or self.app.screen is not self \
                or not self.feed.settled:
            return
        # What the next start restores is the view and the selected event: marks, a filter
        # or a toggle shown in the frame would be gone from the screen that replaces it.
        if self.marked or self.toggles or table.filter_text or self.sending or self.bulk_running:
            return
        from tui.widgets.sealed_frame import encode

        current = table.current
        update = self._compositor.render_full_update(simplify=True)
        lines = [[segment for strip in line for segment in strip] for line in update.strips]
        view = self._last_view(current.id if current is not None else "")
        with contextlib.suppress(CacheError):  # the next start builds its screen as usual
            sync.store.save_last_view(view)  # the cursor's event: before the frame
            sync.store.save_frame(fit, encode(lines, self.size))

    # -- the cache: opening it, and what it keeps ------------------------------------------

    @work(thread=True, exclusive=True, group="cache", exit_on_error=False,
          description="Opening the calendar cache")
    def open_cache(self) -> None:
        """Off the UI thread: the keyring may take seconds to answer."""
        self.post_message(CacheOpened(self.cache.open()))

    def start_from_cache(self) -> None:
        """At start: a cache whose opening began before the UI and is done shows its first
        screen in this very frame, with no thread in between (each hand-over waits for the
        interpreter lock while the UI is busy starting); else it is waited for in a worker."""
        opener = self.cache.opener
        if not (isinstance(opener, StartedOpen) and opener.ready()):
            self.open_cache()
            return
        try:
            opened = self.cache.open()
        except Exception:  # unforeseen: the worker meets it again and reports it as usual
            self.open_cache()
            return
        self._cache_opened(opened, read_now=True)

    def on_cache_opened(self, message: CacheOpened) -> None:
        self._cache_opened(message.opening)

    def _cache_opened(self, opened: Opening, *, read_now: bool = False) -> None:
        for notice in opened.notices:
            self.notify(notice, title="Calendar cache", severity="warning", timeout=30)
        if opened.problem:
            self.notify(opened.problem, title="No calendar cache this run",
                        severity="warning", timeout=60)
        if self.cache.beside:
            self.cache.beside = False
            self._take_over(opened)
            return
        if opened.store is not None:
            self.cache.use(opened.store)
        if opened.signed_in and not self.user_label:
            self.user_label = opened.signed_in  # until Graph names the user again
        name = "Calendar"
        self.cache.tree = cached = opened.tree
        own = calendars_section(self.mailbox, cached) if cached is not None else []
        groups = groups_section(cached) if cached is not None else []
        users = user_sections(cached) if cached is not None else []
        tree = self.query_one(CalendarTree)
        if own:
            tree.set_section("me", None, own)
        if groups:
            tree.set_section("groups", GROUPS_TITLE, groups)
        for key, title, section in users:  # the mailboxes opened with `u`, as last listed
            tree.set_section(key, title, section)
        # Listed again once the window's rows are up, quietly (the cached ones stay if not).
        self._relist_pending = bool(users)
        view = opened.view
        known = {ref: shown_name(ref, calendar)
                 for sections in (own, groups, *(s for _, _, s in users))
                 for _, calendars in sections for ref, calendar in calendars}
        if self.restore_view and view is not None and view.view in VIEWS and (
                view.calendar.mailbox == self.mailbox or view.calendar in known
                or view.calendar.mailbox.kind == "group"):
            self.window = Window(view.view, view.start, agenda_days=view.days)
            self.calendar = view.calendar
            name = known.get(view.calendar, name)
        if (own or users) and not tree.select_ref(self.calendar):
            tree.select_default()  # the default calendar, named by no id
        self._panes_pending = True
        # The event the cursor was on at the last quit, as the sealed frame showed it.
        selected = view.selected if view is not None and view.calendar == self.calendar else ""
        self.open_calendar(self.calendar, name, selected or None, missing_ok=True,
                           read_now=read_now)
        if self.sync is not None and self.sync_every > 0:
            self._sync_timer = self.set_interval(self.sync_every * 60, self._periodic_sync)

    def open_beside(self) -> None:
        if self.cache.beside and not self.cache.beside_opening:
            self.cache.beside_opening = True
            self.open_cache()

    def _take_over(self, opened: Opening) -> None:
        """The cache opened beside a window listed from Graph: from now on it keeps what the
        screen shows, and the window goes into it with a sync (applied in place) once the
        listing is done."""
        if opened.store is None:
            return
        self.cache.use(opened.store)
        for key, section, title in self.cache.unsaved():
            self._in_background(self.cache.keep_section(key, section, title), "cache-edit")
        self._in_background(self.cache.save_view(self._last_view()), "save-view")
        if not self.feed.listing:
            self.sync_now()
        if self.sync_every > 0:
            self._sync_timer = self.set_interval(self.sync_every * 60, self._periodic_sync)

    def _last_view(self, selected: str = "") -> LastView:
        return LastView(self.calendar, self.window.anchor, self.window.agenda_days,
                        self.window.view, selected)

    def _in_background(self, work: Coroutine[Any, Any, None] | None, group: str) -> None:
        """Run a cache write off the UI thread; its failure costs only what it would keep."""
        if work is not None:
            self.run_worker(work, group=group, exit_on_error=False)

    def cache_cancelled(self, event_id: str) -> None:
        """A cancel went through: the cache forgets the event at once."""
        self._in_background(self.cache.cancelled(event_id), "cache-edit")

    def cache_tree(self, key: str, section: PaneSection, title: str | None = None) -> None:
        """A section of the calendars pane was listed: keep it for the next start."""
        self._in_background(self.cache.keep_section(key, section, title), "cache-edit")

    # -- loading a window ------------------------------------------------------------------

    def open_calendar(
        self, ref: CalendarRef, name: str, keep_id: str | None = None, *, missing_ok: bool = False,
        land_on: dt.date | None = None, read_now: bool = False,
    ) -> None:
        """Load `ref` for the current window; `keep_id` is the event to keep selected, and
        unless `missing_ok` its absence is reported (it went away on the server); `land_on`:
        a day the user asked for, whose first event the cursor goes to instead; `read_now`:
        the cache's first rows are read on this thread, for this very frame."""
        # A reload of the same window: what vanishes from it may take its drafts along.
        same = ref == self.calendar and self.window == self._shown_window
        self.rows.begin(keep_id, missing_ok=missing_ok, land_on=land_on, reload=same)
        self._shown_window = self.window
        self.calendar = ref
        self.calendar_name = name
        sync = self.sync
        generation = self.feed.begin(cached=sync is not None)
        self._update_titles()
        self.status.show(f"Loading {printable(name, 60)}…", "busy")
        start, end = self.window.bounds(self.tz)
        if sync is not None:  # the cached rows first, then a sync
            self._in_background(self.cache.save_view(self._last_view()), "save-view")
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
        ready = sources.head_start_now(self.client, ref, start, end, self._head_start)
        if ready is None:
            self.follow(sources.listing(self.client, ref, start, end, self._head_start),
                        generation)
            return
        # The page asked for at start is here already: in this very frame, then the rest.
        update, rest = ready
        self._feed_now(update)
        self.follow(rest, generation)

    def _feed_now(self, update: FeedUpdate) -> None:
        self.on_feed_changed(FeedChanged(self.feed.generation, update))

    def follow(self, updates: AsyncIterator[FeedUpdate], generation: int, *,
               after_paint: bool = False, description: str = "Loading events") -> None:
        """Run a source of the feed in the window's worker (one at a time: a new load or
        sync cancels the one before); `after_paint`: once the rows shown now are painted."""

        async def run() -> None:
            if after_paint:
                await self.wait_for_paint()
            async for update in updates:
                self.post_message(FeedChanged(generation, update))

        self.run_worker(run(), group="events", exclusive=True, exit_on_error=False,
                        description=description)

    def sync_now(self, *, asked: bool = False) -> None:
        """Sync the window on screen, keeping its rows (`r`, the timer, the network back).
        `asked`: the user pressed `r`, so an outcome is reported even while offline."""
        sync = self.sync
        if sync is None:
            return
        # Kept until an outcome: a retry by the timer meanwhile must not make `r` quiet.
        self.feed.asked = self.feed.asked or asked
        self.feed.listing = False  # a listing still going is cancelled by the sync
        if asked:
            self.relist_mailboxes()
        if self.feed.reading:  # a load still reading the cache: start it over instead
            self.open_calendar(self.calendar, self.calendar_name, self._current_id(),
                               missing_ok=True)
            return
        start, end = self.window.bounds(self.tz)
        self.follow(sources.synced(sync, self.calendar, start, end), self.feed.generation,
                    description="Syncing")

    def _periodic_sync(self) -> None:
        if self.feed.settled and not self.feed.offline:
            self.sync_now()

    def _after_first_rows(self) -> None:
        """Requests for the other panes, once the first rows are painted: the first of them
        sets up the HTTP client, which would hold that frame back."""
        self._load_panes()
        if self._relist_pending:
            self._relist_pending = False
            self.relist_mailboxes()

    def on_feed_changed(self, message: FeedChanged) -> None:
        """The one handler of a window's rows, whichever source they come from."""
        self.after_paint(self._after_first_rows)
        if self.cache.beside:
            self.after_paint(self.open_beside)
        if message.generation != self.feed.generation:
            return
        update, feed = message.update, self.feed
        # Changes are news only against an earlier sync; a window's first round just fills
        # the cache with what the screen may already show.
        known_before, was_offline = feed.synced_at is not None, feed.offline
        feed.took(update)
        taken = self.rows.take(update, self._gone)
        marks = ""
        if update.source != "cache":  # cached rows may be older than the marks and drafts
            how = "in the sync" if update.source == "sync" else "on reload"
            self.events_settled(taken.events, taken.vanished)
            marks = self.marks_follow(taken.events, taken.vanished, how=how)
        if update.final:
            self._window_final(update, taken.lost, marks, known_before, was_offline)
        elif update.done and (self.table.all_events or update.as_of is not None):
            self.table.set_placeholder("No events in this window.")
            # The sync may still bring the day's events: the landing is looked at again.
            landing = self.rows.landed(final=False)
            self.status.show(f"{printable(self.calendar_name, 60)}: {self.shown_count()} "
                             f"from the cache; syncing…{landing}"
                             f"{odd_note(self.table.all_events)}", "info")
            self._show_details(self.table.current)
        self._update_titles()

    def _window_final(self, update: FeedUpdate, lost: Event | None, marks: str,
                      known_before: bool, was_offline: bool) -> None:
        """The window's rows are all in: what the status line says of them."""
        table = self.table
        if update.source != "sync" and self.sync is not None:
            self.sync_now()  # the cache opened beside the listing: the window goes into it
        table.set_placeholder("No events in this window.")
        name, count = printable(self.calendar_name, 60), self.shown_count()
        changes = changes_note(update.counts) if known_before else ""
        note, self._startup_note = self._startup_note, ""
        back = " Back online." if was_offline else ""
        if was_offline:
            self.relist_mailboxes()
        missed = self.rows.keep_missed()
        landing = self.rows.landed(final=True)  # may move the cursor: after `lost` is known
        if lost is not None:
            self.status.show(f"{name}: {count}{changes}. {_short(lost)} is no longer there "
                             f"(cancelled or deleted elsewhere).{marks}", "info")
        elif missed:
            self.status.show(f"{name}: {count}. The event you had selected is no longer "
                             f"there.{marks}", "info")
        else:
            self.status.show(f"{name}: {count}{changes}.{landing}{marks}"
                             f"{odd_note(table.all_events)}{back}{note}", "info")
        self._show_details(table.current)

    @work(exclusive=True, group="user", exit_on_error=False, description="Loading your profile")
    async def load_user(self) -> None:
        self.post_message(SignedIn(await self.client.me()))

    @work(exclusive=True, group="tree", exit_on_error=False, description="Loading calendars")
    async def load_calendars(self) -> None:
        groups = await self.client.calendar_groups(self.mailbox)
        limit = asyncio.Semaphore(_CONCURRENCY)

        async def calendars_of(group_id: str) -> list[tuple[CalendarRef, Calendar]]:
            async with limit:
                found = await self.client.calendars_in_group(self.mailbox, group_id)
            return [(CalendarRef(self.mailbox, c.id, group_id), c) for c in found]

        results = await asyncio.gather(*(calendars_of(g.id) for g in groups))
        self.post_message(CalendarsLoaded("me", None, list(zip(groups, results, strict=True))))

    @work(exclusive=True, group="groups", exit_on_error=False)
    async def load_groups(self) -> None:
        """The user's Microsoft 365 groups, beside their own calendars.

        Listing them needs only the base sign-in; each group's calendar is read when the user
        opens it, which is when the extra group permission is asked for.
        """
        try:
            groups = await self.client.member_groups()
        except (GraphError, GraphUnavailable):
            return  # Not all tenants or consents allow listing groups: leave them out quietly.
        found = [(CalendarRef(Mailbox("group", g.id)), g.as_calendar()) for g in groups]
        if found:
            self.post_message(CalendarsLoaded("groups", GROUPS_TITLE, [(None, found)]))

    @work(group="mailbox", exit_on_error=False, description="Opening the mailbox")
    async def load_mailbox(self, mailbox: Mailbox) -> None:
        """Another user's calendars (see `tui.sync.list_mailbox`), as a section of the pane."""
        title, section = await list_mailbox(self.client, mailbox)
        self.post_message(CalendarsLoaded(user_key(mailbox), title, section))

    def _name_mailbox(self, mailbox: Mailbox, section: Section) -> None:
        """File the drafts of a mailbox opened with `u` under one key, whichever name its
        events are reached through (see `tui.sync.mailbox_names`)."""
        named = mailbox_names(mailbox, section)
        if named is None:
            return
        try:
            self.drafts.same_mailbox(named[1], named[0])
        except DraftsError as error:
            self.status.show(str(error), "error")

    # The dialogs are imported on first use: the first screen does not need them.

    def action_audit(self) -> None:
        from tui.screens.audit_view import AuditScreen

        self.app.push_screen(AuditScreen(self.tz))

    def action_open_mailbox(self) -> None:
        from tui.screens.prompt import PromptScreen

        def opened(text: str | None) -> None:
            if text:
                self.status.show(f"Opening {printable(text, 80)}…", "busy")
                self.load_mailbox(Mailbox("user", text))

        prompt = PromptScreen(
            "Open another person's calendars",
            "user@contoso.com or a user id",
            check=lambda text: None if text else "type a user name (UPN) or id",
        )
        self.app.push_screen(prompt, opened)

    def on_signed_in(self, message: SignedIn) -> None:
        user = message.user
        self.account = user.user_principal_name or None
        self.user_label = printable(user.display_name or user.user_principal_name, 80)
        if user.user_principal_name and user.display_name:
            self.user_label += f" <{printable(user.user_principal_name, 80)}>"
        self._in_background(self.cache.save_signed_in(self.user_label), "save-signed-in")
        self._update_titles()

    def on_calendars_loaded(self, message: CalendarsLoaded) -> None:
        tree = self.query_one(CalendarTree)
        again = tree.has_section(message.key)
        tree.set_section(message.key, message.title, message.groups)
        self.cache_tree(message.key, message.groups, message.title)
        refs = [ref for _, calendars in message.groups for ref, _ in calendars]
        if message.key.startswith("user:") and refs and not self.drafts.knows(
                refs[0].mailbox.key):
            self._name_mailbox(refs[0].mailbox, list(message.groups))
        # Show the open calendar, unless the user has taken the cursor somewhere else.
        if message.key == "me" and not tree.placed_by_user and not tree.select_ref(self.calendar):
            tree.select_default()
        if message.key.startswith("user:") and message.announce:
            # Only a mailbox the user asked for (`u`) is announced: the sections loaded at
            # start must not cover a line about the events, an error above all.
            who = printable(message.title or message.key, 80)
            self.status.show(f"Reloaded {who} in the calendars pane." if again
                             else f"Added {who} to the calendars pane.", "info")

    def _graph_waits(self, notice: WaitNotice) -> None:
        # Called inside the Graph client (a worker's task): hand it over as a message.
        self.post_message(GraphWaiting(notice))

    def on_graph_waiting(self, message: GraphWaiting) -> None:
        if self.sync is not None and self.feed.offline:
            return  # retrying while offline: the title bar already says so
        status, line = self.status, message.notice.message + "…"
        if status.message not in self._wait_lines:
            self._before_wait = (status.message, status.kind)
        self._wait_lines.add(line)
        status.show(line, "busy")
        # Nothing else may follow a retry that worked (a background load, say): once the
        # wait is over, the line before it comes back unless something else was said since.
        self.set_timer(message.notice.seconds + 0.5, partial(self._wait_over, line))

    def _wait_over(self, line: str) -> None:
        if self.status.message == line:
            self.status.show(*self._before_wait)

    def _retry_offline(self) -> None:
        self.feed.retry_pending = False
        if self.feed.offline:
            self.load_calendars()
            if self.sync is not None:
                if self.account is None and self.mailbox.kind == "me":
                    self.load_user()  # the title's name may be the cache's: the account is not
                self.sync_now()
                return
            self.open_calendar(
                self.calendar, self.calendar_name, self._current_id(), missing_ok=True
            )

    def _current_id(self) -> str | None:
        current = self.table.current
        return current.id if current else None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The error funnel: a worker that fails for any reason ends as one status line."""
        worker = event.worker
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        if worker.group == "cache":  # no cache this run: start as without one
            self.post_message(CacheOpened(Opening(None, problem=describe(worker.error))))
            return
        if worker.group == "events":
            self.table.set_placeholder("Could not load events: press r to retry.")
            self._load_panes()
            self.feed.failed()  # the title bar stops saying "syncing…"
            self._update_titles()
        what = worker.description or "A background task"
        if (isinstance(worker.error, GraphUnavailable) and self.sync is not None
                and worker.group != "mailbox"):
            # With a cache: one quiet offline mode. Opening a mailbox is a request the user
            # just made, so its failure is always said (below), offline or not.
            self.went_offline(worker.error)
            return
        if isinstance(worker.error, GraphUnavailable) and worker.group in ("events", "tree"):
            # The network is down: keep what is on screen and try again by ourselves.
            self.feed.offline = True
            self._retry_later()
            self.status.show(
                f"{what} failed: {describe(worker.error)}. Retrying in {self.offline_retry:.0f} s.",
                "error",
            )
            return
        self.status.show(f"{what} failed: {describe(worker.error)}", "error")


    def _retry_later(self) -> None:
        if not self.feed.retry_pending:
            self.feed.retry_pending = True
            self.set_timer(self.offline_retry, self._retry_offline)

    def went_offline(self, error: GraphUnavailable) -> None:
        """Graph cannot be reached (any worker): keep showing the cache, say so once, and
        try again by ourselves until the network is back (then a sync catches up)."""
        was_offline, asked = self.feed.went_offline()
        said, self.feed.said = self.feed.said, True
        self.table.set_placeholder("Offline, and nothing cached for this window.")
        self._update_titles()
        self._retry_later()
        if was_offline and not asked:
            if not said:  # a window opened while offline: what it shows, in place of "Loading"
                self.status.show(f"{printable(self.calendar_name, 60)}: {self.shown_count()} "
                                 "from the cache (offline)." if self.table.all_events else
                                 "Offline, and nothing cached for this window.", "info")
            return  # the title bar says "offline"; retries by the timer stay quiet
        shown = ("Showing the cached events; browsing, windows and filters work"
                 if self.table.all_events else "Nothing cached for this window")
        self.status.show(f"Offline: {describe(error)}. {shown}; cal365 syncs by itself when "
                         "the network is back.", "error")

    # -- mailboxes opened with `u` ---------------------------------------------------------

    def relist_mailboxes(self) -> None:
        """List the opened mailboxes again (at start, on `r`, back online): calendars added
        or removed there show, and the cached tree follows."""
        for mailbox in self.cache.opened_mailboxes():
            self.relist_mailbox(mailbox)

    @work(exit_on_error=False, description="Listing an opened mailbox again")
    async def relist_mailbox(self, mailbox: Mailbox) -> None:
        try:
            title, section = await list_mailbox(self.client, mailbox)
        except (GraphError, GraphUnavailable):
            return  # offline, or no longer readable: the cached section stays as it was
        self.post_message(CalendarsLoaded(user_key(mailbox), title, section, announce=False))

    # -- navigation ------------------------------------------------------------------------

    @on(Tree.NodeSelected, "#calendars")
    def _calendar_chosen(self, event: Tree.NodeSelected[CalendarNode | None]) -> None:
        node = event.node.data
        if node is None:
            return
        self.open_calendar(node.ref, shown_name(node.ref, node.calendar))
        self.table.focus()

    def _show_details(self, event: Event | None) -> None:
        master = event.series_master_id if event is not None else None
        owner = self.owner_name() if event is not None and event.ref.mailbox.kind == "me" \
            else None
        self.details.show(event, self.series.get(master) if master else None, owner)
        if event is not None and master and master not in self.series:
            self.load_series(EventRef(master, event.ref.mailbox, event.ref.calendar))

    @on(EventTable.Highlighted)
    def _event_highlighted(self, message: EventTable.Highlighted) -> None:
        self._show_details(message.event)

    @on(EventTable.Opened)
    def _event_opened(self, message: EventTable.Opened) -> None:
        self._show_details(message.event)
        self.details.focus()

    @work(exclusive=True, group="series", exit_on_error=False, description="Loading the series")
    async def load_series(self, master: EventRef) -> None:
        # Only an enrichment of the details pane: a failure leaves the pattern out quietly.
        try:
            recurrence = (await self.client.event(master)).recurrence
        except (GraphError, GraphUnavailable):
            recurrence = None
        self.post_message(SeriesLoaded(master.event_id, recurrence))

    def on_series_loaded(self, message: SeriesLoaded) -> None:
        self.series[message.master_id] = message.recurrence
        current = self.table.current
        if current is not None and current.series_master_id == message.master_id:
            self._show_details(current)

    def _checked_link(self, verb: str) -> tuple[Event, str] | None:
        """The current event and its Outlook link when that link may be opened or copied
        (tui.links); else None, and the status bar says why. The server's link is never
        quoted: it is not text to show until checked."""
        event = self.table.current
        if event is None:
            self.status.show(words.NO_EVENT, "info")
            return None
        if not event.web_link:
            self.status.show("This event has no Outlook link.", "info")
            return None
        problem = web_link_problem(event.web_link, self.client.base_url)
        if problem is not None:
            self.status.show(f"Not {verb}: the Outlook link the server sent for "
                             f"{_short(event)} is refused: {problem}.", "error")
            return None
        return event, event.web_link

    def action_open_web(self) -> None:
        checked = self._checked_link("opened")
        if checked is None:
            return
        event, link = checked
        if open_in_browser(link):
            self.status.show(f"Opened {_short(event)} in the browser.", "info")
            return
        # No browser here (SSH, no display): copy, and show the link whole, since the copy
        # may never arrive (tmux without set-clipboard, a terminal without OSC 52).
        self.app.copy_to_clipboard(link)
        self.status.show(
            "No local browser here (remote session): the Outlook link is shown to select by "
            "hand, and copied to your clipboard if the terminal allows OSC 52 (tmux: "
            "set -g set-clipboard on).",
            "info",
        )
        from tui.screens.link import LinkScreen

        self.app.push_screen(LinkScreen(link, _short(event)))

    def action_copy_link(self) -> None:
        checked = self._checked_link("copied")
        if checked is None:
            return
        event, link = checked
        self.app.copy_to_clipboard(link)
        self.status.show(f"Copied the Outlook link of {_short(event)} with OSC 52. Nothing "
                         "arrived? Some terminals ignore it, and tmux needs set -g "
                         "set-clipboard on; o shows the link where no browser can open.", "info")

    def action_focus_events(self) -> None:
        self.table.focus()

    # -- filtering ---------------------------------------------------------------------------

    def _refilter(self) -> None:
        text = self.query_one(FilterInput).value
        self.table.set_filter(text, self.triage.keep)
        self._update_titles()
        self.refresh_bindings()  # Esc in the events pane clears a filter only when one is on
        if self.status.kind == "info":
            # The count said last must agree with the rows shown (an error stays in sight).
            self.status.show(self._filter_words(), "info")

    def _filter_words(self) -> str:
        """The open calendar's count as the filter and toggles leave it, and what hides
        events: "Calendar: 17 of 78 events match “review” (only mine)."."""
        table = self.table
        words = f"{printable(self.calendar_name, 60)}: {self.shown_count()}"
        if table.filter_text:
            words += f" match “{printable(table.filter_text, 80)}”"
        if self.toggles:
            owner = self.owner_name()
            words += f" ({', '.join(quick_badge(t, owner) for t in sorted(self.toggles))})"
        return words + "."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_kept_filter":
            # Offered only while there is a filter to clear (and once the table is there).
            tables = self.query(EventTable)
            return bool(tables) and bool(tables.first().filter_text)
        return True

    def action_filter(self) -> None:
        line = self.query_one(FilterInput)
        line.add_class("-shown")
        line.focus()

    @on(Input.Changed, "#filter")
    def _filter_typed(self) -> None:
        self._refilter()

    @on(Input.Submitted, "#filter")
    def _filter_kept(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        line = self.query_one(FilterInput)
        line.value = ""
        line.remove_class("-shown")
        self._refilter()
        self.table.focus()

    def action_clear_kept_filter(self) -> None:
        """Esc in the events pane: the filter kept with Enter goes, every event shows again
        (the quick toggles stay: each has its own key)."""
        self.action_clear_filter()

    def action_quick(self, name: str) -> None:
        self.triage.flip(name)
        self._refilter()

    def _move_window(self, window: Window, land_on: dt.date | None = None) -> None:
        """Show `window`; the cursor stays on its event, or with `land_on` goes to that
        day's first event."""
        if not window.in_range:
            self.status.show(f"That is as far as it goes: {RANGE_NOTE}.", "info")
            return
        current = self.table.current
        self.window = window
        keep = current.id if current and land_on is None else None
        self.open_calendar(self.calendar, self.calendar_name, keep, missing_ok=True,
                           land_on=land_on)

    def action_view(self, view: str) -> None:
        if view in VIEWS:
            self._move_window(self.window.with_view(view))

    def action_shift(self, steps: int) -> None:
        self._move_window(self.window.shifted(steps))

    def action_today(self) -> None:
        self._move_window(self.window.at(self.today), land_on=self.today)

    def action_goto(self) -> None:
        from tui.screens.prompt import PromptScreen

        def check(text: str) -> str | None:
            try:
                parse_day(text, self.today)
            except ValueError as error:
                return str(error)
            return None

        def chosen(text: str | None) -> None:
            if text:
                day = parse_day(text, self.today)
                self._move_window(self.window.at(day), land_on=day)

        prompt = PromptScreen("Go to date", "2026-12-01, today, +3, -7, friday…", check=check)
        self.app.push_screen(prompt, chosen)

    def action_refresh(self) -> None:
        current = self.table.current
        self.load_calendars()
        if self.sync is not None:
            self.sync_now(asked=True)
            return
        self.open_calendar(self.calendar, self.calendar_name, current.id if current else None)

    # -- marks and bulk cancel ---------------------------------------------------------------
    # The rules live in tui.actions (triage state, cancels, outcomes); the words in
    # tui.screens.words. Here: keys and messages in, widgets and status lines out.

    @property
    def bulk_running(self) -> bool:
        return self.triage.bulk.running

    @property
    def bulk_results(self) -> list[tuple[Event, BatchItemOutcome]]:
        return self.triage.bulk.results

    def _marks_changed(self) -> None:
        self.table.set_marked(set(self.marked))
        self._update_titles()

    def marks_follow(self, events: Iterable[Event], vanished: Iterable[str], *,
                     how: str = "in the sync") -> str:
        """Marks follow a sync or reload (`Triage.follow`). Returns the line that says
        which went ("" if none); their comment drafts stay where they are."""
        gone = self.triage.follow(events, vanished)
        if gone:
            self._marks_changed()
        return words.marks_went(gone, len(self.marked), how)

    def action_toggle_mark(self) -> None:
        event = self.table.current
        if event is None:
            self.status.show(words.NO_EVENT_TO_MARK, "info")
            return
        self.triage.toggle_mark(event)
        self._marks_changed()
        self.table.action_cursor_down()

    def action_mark_all(self) -> None:
        if not self.table.visible_events:
            self.status.show(words.NOTHING_TO_MARK, "info")
            return
        self.triage.mark_all(self.table.visible_events)
        self._marks_changed()

    def action_unmark_all(self) -> None:
        if not self.triage.unmark_all():
            self.status.show(words.NONE_MARKED, "info")
            return
        self._marks_changed()

    def _open_bulk(self) -> None:
        if self.bulk_running:
            self.status.show(words.BULK_RUNNING, "busy")
            return
        from tui.screens.bulk import BulkCancelScreen

        draft = self.drafts.get(*_BULK_DRAFT) or ""
        live = self.triage.live_marks()
        dialog = BulkCancelScreen(live, draft, self._marks_owner(live),
                                  keep=partial(self.drafts.put, *_BULK_DRAFT))
        self.app.push_screen(dialog, self._bulk_decided)

    def _marks_owner(self, events: list[Event]) -> str | None:
        """Whose organizer flag the marked events carry, when all are in the open calendar
        and it is another person's (see `owner_name`); None otherwise."""
        if events and all(e.ref.calendar == self.calendar for e in events):
            return self.owner_name()
        return None

    def _bulk_decided(self, decision: BulkDecision | None) -> None:
        if decision is None:
            return
        self._save_bulk_draft(decision.comment)
        if not decision.send:
            self.status.show(words.BULK_NOT_SENT, "info")
            return
        if self.sync is not None and self._offline:
            self.status.show(words.BULK_OFFLINE, "error")
            return
        live = self.triage.live_marks()
        if not live:  # a sync while the dialog was open took them away
            self.status.show(words.BULK_MARKS_WENT, "info")
            return
        events = self.triage.to_send(live, include_others=decision.include_others)
        if not events:
            self.status.show(words.bulk_none_organized(self._marks_owner(live)), "info")
            return
        self._start_bulk(events, decision.comment, check_first=False)

    def _start_bulk(self, events: list[Event], comment: str, *, check_first: bool) -> None:
        self.triage.begin_bulk(len(events))
        self.status.show(words.bulk_cancelling(len(events)), "busy")
        self.bulk_cancel(BulkRun(self.client, events, comment, check_first=check_first,
                                 account=self.account))

    @work(group="bulk", exit_on_error=False, description="Bulk cancel")
    async def bulk_cancel(self, run: BulkRun) -> None:
        problem = await run.blocked()
        if problem is not None:
            self.post_message(BulkBlocked(problem))
            return
        try:
            async for answer in run.answers():
                self.post_message(BulkProgress(answer))
        finally:
            self.post_message(BulkFinished(run.batches))

    def on_bulk_progress(self, message: BulkProgress) -> None:
        answer = message.answer
        event = answer.event
        if answer.kind == "done":
            self._drop_drafts(event.ref.mailbox.key, [event.id])
        if self.triage.bulk_answered(answer):
            self.cache_cancelled(event.id)
            self.table.remove_id(event.id)
        self.status.show(words.bulk_progress(self.triage.bulk), "busy")

    def on_bulk_finished(self, message: BulkFinished) -> None:
        tally = self.triage.end_bulk()
        self._quit_warned = False
        self._marks_changed()
        self._show_details(self.table.current)
        self.status.show(*words.bulk_done(tally))
        if tally.left == 0:
            self._save_bulk_draft("")
        from tui.screens.bulk import BulkResultsScreen

        screen = BulkResultsScreen(list(tally.results), message.batches, words.not_logged(tally))
        self.app.push_screen(screen, partial(self._results_closed, screen))

    def _results_closed(self, screen: BulkResultsScreen, retry: bool | None) -> None:
        if retry:
            # Unknown outcomes are looked at before anything is sent again.
            events = [e for e, _ in screen.retryable]
            self._start_bulk(events, self.drafts.get(*_BULK_DRAFT) or "", check_first=True)

    # -- drafts ------------------------------------------------------------------------------

    def _save_bulk_draft(self, text: str) -> None:
        try:
            self.drafts.put(*_BULK_DRAFT, text)
        except DraftsError as error:
            self.status.show(str(error), "error")

    def _drop_drafts(self, mailbox: str, event_ids: list[str]) -> None:
        """The events' cancels went through (by any route): their comments are done with."""
        try:
            self.drafts.discard_events(mailbox, event_ids)
        except DraftsError as error:
            self.status.show(str(error), "error")

    def events_settled(self, events: Iterable[Event], vanished: Iterable[str]) -> None:
        """Events as Graph now has them, and ids no longer in the calendar on screen. A
        cancelled one's draft goes; a vanished one's only once Graph confirms it is
        cancelled or deleted (it may just have moved out of the window)."""
        mailbox = self.calendar.mailbox.key
        cancelled = [e.id for e in events if e.is_cancelled and self.drafts.get(mailbox, e.id)]
        if cancelled:
            self._drop_drafts(mailbox, cancelled)
        check = [i for i in vanished if self.drafts.get(mailbox, i) is not None]
        if check:
            self.check_drafts([EventRef(i, self.calendar.mailbox, self.calendar)
                               for i in check])

    @work(group="drafts", exit_on_error=False, description="Checking drafts")
    async def check_drafts(self, refs: list[EventRef]) -> None:
        settled = await settled_drafts(self.client, refs)
        if settled:
            self.post_message(DraftsSettled(refs[0].mailbox.key, settled))

    def on_drafts_settled(self, message: DraftsSettled) -> None:
        self._drop_drafts(message.mailbox, message.event_ids)

    def _keep_draft(self, event: Event, text: str) -> None:
        """Remember (or, with empty text, forget) the comment typed for `event`."""
        try:
            self.drafts.put(event.ref.mailbox.key, event.id, text)
        except DraftsError as error:
            self.status.show(str(error), "error")

    # -- cancelling one event ------------------------------------------------------------------

    def action_cancel_from_tree(self) -> None:
        # From the calendars pane a cancel would hit an event the user is not looking at.
        self.status.show(words.CANCEL_FROM_TREE, "info")

    def action_cancel_event(self) -> None:
        if self.marked:
            self._open_bulk()
            return
        event = self.table.current
        if event is None:
            self.status.show(words.NO_EVENT, "info")
            return
        if event.id in self.sending:
            self.status.show(words.on_its_way(event), "busy")
            return
        if event.is_cancelled:
            # Already called off by its organizer: a cancel could only be refused, and the
            # check after a lost answer would read the old flag as our success.
            self.status.show(words.already_cancelled(event), "info")
            return
        draft = self.drafts.get(event.ref.mailbox.key, event.id) or ""
        now = dt.datetime.now(self.tz)
        upcoming = sum(
            1
            for e in self.table.all_events
            if e.series_master_id is not None
            and e.series_master_id == event.series_master_id
            and (e.start is None or e.start >= now)
        )
        from tui.screens.cancel import CancelScreen

        dialog = CancelScreen(event, draft, series_in_view=upcoming,
                              keep=partial(self.drafts.put, event.ref.mailbox.key, event.id))
        self.app.push_screen(dialog, partial(self._cancel_decided, event))

    def _cancel_decided(self, event: Event, decision: CancelDecision | None) -> None:
        if decision is None:
            return
        self._keep_draft(event, decision.comment)
        if not decision.send:
            self.status.show(words.not_sent(event, kept=bool(decision.comment)), "info")
            return
        if self.sync is not None and self._offline:
            # Nothing is queued: the user sends it again once the network is back.
            self.status.show(words.offline_refusal(event, kept=bool(decision.comment)),
                             "error")
            return
        if not self.triage.begin_send(event.id):
            return
        request = CancelRequest.of(event, decision.comment,
                                   whole_series=decision.whole_series)
        self.status.show(words.cancelling(event, series=request.series), "busy")
        self.send_cancel(request)

    @work(group="cancel", exit_on_error=False, description="Cancelling")
    async def send_cancel(self, request: CancelRequest) -> None:
        """Cancel the event, or the series it belongs to (`request.target`)."""
        try:
            self.post_message(CancelAnswered(
                await run_one(self.client, request, account=self.account)))
        finally:
            self.post_message(CancelFinished(request.event.id))

    def on_bulk_blocked(self, message: BulkBlocked) -> None:
        # A bulk cancel the audit log could not take: nothing went, the marks stay.
        self.triage.end_bulk()
        self._quit_warned = False
        self.status.show(words.bulk_blocked(message.reason), "error")

    def on_cancel_answered(self, message: CancelAnswered) -> None:
        answer = message.answer
        event = answer.request.event
        if answer.blocked is not None:
            self.status.show(words.blocked(event, answer.blocked), "error")
            return
        if answer.kind == "done":
            self._cancelled(answer)
        has_draft = bool(self.drafts.get(event.ref.mailbox.key, event.id))
        self.status.show(*words.answered(answer, has_draft=has_draft))

    def _cancelled(self, answer: Answer) -> None:
        event, target = answer.request.event, answer.request.target
        series = target.event_id != event.id
        # Every occurrence of a cancelled series is cancelled: their drafts go too.
        done = [event.id, target.event_id]
        if series:
            done += [e.id for e in self.table.all_events
                     if e.series_master_id == event.series_master_id]
        self._drop_drafts(event.ref.mailbox.key, done)
        self.triage.cancelled([event.id])
        self.cache_cancelled(target.event_id if series else event.id)
        if series:
            for other in list(self.table.all_events):
                if other.series_master_id == event.series_master_id:
                    self.triage.cancelled([other.id])
                    self.table.remove_id(other.id)
        else:
            self.table.remove_id(event.id)
        self._show_details(self.table.current)
        self._update_titles()

    def on_cancel_finished(self, message: CancelFinished) -> None:
        self.triage.end_send(message.event_id)
        self._quit_warned = False

    def may_quit(self) -> bool:
        """False, and why said, the first time q comes while a cancel is on its way: quitting
        then would leave its outcome unseen and out of the audit log."""
        if not self.triage.busy or self._quit_warned:
            return True
        self._quit_warned = True
        self.status.show(words.QUIT_WHILE_SENDING, "busy")
        return False
