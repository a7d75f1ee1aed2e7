"""The main screen: calendars, events and details side by side, a status bar below.

The screen owns the state (open calendar, window, drafts, cancels in flight); workers only
talk to Graph and post messages back. A window's rows come through the one event feed
(`tui.feed`), from Graph or from the local cache and a sync, as `FeedChanged` messages with
one handler; with a cache the screen starts from it and works offline.

The screen is the part Textual talks to: its workers, message handlers and actions. What
they do is in plain controllers beside it, each with one job: loading.py (the window's
rows, and offline), panes.py (the calendars pane), cancels.py (marks and cancels),
drafts.py (the comment drafts), browse.py (details, filter, day prompt, links),
waits.py (Graph's waits on the status line) and starting.py (the start from the cache,
and the frame sealed at quit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Tree
from textual.worker import Worker, WorkerState

from tui.actions.drafts import Drafts
from tui.actions.triage import Triage
from tui.commands import bindings, quick_badge
from tui.feed.cache import CacheLink, Opening, PaneSection
from tui.feed.state import FeedState
from tui.graph import ME, CalendarRef, Event, EventRef, Mailbox
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
from tui.problems import describe
from tui.screens import status_lines as words
from tui.screens.main.browse import Details, FilterLine, Links, ask_day, series_of, shown_count
from tui.screens.main.cancels import CancelHooks, Cancels, run_bulk, send_one
from tui.screens.main.drafts import DraftKeeper
from tui.screens.main.loading import LoadHooks, OpenView, WindowLoader
from tui.screens.main.panes import (
    GROUPS_TITLE,
    ask_mailbox,
    calendars_loaded,
    member_groups,
    own_calendars,
    owner_name,
    relisted,
    user_label,
)
from tui.screens.main.replies import Replies
from tui.screens.main.starting import CacheStart, StartHooks
from tui.screens.main.waits import WaitLines
from tui.screens.status_lines import short as _short
from tui.screens.window_rows import WindowRows
from tui.startup.collector import resume_collection
from tui.startup.opening import CacheOpening
from tui.startup.painting import PaintWatcher
from tui.stylesheet import stylesheet
from tui.sync import SyncController, list_mailbox, user_key
from tui.widgets.calendar_tree import CalendarNode, CalendarTree, shown_name
from tui.widgets.event_details import DetailsFrame, EventDetails
from tui.widgets.event_table import EventTable
from tui.widgets.events_pane import EventsPane
from tui.widgets.filter_input import FilterInput
from tui.widgets.format import printable
from tui.widgets.key_bar import KeyBar
from tui.widgets.status_bar import StatusBar
from tui.widgets.title_bar import TitleBar
from tui.window import VIEWS, Window

if TYPE_CHECKING:  # the sending and Graph's waits import httpx: not at start
    from tui.actions.cancel import ActionRequest, BulkRun
    from tui.graph import GraphClient  # httpx: not before the first frame
    from tui.graph.policy import WaitNotice
    from tui.startup.headstart import HeadStart


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
        cache: CacheOpening | None = None,
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
        # Whose calendars: the signed-in user, or (app-only sign-in, which has no /me) a UPN.
        self.mailbox = mailbox
        self.view = OpenView(CalendarRef(mailbox), "Calendar",
                             Window("agenda", today, agenda_days=days))
        self.user_label = ""
        self.account: str | None = None
        # Comment drafts outlive refusals, failures and crashes: saved on every change.
        self.drafts = Drafts.load()
        self.keeper = DraftKeeper(self.drafts, lambda: self.status)
        # Marks, toggles, cancels on their way: the UI-free state (tui.actions.triage). The
        # names below are the same objects, for the load paths and tests that read them.
        self.triage = Triage()
        self.marked = self.triage.marked
        self.toggles = self.triage.toggles
        self.sending = self.triage.sending
        self._panes_pending = False
        self._sync_timer: Timer | None = None
        # The parts of the screen, each a plain controller its handlers and actions call.
        self.cancels = Cancels(self.triage, self.keeper, CancelHooks(
            screen=self, client=client, table=lambda: self.table, status=lambda: self.status,
            tz=tz, calendar=lambda: self.calendar, owner_name=self.owner_name,
            account=lambda: self.account,
            refused_offline=lambda: self.sync is not None and self._offline,
            marks_changed=self._marks_changed, shown=self._table_changed,
            forget=self.cache_cancelled, send=self.send_cancel, send_bulk=self.bulk_cancel))
        self.replies = Replies(self.cancels)
        self.filter_line = FilterLine(
            self, self.triage, owner_name=self.owner_name, changed=self._update_titles,
            count=self._count_line)
        self.links = Links(self, client)
        self.details_pane = Details(self, self.owner_name, self._series_wanted)
        self.waits = WaitLines(self)
        self.loader = WindowLoader(self.view, self.feed, self.rows, LoadHooks(
            screen=self, client=client, tz=tz, head_start=head_start, cache=self.cache,
            gone=self.triage.gone, titles=self._update_titles, count=self._count_line,
            show_details=self._show_details, settled=self._rows_settled,
            relist=self.relist_mailboxes, last_view=lambda: self.starting.last_view(),
            in_background=self._in_background, deliver=lambda m: self.on_feed_changed(m),
            load_panes=self._load_panes, retry=self._retry_offline,
            retry_after=lambda: self.offline_retry),
            words.drafts_at_start(self.drafts.problem, len(self.drafts)))
        self.starting = CacheStart(StartHooks(
            screen=self, view=self.view, feed=self.feed, cache=self.cache, mailbox=mailbox,
            opening=cache, open_cache=self.open_cache, open_calendar=self.open_calendar,
            sync_now=self.sync_now, periodic_sync=self._start_periodic_sync,
            in_background=self._in_background, restore_view=lambda: self.restore_view,
            cached_user=self._cached_user, panes_wanted=self._panes_wanted, busy=self._busy))

    # What is open, kept in `view` (shared with the loader): read and set as before.
    @property
    def window(self) -> Window:
        return self.view.window

    @window.setter
    def window(self, window: Window) -> None:
        self.view.window = window

    @property
    def calendar(self) -> CalendarRef:
        return self.view.calendar

    @calendar.setter
    def calendar(self, calendar: CalendarRef) -> None:
        self.view.calendar = calendar

    @property
    def calendar_name(self) -> str:
        return self.view.name

    @calendar_name.setter
    def calendar_name(self, name: str) -> None:
        self.view.name = name

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
            yield DetailsFrame(EventDetails(id="details"), id="details-frame")
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
        self.after_paint(resume_collection)  # paused while starting: tui/startup/collector.py
        self.client.on_wait = self._graph_waits
        self.query_one(CalendarTree).border_title = "Calendars"
        self.details.show(None)
        self.table.focus()
        # Events first: they are what the user opened cal365 for. The profile and the
        # calendar list are asked for right after, in the same breath: asking later would
        # ask for a second sign-in after a user who declined the first.
        self._panes_pending = True
        if self.cache.opener is not None and self._head_start is None:
            self.starting.start()  # the cache's view and rows first, then the requests
            return
        # No cache, or none to start from yet (a head start is made only then): the events
        # come from Graph at once, and a cache opens beside them to take over when it can.
        if self.cache.opener is not None:
            # Opened once the first rows are painted: asking the keyring and importing its
            # backends would otherwise hold the interpreter while the first screen is built.
            self.cache.beside = True
            self.set_timer(1.0, self.starting.open_beside)
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
        return shown_count(self.table)

    def _count_line(self) -> str:
        """"Calendar: 17 of 78 events": the start of every status line about the rows."""
        return f"{printable(self.calendar_name, 60)}: {self.shown_count()}"

    def owner_name(self) -> str | None:
        """The name of the person whose calendar is open, when it is not the user's own
        (None then): see `panes.owner_name`."""
        return owner_name(self.query_one(CalendarTree), self.calendar, self.mailbox,
                          self.account)

    # -- the cache at start, and the sealed frame at quit: tui/screens/main/starting.py -----

    def seal_frame(self, fit: str) -> None:
        self.starting.seal_frame(fit)

    @work(thread=True, exclusive=True, group="cache", exit_on_error=False,
          description="Opening the calendar cache")
    def open_cache(self) -> None:
        """Off the UI thread: the keyring may take seconds to answer."""
        self.post_message(CacheOpened(self.cache.open()))

    def on_cache_opened(self, message: CacheOpened) -> None:
        self.starting.opened(message.opening)

    def _cached_user(self, label: str) -> None:
        if not self.user_label:
            self.user_label = label  # until Graph names the user again

    def _panes_wanted(self) -> None:
        self._panes_pending = True

    def _start_periodic_sync(self) -> None:
        if self.sync_every > 0:
            self._sync_timer = self.set_interval(self.sync_every * 60, self._periodic_sync)

    def _busy(self) -> bool:
        return bool(self.marked or self.toggles or self.table.filter_text or self.sending
                    or self.bulk_running)

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
        self.loader.open(ref, name, keep_id, missing_ok=missing_ok, land_on=land_on,
                         read_now=read_now)

    def sync_now(self, *, asked: bool = False) -> None:
        """Sync the window on screen, keeping its rows (`r`, the timer, the network back).
        `asked`: the user pressed `r`, so an outcome is reported even while offline."""
        self.loader.sync_now(asked=asked)

    def _periodic_sync(self) -> None:
        self.loader.periodic_sync()

    def _after_first_rows(self) -> None:
        """Requests for the other panes, once the first rows are painted: the first of them
        sets up the HTTP client, which would hold that frame back."""
        self._load_panes()
        if self.starting.relist_pending:
            self.starting.relist_pending = False
            self.relist_mailboxes()

    def on_feed_changed(self, message: FeedChanged) -> None:
        """The one handler of a window's rows, whichever source they come from."""
        self.after_paint_and_keys(self._after_first_rows)
        if self.cache.beside:
            self.after_paint_and_keys(self.starting.open_beside)
        self.loader.changed(message)

    @work(exclusive=True, group="user", exit_on_error=False, description="Loading your profile")
    async def load_user(self) -> None:
        self.post_message(SignedIn(await self.client.me()))

    @work(exclusive=True, group="tree", exit_on_error=False, description="Loading calendars")
    async def load_calendars(self) -> None:
        found = await own_calendars(self.client, self.mailbox)
        self.post_message(CalendarsLoaded("me", None, found))

    @work(exclusive=True, group="groups", exit_on_error=False)
    async def load_groups(self) -> None:
        found = await member_groups(self.client)
        if found:
            self.post_message(CalendarsLoaded("groups", GROUPS_TITLE, found))

    @work(group="mailbox", exit_on_error=False, description="Opening the mailbox")
    async def load_mailbox(self, mailbox: Mailbox) -> None:
        """Another user's calendars (see `tui.sync.list_mailbox`), as a section of the pane."""
        title, section = await list_mailbox(self.client, mailbox)
        self.post_message(CalendarsLoaded(user_key(mailbox), title, section))

    # The dialogs are imported on first use: the first screen does not need them.

    def action_audit(self) -> None:
        from tui.screens.audit_view import AuditScreen

        self.app.push_screen(AuditScreen(self.tz))

    def action_open_mailbox(self) -> None:
        ask_mailbox(self, self.load_mailbox)

    def on_signed_in(self, message: SignedIn) -> None:
        self.account = message.user.user_principal_name or None
        self.user_label = user_label(message.user)
        self._in_background(self.cache.save_signed_in(self.user_label), "save-signed-in")
        self._update_titles()

    def on_calendars_loaded(self, message: CalendarsLoaded) -> None:
        calendars_loaded(self, message, self.keeper, self.calendar)
        self.cache_tree(message.key, message.groups, message.title)

    def _graph_waits(self, notice: WaitNotice) -> None:
        # Called inside the Graph client (a worker's task): hand it over as a message.
        self.post_message(GraphWaiting(notice))

    def on_graph_waiting(self, message: GraphWaiting) -> None:
        if self.sync is not None and self.feed.offline:
            return  # retrying while offline: the title bar already says so
        self.waits.show(message.notice)

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
                self.calendar, self.calendar_name, self.loader.current_id(), missing_ok=True
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The error funnel: a worker that fails for any reason ends as one status line."""
        worker = event.worker
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        if worker.group == "cache":  # no cache this run: start as without one
            self.post_message(CacheOpened(Opening(None, problem=describe(worker.error))))
            return
        self.loader.failed(worker)

    # -- mailboxes opened with `u` ---------------------------------------------------------

    def relist_mailboxes(self) -> None:
        """List the opened mailboxes again (at start, on `r`, back online): calendars added
        or removed there show, and the cached tree follows."""
        for mailbox in self.cache.opened_mailboxes():
            self.relist_mailbox(mailbox)

    @work(exit_on_error=False, description="Listing an opened mailbox again")
    async def relist_mailbox(self, mailbox: Mailbox) -> None:
        loaded = await relisted(self.client, mailbox)
        if loaded is not None:
            self.post_message(loaded)

    # -- navigation ------------------------------------------------------------------------

    @on(Tree.NodeSelected, "#calendars")
    def _calendar_chosen(self, event: Tree.NodeSelected[CalendarNode | None]) -> None:
        node = event.node.data
        if node is None:
            return
        self.open_calendar(node.ref, shown_name(node.ref, node.calendar))
        self.table.focus()

    def _show_details(self, event: Event | None) -> None:
        self.details_pane.show(event)

    @on(EventTable.Highlighted)
    def _event_highlighted(self, message: EventTable.Highlighted) -> None:
        self._show_details(message.event)

    @on(EventTable.Opened)
    def _event_opened(self, message: EventTable.Opened) -> None:
        self._show_details(message.event)
        self.details.focus()

    def _series_wanted(self, master: EventRef) -> None:
        if self.keys_waiting():  # at start: after the keys typed over the sealed frame
            self.after_paint_and_keys(lambda: self.load_series(master))
        else:
            self.load_series(master)

    @work(exclusive=True, group="series", exit_on_error=False, description="Loading the series")
    async def load_series(self, master: EventRef) -> None:
        self.post_message(SeriesLoaded(master.event_id, await series_of(self.client, master)))

    def on_series_loaded(self, message: SeriesLoaded) -> None:
        self.details_pane.series_loaded(message.master_id, message.recurrence)

    def action_open_web(self) -> None:
        self.links.open_web()

    def action_copy_link(self) -> None:
        self.links.copy_link()

    def action_focus_events(self) -> None:
        self.table.focus()

    # -- filtering ---------------------------------------------------------------------------

    def _refilter(self) -> None:
        self.filter_line.refilter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_kept_filter":
            # Offered only while there is a filter to clear (and once the table is there).
            tables = self.query(EventTable)
            return bool(tables) and bool(tables.first().filter_text)
        return True

    def action_filter(self) -> None:
        self.filter_line.show()

    @on(Input.Changed, "#filter")
    def _filter_typed(self) -> None:
        self.filter_line.refilter()

    @on(Input.Submitted, "#filter")
    def _filter_kept(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        self.filter_line.clear()

    def action_clear_kept_filter(self) -> None:
        """Esc in the events pane: the filter kept with Enter goes, every event shows again
        (the quick toggles stay: each has its own key)."""
        self.filter_line.clear()

    def action_quick(self, name: str) -> None:
        self.filter_line.flip(name)

    def _move_window(self, window: Window, land_on: dt.date | None = None) -> None:
        self.loader.move(window, land_on)

    def action_view(self, view: str) -> None:
        if view in VIEWS:
            self._move_window(self.window.with_view(view))

    def action_shift(self, steps: int) -> None:
        self._move_window(self.window.shifted(steps))

    def action_today(self) -> None:
        self._move_window(self.window.at(self.today), land_on=self.today)

    def action_goto(self) -> None:
        ask_day(self, self.today, lambda day: self._move_window(self.window.at(day), land_on=day))

    def action_refresh(self) -> None:
        current = self.table.current
        self.load_calendars()
        if self.sync is not None:
            self.sync_now(asked=True)
            return
        self.open_calendar(self.calendar, self.calendar_name, current.id if current else None)

    # -- marks, drafts and cancels: tui/screens/main/cancels.py ------------------------------
    # The workers that send stay here (Textual runs them for the screen); their messages go
    # to the cancel flows.

    @property
    def bulk_running(self) -> bool:
        return self.triage.bulk.running

    def _marks_changed(self) -> None:
        self.table.set_marked(set(self.marked))
        self._update_titles()

    def _table_changed(self) -> None:
        """Rows went from the table: the details and the titles follow."""
        self._show_details(self.table.current)
        self._update_titles()

    def action_toggle_mark(self) -> None:
        self.cancels.toggle_mark()

    def action_mark_all(self) -> None:
        self.cancels.mark_all()

    def action_unmark_all(self) -> None:
        self.cancels.unmark_all()

    def action_cancel_from_tree(self) -> None:
        # From the calendars pane a cancel would hit an event the user is not looking at.
        self.status.show(words.CANCEL_FROM_TREE, "info")

    def action_cancel_event(self) -> None:
        if not self.replies.instead_of_cancel():
            self.cancels.cancel_event()

    def action_reply(self, kind: str) -> None:
        self.replies.reply(kind)

    def action_delete_event(self) -> None:
        self.replies.delete()

    @work(group="bulk", exit_on_error=False, description="Bulk send")
    async def bulk_cancel(self, runs: list[tuple[str, BulkRun]]) -> None:
        await run_bulk(runs, self.post_message)

    def on_bulk_progress(self, message: BulkProgress) -> None:
        self.cancels.bulk_progress(message.answer, message.action)

    def on_bulk_finished(self, message: BulkFinished) -> None:
        self.cancels.bulk_finished(message.batches)

    def on_bulk_blocked(self, message: BulkBlocked) -> None:
        self.cancels.bulk_blocked(message.reason)

    @work(group="cancel", exit_on_error=False, description="Cancelling")
    async def send_cancel(self, request: ActionRequest) -> None:
        await send_one(self.client, request, self.account, self.post_message)

    def on_cancel_answered(self, message: CancelAnswered) -> None:
        self.cancels.answered(message.answer)

    def on_cancel_finished(self, message: CancelFinished) -> None:
        self.cancels.finished(message.event_id)

    def _rows_settled(self, events: list[Event], vanished: list[str], how: str) -> str:
        """Rows as Graph now has them: drafts (`DraftKeeper.settled`) and marks follow;
        returns what is said of the marks."""
        check = self.keeper.settled(self.calendar, events, vanished)
        if check:
            self.check_drafts(check)
        return self.cancels.marks_follow(events, vanished, how=how)

    @work(group="drafts", exit_on_error=False, description="Checking drafts")
    async def check_drafts(self, refs: list[EventRef]) -> None:
        from tui.actions.cancel import settled_drafts

        settled = await settled_drafts(self.client, refs)
        if settled:
            self.post_message(DraftsSettled(refs[0].mailbox.key, settled))

    def on_drafts_settled(self, message: DraftsSettled) -> None:
        self.keeper.drop(message.mailbox, message.event_ids)

    def may_quit(self) -> bool:
        """False, and why said, the first time q comes while a cancel is on its way."""
        return self.cancels.may_quit()
