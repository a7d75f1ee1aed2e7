"""Looking around the main screen: the details pane, the filter line and quick toggles, the
day prompt, and an event's Outlook link (opened or copied)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from tui.actions.triage import Triage
from tui.commands import quick_badge
from tui.desktop import open_in_browser
from tui.graph import Event, EventRef
from tui.graph.errors import GraphError, GraphUnavailable
from tui.graph.recurrence import Recurrence
from tui.links import web_link_problem
from tui.screens import status_lines as words
from tui.screens.status_lines import short
from tui.widgets.event_details import EventDetails
from tui.widgets.event_table import EventTable
from tui.widgets.filter_input import FilterInput
from tui.widgets.format import counted, printable
from tui.widgets.status_bar import StatusBar
from tui.window import parse_day

if TYPE_CHECKING:
    from tui.graph import GraphClient  # httpx: not before the first frame


class FilterLine:
    """The filter typed with `/` and the quick toggles: which rows show, and the count."""

    def __init__(self, screen: Screen[Any], triage: Triage, *, count: Callable[[], str],
                 owner_name: Callable[[], str | None], changed: Callable[[], None]) -> None:
        self.screen = screen
        self.triage = triage
        self._count = count  # "Calendar: 17 of 78 events"
        self._owner_name = owner_name
        self._changed = changed  # the titles follow

    @property
    def _table(self) -> EventTable:
        return self.screen.query_one(EventTable)

    @property
    def _status(self) -> StatusBar:
        return self.screen.query_one(StatusBar)

    def refilter(self) -> None:
        text = self.screen.query_one(FilterInput).value
        self._table.set_filter(text, self.triage.keep)
        self._changed()
        self.screen.refresh_bindings()  # Esc in the events pane clears only a filter that is on
        if self._status.kind == "info":
            # The count said last must agree with the rows shown (an error stays in sight).
            self._status.show(self.words(), "info")

    def words(self) -> str:
        """The open calendar's count as the filter and toggles leave it, and what hides
        events: "Calendar: 17 of 78 events match “review” (only mine)."."""
        table = self._table
        line = self._count()
        if table.filter_text:
            line += f" match “{printable(table.filter_text, 80)}”"
        if self.triage.toggles:
            owner = self._owner_name()
            line += f" ({', '.join(quick_badge(t, owner) for t in sorted(self.triage.toggles))})"
        return line + "."

    def show(self) -> None:
        line = self.screen.query_one(FilterInput)
        line.add_class("-shown")
        line.focus()

    def clear(self) -> None:
        line = self.screen.query_one(FilterInput)
        line.value = ""
        line.remove_class("-shown")
        self.refilter()
        self._table.focus()

    def flip(self, name: str) -> None:
        self.triage.flip(name)
        self.refilter()


def ask_day(screen: Screen[Any], today: dt.date, chosen: Callable[[dt.date], None]) -> None:
    """The `g` prompt: a day typed as the window module reads it; `chosen` gets it."""
    from tui.screens.prompt import PromptScreen

    def check(text: str) -> str | None:
        try:
            parse_day(text, today)
        except ValueError as error:
            return str(error)
        return None

    def answered(text: str | None) -> None:
        if text:
            chosen(parse_day(text, today))

    prompt = PromptScreen("Go to date", "2026-12-01, today, +3, -7, friday…", check=check)
    screen.app.push_screen(prompt, answered)


class Links:
    """The current event's Outlook link, opened (`o`) or copied (`y`) once checked."""

    def __init__(self, screen: Screen[Any], client: GraphClient) -> None:
        self.screen = screen
        self.client = client

    @property
    def _status(self) -> StatusBar:
        return self.screen.query_one(StatusBar)

    def _checked(self, verb: str) -> tuple[Event, str] | None:
        """The current event and its Outlook link when that link may be opened or copied
        (tui.links); else None, and the status bar says why. The server's link is never
        quoted: it is not text to show until checked."""
        event = self.screen.query_one(EventTable).current
        if event is None:
            self._status.show(words.NO_EVENT, "info")
            return None
        if not event.web_link:
            self._status.show("This event has no Outlook link.", "info")
            return None
        problem = web_link_problem(event.web_link, self.client.base_url)
        if problem is not None:
            self._status.show(f"Not {verb}: the Outlook link the server sent for "
                              f"{short(event)} is refused: {problem}.", "error")
            return None
        return event, event.web_link

    def open_web(self) -> None:
        checked = self._checked("opened")
        if checked is None:
            return
        event, link = checked
        if open_in_browser(link):
            self._status.show(f"Opened {short(event)} in the browser.", "info")
            return
        # No browser here (SSH, no display): copy, and show the link whole, since the copy
        # may never arrive (tmux without set-clipboard, a terminal without OSC 52).
        self.screen.app.copy_to_clipboard(link)
        self._status.show(
            "No local browser here (remote session): the Outlook link is shown to select by "
            "hand, and copied to your clipboard if the terminal allows OSC 52 (tmux: "
            "set -g set-clipboard on).",
            "info",
        )
        from tui.screens.link import LinkScreen

        self.screen.app.push_screen(LinkScreen(link, short(event)))

    def copy_link(self) -> None:
        checked = self._checked("copied")
        if checked is None:
            return
        event, link = checked
        self.screen.app.copy_to_clipboard(link)
        self._status.show(f"Copied the Outlook link of {short(event)} with OSC 52. Nothing "
                          "arrived? Some terminals ignore it, and tmux needs set -g "
                          "set-clipboard on; o shows the link where no browser can open.",
                          "info")


def shown_count(table: EventTable) -> str:
    """How many events the table shows, in the words every count on screen uses: "78
    events", or "17 of 78 events" while a filter or a quick toggle hides some."""
    shown, total = len(table.visible_events), len(table.all_events)
    if shown == total and not table.filtering:
        return counted(total, "event")
    return f"{shown} of {counted(total, 'event')}"


async def series_of(client: GraphClient, master: EventRef) -> Recurrence | None:
    """The pattern of a series, for the details pane; None where it cannot be read (only an
    enrichment: a failure leaves the pattern out quietly)."""
    try:
        return (await client.event(master)).recurrence
    except (GraphError, GraphUnavailable):
        return None


class Details:
    """The details pane: the event under the cursor, with its series' pattern once read."""

    def __init__(self, screen: Screen[Any], owner_name: Callable[[], str | None],
                 load_series: Callable[[EventRef], object]) -> None:
        self.screen = screen
        self._owner_name = owner_name
        self._load_series = load_series  # the screen's worker: posts SeriesLoaded
        self.series: dict[str, Recurrence | None] = {}

    def show(self, event: Event | None) -> None:
        master = event.series_master_id if event is not None else None
        owner = self._owner_name() if event is not None and event.ref.mailbox.kind == "me" \
            else None
        self.screen.query_one(EventDetails).show(
            event, self.series.get(master) if master else None, owner)
        if event is not None and master and master not in self.series:
            self._load_series(EventRef(master, event.ref.mailbox, event.ref.calendar))

    def series_loaded(self, master_id: str, recurrence: Recurrence | None) -> None:
        self.series[master_id] = recurrence
        current = self.screen.query_one(EventTable).current
        if current is not None and current.series_master_id == master_id:
            self.show(current)
