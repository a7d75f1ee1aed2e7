"""The main screen: calendars, events and details side by side, a status bar below.

The screen owns the state (open calendar, window, drafts, cancels in flight); workers only
talk to Graph and post messages back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Tree
from textual.worker import Worker, WorkerState

from tui import audit
from tui.commands import bindings, quick_badge
from tui.desktop import open_in_browser
from tui.drafts import Drafts, DraftsError
from tui.graph import (
    ME,
    Calendar,
    CalendarRef,
    CancelOutcome,
    Event,
    EventRef,
    GraphClient,
    Mailbox,
    NotFound,
)
from tui.graph.errors import CancelOutcomeUnknown, GraphError, GraphUnavailable
from tui.graph.policy import WaitNotice
from tui.graph.recurrence import Recurrence
from tui.links import web_link_problem
from tui.messages import (
    BulkFinished,
    BulkProgress,
    CacheOpened,
    CalendarsLoaded,
    CancelBlocked,
    CancelFailed,
    CancelFinished,
    CancelSucceeded,
    DraftsSettled,
    EventsLoaded,
    EventsPage,
    GraphWaiting,
    SeriesLoaded,
    SignedIn,
)
from tui.paths import file_problem
from tui.problems import describe
from tui.screens.cached import CachedScreen, CacheOpener
from tui.startup.collector import resume_collection
from tui.stylesheet import stylesheet
from tui.sync import Section, list_mailbox, mailbox_names, user_key
from tui.widgets.calendar_tree import CalendarNode, CalendarTree, shown_name
from tui.widgets.event_details import EventDetails
from tui.widgets.event_table import EventTable
from tui.widgets.events_pane import EventsPane
from tui.widgets.filter_input import FilterInput
from tui.widgets.format import counted, day_label, printable
from tui.widgets.key_bar import KeyBar
from tui.widgets.status_bar import StatusBar, StatusKind
from tui.widgets.title_bar import TitleBar
from tui.window import RANGE_NOTE, VIEWS, Window, parse_day

if TYPE_CHECKING:
    from tui.graph.batch import BatchItemOutcome
    from tui.screens.bulk import BulkDecision, BulkResultsScreen
    from tui.screens.cancel import CancelDecision
    from tui.startup.headstart import HeadStart

# Where the one comment of a bulk cancel is kept among the drafts.
_BULK_DRAFT = ("bulk", "marked")
# Graph allows 4 concurrent requests per mailbox; the tree load stays within that.
_CONCURRENCY = 4


def _short(event: Event) -> str:
    subject = printable(event.subject, 80) or "(no subject)"
    when = ""
    if event.start is not None:
        when = day_label(event.start.date())
        if not event.is_all_day:
            when += " " + event.start.strftime("%H:%M")
    return f"“{subject}” ({when})" if when else f"“{subject}”"


class MainScreen(CachedScreen):
    BINDINGS = bindings("main")
    # The app's stylesheet comes with its first real screen: a sealed frame painted before
    # it needs none, so the parsing waits until after that frame (every screen and dialog
    # comes after this one).
    CSS_PATH = stylesheet()

    offline_retry = 10.0
    """Seconds between attempts to reload while Graph cannot be reached."""

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
        self.cache_opener, self.sync_every = cache, sync_every
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
        self._startup_note = ""
        if self.drafts.problem:
            self._startup_note = f" Note: {self.drafts.problem}."
        elif len(self.drafts):
            kept = counted(len(self.drafts), "comment draft")
            self._startup_note = f" {kept} kept from last time."
        self.series: dict[str, Recurrence | None] = {}
        self.marked: dict[str, Event] = {}
        self.toggles: set[str] = set()
        self._keep_filter: Callable[[Event], bool] | None = None
        self.bulk_running = False
        self.bulk_results: list[tuple[Event, BatchItemOutcome]] = []
        self._unaudited: list[str] = []  # why this bulk cancel's records could not be written
        self._bulk_total = 0
        self.sending: set[str] = set()
        self._generation = 0
        self._keep_id: str | None = None
        # The day asked for with `g` or `t`: the cursor goes to its first event as the
        # window's rows come in (`_landed`: the event it was put on, while it stays there).
        self._land_on: dt.date | None = None
        self._landed: str | None = None
        self._keep_missing_ok = False
        self._offline = False
        self._retry_pending = False
        self._panes_pending = False
        self._gone: set[str] = set()  # cancelled in this session
        self._quit_warned = False
        self._shown_before: set[str] = set()  # the calendar's events before a reload
        self._shown_window: Window | None = None
        self._wait_lines: set[str] = set()  # "retrying in…" lines shown
        self._before_wait: tuple[str, StatusKind] = ("", "info")

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
        self.after_paint(resume_collection)  # paused while starting: tui/startup/collector.py
        self.client.on_wait = self._graph_waits
        self.query_one(CalendarTree).border_title = "Calendars"
        self.details.border_title = "Details"
        self.details.show(None)
        self.table.focus()
        # Events first: they are what the user opened cal365 for. The profile and the
        # calendar list are asked for right after, in the same breath: asking later would
        # ask for a second sign-in after a user who declined the first.
        self._panes_pending = True
        if self.cache_opener is not None and self._head_start is None:
            self.start_from_cache()  # the cache's view and rows first, then the requests
            return
        # No cache, or none to start from yet (a head start is made only then): the events
        # come from Graph at once, and a cache opens beside them to take over when it can.
        if self.cache_opener is not None:
            # Opened once the first rows are painted: asking the keyring and importing its
            # backends would otherwise hold the interpreter while the first screen is built.
            self.cache_beside = True
            self.set_timer(1.0, self.open_beside)
        self.open_calendar(CalendarRef(self.mailbox), "Calendar")
        if self._head_start is None:
            self._load_panes()  # else after the first rows: see on_events_page

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
        self.query_one(TitleBar).set_parts(self.user_label, self.freshness())

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

    # -- loading ---------------------------------------------------------------------------

    def open_calendar(
        self, ref: CalendarRef, name: str, keep_id: str | None = None, *, missing_ok: bool = False,
        land_on: dt.date | None = None,
    ) -> None:
        """Load `ref` for the current window; `keep_id` is the event to keep selected, and
        unless `missing_ok` its absence is reported (it went away on the server); `land_on`:
        a day the user asked for, whose first event the cursor goes to instead."""
        # A reload of the same window: what vanishes from it may take its drafts along.
        same = ref == self.calendar and self.window == self._shown_window
        self._shown_before = {e.id for e in self.table.all_events} if same else set()
        self._shown_window = self.window
        self.calendar = ref
        self.calendar_name = name
        self._generation += 1
        self._keep_id = keep_id
        self._keep_missing_ok = missing_ok
        self._land_on, self._landed = land_on, None
        self.table.clear("Loading events…")
        self._update_titles()
        self.status.show(f"Loading {printable(name, 60)}…", "busy")
        start, end = self.window.bounds(self.tz)
        if self.sync is not None:
            self.streaming = False
            self._load_cached(ref, start, end)
        else:
            self.streaming = True
            ready = (self._head_start.take(self.client, ref, start, end)
                     if self._head_start is not None else None)
            if ready is None:
                self.load_events(ref, start, end, self._generation)
                return
            # The page asked for at start is here already: in this very frame, then the rest.
            events, rest = ready
            self.on_events_page(EventsPage(self._generation, events))
            self.load_events(ref, start, end, self._generation, rest, after_first=True)

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
            self.post_message(CalendarsLoaded("groups", "Microsoft 365 groups", [(None, found)]))

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

    @work(exclusive=True, group="events", exit_on_error=False, description="Loading events")
    async def load_events(
        self, ref: CalendarRef, start: dt.datetime, end: dt.datetime, generation: int,
        rest: AsyncIterator[list[Event]] | None = None, *, after_first: bool = False,
    ) -> None:
        """The window's pages; `after_first`: the first is shown already, `rest` (None: no
        more) are those after it."""
        pages = rest
        if not after_first:
            pages = (self._head_start.pages(self.client, ref, start, end)
                     if self._head_start else None) or self.client.calendar_view(ref, start, end)
        if pages is not None:
            async for page in pages:
                self.post_message(EventsPage(generation, page))
        self.post_message(EventsLoaded(generation))

    def on_signed_in(self, message: SignedIn) -> None:
        user = message.user
        self.account = user.user_principal_name or None
        self.user_label = printable(user.display_name or user.user_principal_name, 80)
        if user.user_principal_name and user.display_name:
            self.user_label += f" <{printable(user.user_principal_name, 80)}>"
        if self.sync is not None and self.mailbox.kind == "me":
            self.run_worker(asyncio.to_thread(self.sync.store.save_signed_in, self.user_label),
                            group="save-signed-in", exit_on_error=False)
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

    def on_events_page(self, message: EventsPage) -> None:
        # The other panes' requests start once these rows are painted: the first of them
        # sets up the HTTP client, which would hold this frame back.
        self.after_paint(self._load_panes)
        if self.cache_beside:
            self.after_paint(self.open_beside)
        if message.generation != self._generation:
            return
        table = self.table
        # A page fetched before a cancel went through must not bring the event back.
        table.extend(e for e in message.events if e.id not in self._gone)
        self.events_settled(message.events, ())
        self.marks_follow(message.events, ())
        if self._keep_id is not None and table.select_id(self._keep_id):
            self._keep_id = None
        self.land(message.events)
        self._update_titles()

    def on_events_loaded(self, message: EventsLoaded) -> None:
        self.after_paint(self._load_panes)
        if message.generation != self._generation:
            return
        self.streaming = False
        if self.sync is not None:  # the cache opened meanwhile: the window goes into it
            self.sync_now()
        self._offline = False
        table = self.table
        vanished, self._shown_before = self._shown_before, set()
        if vanished:  # a reload: what it no longer holds (a first load holds it all)
            vanished -= {e.id for e in table.all_events}
        self.events_settled((), vanished)
        marks = self.marks_follow((), vanished, how="on reload")
        count = self.shown_count()
        table.set_placeholder("No events in this window.")
        landing = self.landed(final=True)
        self._update_titles()
        name = printable(self.calendar_name, 60)
        if self._keep_id is not None and not self._keep_missing_ok:
            self._keep_id = None
            self.status.show(
                f"{name}: {count}. The event you had selected is no longer "
                f"there.{marks}", "info"
            )
        else:
            self.status.show(f"{name}: {count}.{landing}{marks}{self._odd_note()}"
                             f"{self._startup_note}", "info")
        self._startup_note = ""
        self._show_details(table.current)

    def land(self, arrived: Iterable[Event]) -> None:
        """Rows came in: the cursor goes to the first shown one on or after the day asked
        for (they come in order of start), unless it is there already or the user has
        moved it since."""
        day = self._land_on
        if day is None or self._landed is not None:
            return
        table = self.table
        for event in arrived:
            if event.start is not None and event.start.date() >= day and \
                    table.select_id(event.id):
                self._landed = event.id
                return

    def landed(self, *, final: bool) -> str:
        """The window's rows are all in (`final`: nothing more will change them): the
        cursor is put on the day's first event, or on the next one when the day has none,
        and that is said (the words returned, for the status line; "" when the day has
        events or no day was asked for)."""
        day = self._land_on
        if day is None:
            return ""
        if final:
            self._land_on = None
        table = self.table
        current = table.current
        if self._landed is not None and (current is None or current.id != self._landed):
            return ""  # the user moved on: the cursor stays where they put it
        events = table.visible_events
        target = next((e for e in events if e.start is not None and e.start.date() >= day),
                      None)
        shown = " shown" if table.filtering else ""
        if target is None:
            if not events:
                return ""  # an empty window says so itself
            table.select_id(events[-1].id)
            self._landed = events[-1].id
            return f" Nothing{shown} on or after {day_label(day)} in this window."
        table.select_id(target.id)
        self._landed = target.id
        assert target.start is not None
        if target.start.date() == day:
            return ""
        return f" Nothing{shown} on {day_label(day)}: the cursor is on the next event, " \
               f"{_short(target)}."

    def _odd_note(self) -> str:
        """A word on events Graph sent partly unreadable: shown, but not all of them."""
        odd = [e for e in self.table.all_events if e.unreadable]
        if not odd:
            return ""
        fields = sorted({name for e in odd for name in e.unreadable})
        many = "s" if len(odd) != 1 else ""
        return (f" {len(odd)} event{many} came with fields that could not be read"
                f" ({', '.join(fields)}): shown as far as possible.")

    def _graph_waits(self, notice: WaitNotice) -> None:
        # Called inside the Graph client (a worker's task): hand it over as a message.
        self.post_message(GraphWaiting(notice))

    def on_graph_waiting(self, message: GraphWaiting) -> None:
        if self.sync is not None and self._offline:
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
        self._retry_pending = False
        if self._offline:
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
            self.post_message(CacheOpened(None, None, None, [], describe(worker.error)))
            return
        if worker.group == "events":
            self.table.set_placeholder("Could not load events: press r to retry.")
            self._load_panes()
            self._syncing = self._loading = False  # the title bar stops saying "syncing…"
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
            self._offline = True
            if not self._retry_pending:
                self._retry_pending = True
                self.set_timer(self.offline_retry, self._retry_offline)
            self.status.show(
                f"{what} failed: {describe(worker.error)}. Retrying in {self.offline_retry:.0f} s.",
                "error",
            )
            return
        self.status.show(f"{what} failed: {describe(worker.error)}", "error")

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
            self.status.show("No event selected.", "info")
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

    def _keep(self) -> Callable[[Event], bool] | None:
        toggles = self.toggles
        if not toggles:
            return None

        def keep(event: Event) -> bool:
            if "mine" in toggles and not event.is_organizer:
                return False
            if "cancelled" in toggles and event.is_cancelled:
                return False
            return not ("declined" in toggles and event.my_response == "declined")

        return keep

    def _refilter(self) -> None:
        text = self.query_one(FilterInput).value
        self.table.set_filter(text, self._keep_filter)
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
        if name in self.toggles:
            self.toggles.discard(name)
        else:
            self.toggles.add(name)
        self._keep_filter = self._keep()
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

    # -- cancelling ------------------------------------------------------------------------

    # -- marks and bulk cancel ---------------------------------------------------------------

    def _marks_changed(self) -> None:
        self.table.set_marked(set(self.marked))
        self._update_titles()

    def marks_follow(self, events: Iterable[Event], vanished: Iterable[str], *,
                     how: str = "in the sync") -> str:
        """Marks follow a sync or reload: a marked event Graph sent again is kept as it is
        now (a bulk cancel then judges it as it is), one that went away is unmarked, as a
        cancel of it could only be "not found". Returns the line that says so ("" if none
        went); its comment draft stays where it is."""
        marked = self.marked
        for event in events:
            if event.id in marked:
                marked[event.id] = event
        gone = [i for i in vanished if marked.pop(i, None) is not None]
        if not gone:
            return ""
        self._marks_changed()
        left = f"{len(marked)} still marked" if marked else "none still marked"
        return f" {counted(len(gone), 'marked event')} went away {how}; {left}."

    def action_toggle_mark(self) -> None:
        event = self.table.current
        if event is None:
            self.status.show("No event to mark here.", "info")
            return
        if self.marked.pop(event.id, None) is None:
            self.marked[event.id] = event
        self._marks_changed()
        self.table.action_cursor_down()

    def action_mark_all(self) -> None:
        if not self.table.visible_events:
            self.status.show("No events shown: nothing to mark.", "info")
            return
        for event in self.table.visible_events:
            self.marked.setdefault(event.id, event)
        self._marks_changed()

    def action_unmark_all(self) -> None:
        if not self.marked:
            self.status.show("No events are marked.", "info")
            return
        self.marked.clear()
        self._marks_changed()

    def _open_bulk(self) -> None:
        if self.bulk_running:
            self.status.show("A bulk cancel is already running.", "busy")
            return
        from tui.screens.bulk import BulkCancelScreen

        draft = self.drafts.get(*_BULK_DRAFT) or ""
        # Only live marks: none of an event cancelled meanwhile (a sync drops the others).
        live = [e for e in self.marked.values() if e.id not in self._gone]
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
            self.status.show("Not sent. The marks and your comment are kept.", "info")
            return
        if self.sync is not None and self._offline:
            self.status.show("Not sent: cancelling needs the network, and cal365 is offline. "
                             "Nothing was sent or queued; the marks and your comment are kept.",
                             "error")
            return
        live = [e for e in self.marked.values() if e.id not in self._gone]
        if not live:  # a sync while the dialog was open took them away
            self.status.show("Nothing to send: the marked events went away meanwhile. "
                             "Your comment is kept.", "info")
            return
        events = [e for e in live
                  if decision.include_others or (e.is_organizer and not e.is_cancelled)]
        if not events:
            owner = self._marks_owner(live)
            who = "you organize" if owner is None else f"{owner} organizes"
            self.status.show(f"Nothing to send: {who} none of the marked meetings.", "info")
            return
        self._start_bulk(events, decision.comment, check_first=False)

    def _start_bulk(self, events: list[Event], comment: str, *, check_first: bool) -> None:
        self.bulk_running = True
        self.bulk_results = []
        self._unaudited = []
        self._bulk_total = len(events)
        self.status.show(f"Cancelling {counted(len(events), 'meeting')}…", "busy")
        self.bulk_cancel(events, comment, check_first)

    @work(group="bulk", exit_on_error=False, description="Bulk cancel")
    async def bulk_cancel(self, events: list[Event], comment: str, check_first: bool) -> None:
        problem = await self._audit_blocks(events, comment)
        if problem is not None:
            self.post_message(CancelBlocked(events, problem, bulk=True))
            return
        by_key = {(e.ref.mailbox.key, e.id): e for e in events}
        run = self.client.cancel_many([e.ref for e in events], comment, check_first=check_first)
        try:
            async for outcome in run:
                event = by_key[(outcome.ref.mailbox.key, outcome.ref.event_id)]
                unaudited = await self._audit(
                    audit.entry_for_batch(
                        outcome,
                        subject=event.subject,
                        start=event.start,
                        comment=comment,
                        source="tui",
                        account=self.account,
                    )
                )
                self.post_message(BulkProgress(event, outcome, unaudited))
        finally:
            self.post_message(BulkFinished(run.stats.batches))

    def on_bulk_progress(self, message: BulkProgress) -> None:
        event, outcome = message.event, message.outcome
        self.bulk_results.append((event, outcome))
        if message.unaudited is not None:
            self._unaudited.append(message.unaudited)
        if outcome.status == "cancelled":
            self._drop_drafts(event.ref.mailbox.key, [event.id])
        if outcome.status in ("cancelled", "not_found"):
            self._gone.add(event.id)
            self.cache_cancelled(event.id)
            self.marked.pop(event.id, None)
            self.table.remove_id(event.id)
        done = len(self.bulk_results)
        cancelled = sum(1 for _, o in self.bulk_results if o.status == "cancelled")
        self.status.show(
            f"Bulk cancel: {done}/{self._bulk_total} answered, {cancelled} cancelled…", "busy"
        )

    def on_bulk_finished(self, message: BulkFinished) -> None:
        self.bulk_running = False
        self._quit_warned = False
        self._marks_changed()
        self._show_details(self.table.current)
        results = list(self.bulk_results)
        cancelled = sum(1 for _, o in results if o.status == "cancelled")
        left = len(results) - cancelled
        unaudited, self._unaudited = self._unaudited, []
        kind: StatusKind = ("success" if left == 0 and results and not unaudited
                            else "error")
        not_logged = (f"{counted(len(unaudited), 'answer')} NOT in the audit log: "
                      f"{unaudited[0]}." if unaudited else "")
        self.status.show(
            f"Bulk cancel: {cancelled} of {len(results)} cancelled"
            + (f", {left} not (see the results; they stay marked)." if left else ".")
            + (f" {not_logged}" if not_logged else ""),
            kind,
        )
        if left == 0:
            self._save_bulk_draft("")
        from tui.screens.bulk import BulkResultsScreen

        screen = BulkResultsScreen(results, message.batches, not_logged)
        self.app.push_screen(screen, partial(self._results_closed, screen))

    def _results_closed(self, screen: BulkResultsScreen, retry: bool | None) -> None:
        if retry:
            # Unknown outcomes are looked at before anything is sent again.
            events = [e for e, _ in screen.retryable]
            self._start_bulk(events, self.drafts.get(*_BULK_DRAFT) or "", check_first=True)

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
        settled: list[str] = []
        for ref in refs:
            try:
                event = await self.client.event(ref)
            except NotFound:
                settled.append(ref.event_id)
                continue
            except (GraphError, GraphUnavailable):
                continue  # not known: the draft stays
            if event.is_cancelled:
                settled.append(ref.event_id)
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

    def action_cancel_from_tree(self) -> None:
        # From the calendars pane a cancel would hit an event the user is not looking at.
        self.status.show("To cancel, choose the event in the events pane (Tab goes there), "
                         "then press c.", "info")

    def action_cancel_event(self) -> None:
        if self.marked:
            self._open_bulk()
            return
        event = self.table.current
        if event is None:
            self.status.show("No event selected.", "info")
            return
        if event.id in self.sending:
            self.status.show(f"The cancellation of {_short(event)} is already on its way.", "busy")
            return
        if event.is_cancelled:
            # Already called off by its organizer: a cancel could only be refused, and the
            # check after a lost answer would read the old flag as our success.
            self.status.show(f"{_short(event)} is already cancelled: nothing to send.", "info")
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
            kept = " Your comment is kept for it." if decision.comment else ""
            self.status.show(f"Not sent: {_short(event)}.{kept}", "info")
            return
        if self.refuse_offline_cancel(event, bool(decision.comment)):
            return
        if event.id in self.sending:
            return
        self.sending.add(event.id)
        target = event.ref
        if decision.whole_series and event.series_master_id:
            target = EventRef(event.series_master_id, event.ref.mailbox, event.ref.calendar)
        what = "the series of " if target is not event.ref else ""
        self.status.show(f"Cancelling {what}{_short(event)}…", "busy")
        self.send_cancel(event, target, decision.comment)

    @work(group="cancel", exit_on_error=False, description="Cancelling")
    async def send_cancel(self, event: Event, target: EventRef, comment: str) -> None:
        """Cancel `target`: the event itself, or the master of the series it belongs to."""
        try:
            problem = await self._audit_blocks([event], comment)
            if problem is not None:
                self.post_message(CancelBlocked([event], problem))
                return
            outcome: CancelOutcome | None = None
            error: GraphError | GraphUnavailable | None = None
            try:
                outcome = await self.client.cancel_event(target, comment)
            except (GraphError, GraphUnavailable) as refused:
                error = refused
            unaudited = await self._audit(
                audit.entry_for(
                    target,
                    subject=event.subject,
                    start=event.start,
                    comment=comment,
                    error=error,
                    request_id=outcome.request_id if outcome else None,
                    source="tui",
                    account=self.account,
                )
            )
            if outcome is not None:
                self.post_message(CancelSucceeded(event, outcome, unaudited))
            elif error is not None:
                self.post_message(CancelFailed(event, error, unaudited))
        finally:
            self.post_message(CancelFinished(event.id))

    async def _audit_blocks(self, events: list[Event], comment: str) -> str | None:
        """Why nothing may be sent: the audit log cannot take these cancels' records now
        (checked off the UI thread, just before sending); None when it can."""
        return await asyncio.to_thread(audit.cannot_record, [e.subject for e in events],
                                       comment)

    async def _audit(self, entry: audit.AuditEntry) -> str | None:
        """Append to the audit log off the UI thread. The cancel has gone out, so a failure
        is not fatal: its reason comes back, for the outcome's status line to say."""
        try:
            await asyncio.to_thread(audit.append, entry)
        except OSError as error:
            return file_problem(error)
        return None

    def on_cancel_blocked(self, message: CancelBlocked) -> None:
        if message.bulk:
            self.bulk_running = False
            self._quit_warned = False
            self.status.show(f"Not sent: {message.reason}. Nothing was sent; the marks and "
                             "your comment are kept.", "error")
            return
        [event] = message.events
        self.status.show(f"Not sent: {_short(event)}: {message.reason}. Nothing was sent; "
                         "your comment is kept.", "error")

    def on_cancel_succeeded(self, message: CancelSucceeded) -> None:
        event = message.event
        series = message.outcome.event_id == event.series_master_id
        # Every occurrence of a cancelled series is cancelled: their drafts go too.
        done = [event.id, message.outcome.event_id]
        if series:
            done += [e.id for e in self.table.all_events
                     if e.series_master_id == event.series_master_id]
        self._drop_drafts(event.ref.mailbox.key, done)
        self._gone.add(event.id)
        self.cache_cancelled(message.outcome.event_id if series else event.id)
        if series:
            for other in list(self.table.all_events):
                if other.series_master_id == event.series_master_id:
                    self._gone.add(other.id)
                    self.table.remove_id(other.id)
        else:
            self.table.remove_id(event.id)
        self._show_details(self.table.current)
        self._update_titles()
        told = len(event.notified_attendees)
        notice = f"{told} attendee{'s' if told != 1 else ''} notified" if told else "no attendees"
        what = "the whole series of " if series else ""
        if message.unaudited is not None:
            self.status.show(
                f"Cancelled {what}{_short(event)}: {notice}; but it is NOT in the audit log: "
                f"{message.unaudited}.", "error")
            return
        self.status.show(
            f"Cancelled {what}{_short(event)}: {notice}; Graph moved it to Deleted Items.",
            "success",
        )

    def on_cancel_failed(self, message: CancelFailed) -> None:
        event, error = message.event, message.error
        has_draft = self.drafts.get(event.ref.mailbox.key, event.id)
        kept = " Your comment is kept: press c to see it." if has_draft else ""
        if isinstance(error, CancelOutcomeUnknown):
            self.status.show(
                f"Outcome unknown: {_short(event)}: {error}. It may have gone through: press r "
                f"to check before sending again.{kept}",
                "error",
            )
        elif isinstance(error, GraphUnavailable):
            # CancelNotSent and plain network failures: certainly not cancelled.
            self.status.show(
                f"Not cancelled: {_short(event)}: {error}. Nothing reached the attendees; "
                f"press c to send again.{kept}",
                "error",
            )
        elif isinstance(error, NotFound):
            self.status.show(
                f"Not cancelled: {_short(event)} is no longer on the server (cancelled or deleted "
                f"elsewhere); press r to refresh.{kept}",
                "error",
            )
        else:
            reason = describe(error).rstrip(".")
            self.status.show(f"Not cancelled: {_short(event)}: {reason}.{kept}", "error")
        if message.unaudited is not None:  # the attempt went out, and its record did not
            self.status.show(f"{self.status.message} This attempt is NOT in the audit log: "
                             f"{message.unaudited}.", "error")

    def on_cancel_finished(self, message: CancelFinished) -> None:
        self.sending.discard(message.event_id)
        self._quit_warned = False

    def may_quit(self) -> bool:
        """False, and why said, the first time q comes while a cancel is on its way: quitting
        then would leave its outcome unseen and out of the audit log."""
        if not (self.sending or self.bulk_running) or self._quit_warned:
            return True
        self._quit_warned = True
        self.status.show("A cancel is still on its way: quitting now leaves its outcome unseen "
                         "and unaudited. Press q again to quit anyway.", "busy")
        return False
