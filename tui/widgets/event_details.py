"""The details pane: everything a user needs to decide about one event."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.commands import bindings
from tui.graph import Event
from tui.graph.recurrence import Recurrence
from tui.widgets.format import (
    printable,
    printable_block,
    recurrence_label,
    response_label,
    when_label,
)


def describe(event: Event, series: Recurrence | None = None) -> Text:
    """The event as styled text; server strings are appended as plain text, never markup."""
    text = Text()
    text.append(printable(event.subject) or "(no subject)", style="bold")
    text.append("\n")
    if event.is_cancelled:
        text.append("Cancelled by the organizer\n", style="bold red")
    text.append(when_label(event) + "\n", style="italic")
    pattern = event.recurrence or series
    if event.is_occurrence:
        text.append("One occurrence of a recurring series\n")
    elif event.type == "seriesMaster":
        text.append("A recurring series\n")
    if pattern is not None:
        text.append(recurrence_label(pattern) + "\n", style="dim")

    def field(label: str, value: str) -> None:
        text.append(f"\n{label}: ", style="bold")
        text.append(printable(value))

    organizer = event.organizer
    who = organizer.label + (
        f" <{organizer.address}>" if organizer.name and organizer.address else ""
    )
    field("Organizer", who)
    field(
        "You", "organize this meeting" if event.is_organizer else response_label(event.my_response)
    )
    if event.location:
        field("Location", event.location)
    if event.online_meeting_url:
        field("Online meeting", event.online_meeting_url)
    if event.web_link:
        field("In Outlook", "o opens it, y copies the link")
    attendees = event.attendees
    text.append(f"\n\nAttendees ({len(attendees)})", style="bold")
    if not attendees:
        text.append("\n  none")
    for attendee in attendees:
        text.append("\n  ")
        text.append(printable(attendee.person.label, 200))
        note = response_label(attendee.response)
        if attendee.type != "required":
            note = f"{attendee.type}, {note}"
        text.append(f"  ({note})", style="dim")
    if event.unreadable:
        text.append(f"\n\nGraph sent fields cal365 could not read: {', '.join(event.unreadable)}",
                    style="italic")
    if event.body_preview.strip():
        text.append("\n\n")
        text.append(printable_block(event.body_preview.strip()))
    return text


class EventDetails(VerticalScroll, can_focus=True):
    BINDINGS = bindings("details")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._body = Static("", markup=False, id="details-body")

    def compose(self) -> ComposeResult:
        yield self._body

    def show(self, event: Event | None, series: Recurrence | None = None) -> None:
        """Show `event`; `series` is its series' pattern when the event is an occurrence."""
        if event is None:
            self._body.update(Text("No event selected.", style="dim"))
        else:
            self._body.update(describe(event, series))
        self.scroll_home(animate=False)
