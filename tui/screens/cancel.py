"""The cancel dialog: what will be cancelled, who will be told, and the comment to send."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, RadioButton, RadioSet, Static, TextArea

from tui.commands import bindings
from tui.graph import Event
from tui.screens.comment_dialog import SeriesDialog
from tui.widgets.format import printable, when_label
from tui.widgets.key_bar import KeyBar


@dataclass(frozen=True, slots=True)
class CancelDecision:
    """What the user chose; the comment comes back either way so it is never lost.

    `whole_series` is true when the user chose to cancel the series an occurrence belongs to.
    """

    send: bool
    comment: str
    whole_series: bool = False


def summary_text(event: Event, whole_series: bool = False) -> Text:
    text = Text()
    text.append(printable(event.subject) or "(no subject)", style="bold")
    text.append("\n" + when_label(event))
    if event.ref.mailbox.kind == "user":  # opened with `u`: say whose calendar it is
        text.append(f"\nIn the calendar of {printable(event.ref.mailbox.id, 200)}.")
    if event.is_occurrence and whole_series:
        text.append("\nThe whole recurring series, past and future occurrences.", style="bold")
    elif event.is_occurrence:
        text.append("\nThis occurrence only; the rest of the series stays.", style="bold")
    elif event.type == "seriesMaster":
        text.append("\nThe whole recurring series.", style="bold")
    told = len(event.notified_attendees)
    if not event.is_organizer:
        text.append(f"\nIt has {told} attendee{'s' if told != 1 else ''}.")
    elif told == 0:
        text.append("\nNo attendees: nobody will be notified.")
    else:
        people = "attendee" if told == 1 else "attendees"
        text.append(f"\n{told} {people} will be told, with your comment below.")
    return text


def warning(event: Event) -> str:
    if event.is_cancelled:
        return (
            "This meeting is already cancelled by its organizer. "
            "Graph will refuse: only the organizer can cancel a meeting."
        )
    if not event.is_organizer:
        who = printable(event.organizer.label, 200)
        mailbox = event.ref.mailbox  # elsewhere Graph's organizer flag is the owner's
        owner = "You do" if mailbox.kind == "me" else "The group does"
        if mailbox.kind == "user":
            owner = f"{printable(mailbox.id, 200)} does"
        return (
            f"{owner} not organize this meeting ({who} does). "
            "Graph will refuse: only the organizer can cancel a meeting."
        )
    return ""


class CancelScreen(SeriesDialog[CancelDecision]):
    BINDINGS = bindings("cancel")

    def __init__(self, event: Event, draft: str = "", *, series_in_view: int = 0,
                 keep: Callable[[str], None] | None = None) -> None:
        """`series_in_view`: upcoming occurrences of the event's series in the loaded window;
        `keep`: saves the comment as a draft while it is typed (see CommentDialog)."""
        super().__init__(keep)
        self.event = event
        self._draft = draft
        self._series_in_view = series_in_view

    def compose(self) -> ComposeResult:
        with Vertical(id="cancel-dialog"):
            yield Static("Cancel meeting", id="cancel-title")
            yield Static(summary_text(self.event), id="cancel-summary", markup=False)
            note = warning(self.event)
            yield Static(note, id="cancel-warning", markup=False, classes="" if note else "-hidden")
            yield Static(
                "Comment to attendees (optional; empty sends Outlook's default notice):",
                id="cancel-label",
                markup=False,
            )
            if self._offers_series:
                upcoming = self._series_in_view
                with RadioSet(id="cancel-scope"):
                    yield RadioButton("This occurrence only", value=True, id="scope-occurrence")
                    yield RadioButton(
                        f"The whole series ({upcoming} upcoming in this window; past "
                        "occurrences go too)",
                        id="scope-series",
                    )
            yield TextArea(self._draft, id="cancel-comment", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="cancel-buttons"):
                yield Button("Send cancellation  Ctrl+S", id="cancel-send", variant="error")
                yield Button("Back  Esc", id="cancel-back")
        yield KeyBar()

    def decision(self, send: bool) -> CancelDecision:
        return CancelDecision(send, self.comment, self.whole_series)

    def scope_summary(self, whole_series: bool) -> Text:
        return summary_text(self.event, whole_series)
