"""The main screen: calendars, events and details side by side, a status bar below.

The screen owns the state (open calendar, window, drafts, cancels in flight); workers only
talk to Graph and post messages back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree
from textual.worker import Worker, WorkerState

from tui.commands import bindings
from tui.graph import ME, Calendar, CalendarRef, Event, GraphClient, NotFound
from tui.graph.errors import GraphError, GraphUnavailable
from tui.messages import (
    CalendarsLoaded,
    CancelFailed,
    CancelFinished,
    CancelSucceeded,
    EventsLoaded,
    EventsPage,
    SignedIn,
)
from tui.problems import describe
from tui.widgets.calendar_tree import CalendarNode, CalendarTree
from tui.widgets.event_details import EventDetails
from tui.widgets.event_table import EventTable
from tui.widgets.format import day_label, printable
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tui.screens.cancel import CancelDecision

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


class MainScreen(Screen[None]):
    BINDINGS = bindings("main")

    def __init__(
        self, client: GraphClient, *, today: dt.date, tz: dt.tzinfo, days: int = 14
    ) -> None:
        super().__init__()
        self.client = client
        self.tz = tz
        start = dt.datetime.combine(today, dt.time(), tz)
        self.window = (start, start + dt.timedelta(days=days))
        self.calendar = CalendarRef(ME)
        self.calendar_name = "Calendar"
        self.user_label = ""
        self.drafts: dict[str, str] = {}
        self.sending: set[str] = set()
        self._generation = 0
        self._keep_id: str | None = None
        self._panes_pending = False

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("cal365", id="title-bar", markup=False)
        with Horizontal(id="panes"):
            yield CalendarTree(id="calendars")
            with Vertical(id="events-pane"):
                yield EventTable(id="events")
            yield EventDetails(id="details")
        yield StatusBar(id="status")
        yield Footer()

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
        self.query_one(CalendarTree).border_title = "Calendars"
        self.details.border_title = "Details"
        self.details.show(None)
        self.table.focus()
        # Events first: they are what the user opened cal365 for. The profile and the
        # calendar list load once the first events are in (or could not be), or after
        # half a second on a slow link.
        self._panes_pending = True
        self.open_calendar(CalendarRef(ME), "Calendar")
        self.set_timer(0.5, self._load_panes)

    def _load_panes(self) -> None:
        if self._panes_pending:
            self._panes_pending = False
            self.load_user()
            self.load_calendars()

    def _update_titles(self) -> None:
        start, end = self.window
        last = (end - dt.timedelta(seconds=1)).date()
        span = f"{day_label(start.date())} – {day_label(last)}"
        pane = self.query_one("#events-pane", Vertical)
        pane.border_title = f"{printable(self.calendar_name, 60)} · {span}"
        pane.border_subtitle = f"{len(self.table.all_events)} events"
        who = f" · {self.user_label}" if self.user_label else ""
        self.query_one("#title-bar", Static).update(f"cal365{who}")

    # -- loading ---------------------------------------------------------------------------

    def open_calendar(self, ref: CalendarRef, name: str, keep_id: str | None = None) -> None:
        self.calendar = ref
        self.calendar_name = name
        self._generation += 1
        self._keep_id = keep_id
        self.table.clear("Loading events…")
        self._update_titles()
        self.status.show(f"Loading {printable(name, 60)}…", "busy")
        start, end = self.window
        self.load_events(ref, start, end, self._generation)

    @work(exclusive=True, group="user", exit_on_error=False, description="Loading your profile")
    async def load_user(self) -> None:
        self.post_message(SignedIn(await self.client.me()))

    @work(exclusive=True, group="tree", exit_on_error=False, description="Loading calendars")
    async def load_calendars(self) -> None:
        groups = await self.client.calendar_groups(ME)
        limit = asyncio.Semaphore(_CONCURRENCY)

        async def calendars_of(group_id: str) -> list[tuple[CalendarRef, Calendar]]:
            async with limit:
                found = await self.client.calendars_in_group(ME, group_id)
            return [(CalendarRef(ME, c.id, group_id), c) for c in found]

        results = await asyncio.gather(*(calendars_of(g.id) for g in groups))
        self.post_message(CalendarsLoaded(list(zip(groups, results, strict=True))))

    @work(exclusive=True, group="events", exit_on_error=False, description="Loading events")
    async def load_events(
        self, ref: CalendarRef, start: dt.datetime, end: dt.datetime, generation: int
    ) -> None:
        async for page in self.client.calendar_view(ref, start, end):
            self.post_message(EventsPage(generation, page))
        self.post_message(EventsLoaded(generation))

    def on_signed_in(self, message: SignedIn) -> None:
        user = message.user
        self.user_label = printable(user.display_name or user.user_principal_name, 80)
        if user.user_principal_name and user.display_name:
            self.user_label += f" <{printable(user.user_principal_name, 80)}>"
        self._update_titles()

    def on_calendars_loaded(self, message: CalendarsLoaded) -> None:
        tree = self.query_one(CalendarTree)
        tree.populate(message.groups)
        for _group, calendars in message.groups:
            for ref, calendar in calendars:
                if calendar.is_default and self.calendar.calendar_id is None:
                    node = tree.find(calendar.id)
                    if node is not None:
                        tree.move_cursor(node)
                if ref == self.calendar:
                    node = tree.find(calendar.id)
                    if node is not None:
                        tree.move_cursor(node)

    def on_events_page(self, message: EventsPage) -> None:
        self._load_panes()
        if message.generation != self._generation:
            return
        table = self.table
        table.extend(message.events)
        if self._keep_id is not None and table.select_id(self._keep_id):
            self._keep_id = None
        self._update_titles()

    def on_events_loaded(self, message: EventsLoaded) -> None:
        self._load_panes()
        if message.generation != self._generation:
            return
        table = self.table
        count = len(table.all_events)
        table.set_placeholder("No events in this window.")
        self._update_titles()
        name = printable(self.calendar_name, 60)
        if self._keep_id is not None:
            self._keep_id = None
            self.status.show(
                f"{name}: {count} events. The event you had selected is no longer there.", "info"
            )
        else:
            self.status.show(f"{name}: {count} events.", "info")
        self.details.show(table.current)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The error funnel: a worker that fails for any reason ends as one status line."""
        worker = event.worker
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        if worker.group == "events":
            self.table.set_placeholder("Could not load events: press r to retry.")
            self._load_panes()
        what = worker.description or "A background task"
        self.status.show(f"{what} failed: {describe(worker.error)}", "error")

    # -- navigation ------------------------------------------------------------------------

    @on(Tree.NodeSelected, "#calendars")
    def _calendar_chosen(self, event: Tree.NodeSelected[CalendarNode | None]) -> None:
        node = event.node.data
        if node is None:
            return
        self.open_calendar(node.ref, node.calendar.name)
        self.table.focus()

    @on(EventTable.Highlighted)
    def _event_highlighted(self, message: EventTable.Highlighted) -> None:
        self.details.show(message.event)

    @on(EventTable.Opened)
    def _event_opened(self, message: EventTable.Opened) -> None:
        self.details.show(message.event)
        self.details.focus()

    def action_focus_events(self) -> None:
        self.table.focus()

    def action_refresh(self) -> None:
        current = self.table.current
        self.load_calendars()
        self.open_calendar(self.calendar, self.calendar_name, current.id if current else None)

    # -- cancelling ------------------------------------------------------------------------

    def action_cancel_event(self) -> None:
        event = self.table.current
        if event is None:
            self.status.show("No event selected.", "info")
            return
        if event.id in self.sending:
            self.status.show(f"The cancellation of {_short(event)} is already on its way.", "busy")
            return
        draft = self.drafts.get(event.id, "")
        # Imported on first use: the dialog's widgets stay off the start-up path.
        from tui.screens.cancel import CancelScreen

        self.app.push_screen(CancelScreen(event, draft), partial(self._cancel_decided, event))

    def _cancel_decided(self, event: Event, decision: CancelDecision | None) -> None:
        if decision is None:
            return
        if decision.comment:
            self.drafts[event.id] = decision.comment
        else:
            self.drafts.pop(event.id, None)
        if not decision.send:
            kept = " Your comment is kept for it." if decision.comment else ""
            self.status.show(f"Not sent: {_short(event)}.{kept}", "info")
            return
        if event.id in self.sending:
            return
        self.sending.add(event.id)
        self.status.show(f"Cancelling {_short(event)}…", "busy")
        self.send_cancel(event, decision.comment)

    @work(group="cancel", exit_on_error=False, description="Cancelling")
    async def send_cancel(self, event: Event, comment: str) -> None:
        try:
            outcome = await self.client.cancel_event(event.ref, comment)
        except (GraphError, GraphUnavailable) as error:
            self.post_message(CancelFailed(event, error))
        else:
            self.post_message(CancelSucceeded(event, outcome))
        finally:
            self.post_message(CancelFinished(event.id))

    def on_cancel_succeeded(self, message: CancelSucceeded) -> None:
        event = message.event
        self.drafts.pop(event.id, None)
        self.table.remove_id(event.id)
        self.details.show(self.table.current)
        self._update_titles()
        told = len(event.notified_attendees)
        notice = f"{told} attendee{'s' if told != 1 else ''} notified" if told else "no attendees"
        self.status.show(
            f"Cancelled {_short(event)}: {notice}; Graph moved it to Deleted Items.", "success"
        )

    def on_cancel_failed(self, message: CancelFailed) -> None:
        event, error = message.event, message.error
        kept = " Your comment is kept: press c to see it." if self.drafts.get(event.id) else ""
        if isinstance(error, GraphUnavailable):
            self.status.show(
                f"Not confirmed: {_short(event)}: {error}. It may have gone through: press r to "
                f"check before sending again.{kept}",
                "error",
            )
        elif isinstance(error, NotFound):
            self.status.show(
                f"Not cancelled: {_short(event)} is no longer on the server (cancelled or deleted "
                f"elsewhere); press r to refresh.{kept}",
                "error",
            )
        else:
            self.status.show(f"Not cancelled: {_short(event)}: {describe(error)}.{kept}", "error")

    def on_cancel_finished(self, message: CancelFinished) -> None:
        self.sending.discard(message.event_id)
