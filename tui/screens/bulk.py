"""Bulk cancel: one dialog for every marked meeting, and a screen with each one's outcome."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static, TextArea

from tui.commands import bindings
from tui.graph import Event
from tui.graph.batch import BatchItemOutcome
from tui.screens.comment_dialog import CommentDialog
from tui.widgets.format import counted, day_label, printable
from tui.widgets.key_bar import KeyBar

OUTCOME_WORDS = {
    "cancelled": "cancelled",
    "refused": "refused: not the organizer",
    "not_found": "not found: already cancelled or deleted elsewhere",
    "failed": "failed",
    "unknown": "outcome unknown",
}


def event_line(event: Event) -> Text:
    text = Text()
    if event.start is not None:
        when = day_label(event.start.date())
        if not event.is_all_day:
            when += " " + event.start.strftime("%H:%M")
        text.append(f"{when:<18}", style="dim")
    text.append(printable(event.subject, 120) or "(no subject)")
    return text


@dataclass(frozen=True, slots=True)
class BulkDecision:
    send: bool
    comment: str
    include_others: bool
    """Also send for meetings the user does not organize (Graph will refuse them)."""


class BulkCancelScreen(CommentDialog[BulkDecision]):
    BINDINGS = bindings("bulk")

    def __init__(self, events: list[Event], draft: str = "", owner: str | None = None) -> None:
        super().__init__()
        self.events = events
        self._draft = draft
        self.owner = owner
        """The marked meetings are all in another person's calendar: Graph's organizer flag
        is theirs, and the dialog names them (None: "you")."""
        self._decided = False

    @property
    def mine(self) -> list[Event]:
        return [e for e in self.events if e.is_organizer and not e.is_cancelled]

    @property
    def others(self) -> list[Event]:
        return [e for e in self.events if not (e.is_organizer and not e.is_cancelled)]

    def compose(self) -> ComposeResult:
        mine, others = self.mine, self.others
        told = sum(len(e.notified_attendees) for e in mine)
        with Vertical(id="cancel-dialog"):
            yield Static(f"Cancel {counted(len(self.events), 'marked meeting')}",
                         id="cancel-title")
            summary = Text()
            whose = "you organize" if self.owner is None else f"organized by {self.owner}"
            summary.append(f"{len(mine)} {whose} will be cancelled", style="bold")
            summary.append(f"; {told} attendee notices will go out with your comment.")
            yield Static(summary, id="cancel-summary")
            with VerticalScroll(id="bulk-list"):
                for event in mine:
                    yield Static(event_line(event), classes="bulk-row")
                if others:
                    not_theirs = ("you do not organize" if self.owner is None
                                  else f"{self.owner} does not organize")
                    yield Static(
                        f"Left out: {len(others)} {not_theirs} (Graph refuses those)",
                        classes="bulk-heading", markup=False,  # it names the owner
                    )
                    for event in others:
                        line = event_line(event)
                        line.append(f"  ({printable(event.organizer.label, 60)})", style="dim")
                        yield Static(line, classes="bulk-row -other")
            if others:
                yield Checkbox("Send for those too (they will be refused)", id="bulk-include")
            yield Static("Comment to all attendees (optional):", id="cancel-label")
            yield TextArea(self._draft, id="cancel-comment", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="cancel-buttons"):
                yield Button("Send cancellations  Ctrl+S", id="cancel-send", variant="error")
                yield Button("Back  Esc", id="cancel-back")
        yield KeyBar()

    def decision(self, send: bool) -> BulkDecision:
        include = self.query("#bulk-include")
        others = bool(include) and self.query_one("#bulk-include", Checkbox).value
        return BulkDecision(send, self.comment, others)


class BulkResultsScreen(ModalScreen[bool]):
    """Each event's outcome; dismisses True when the user asks to retry the failed ones."""

    BINDINGS = bindings("results")

    def __init__(self, outcomes: list[tuple[Event, BatchItemOutcome]], requests: int) -> None:
        super().__init__()
        self.outcomes = outcomes
        self.requests = requests

    @property
    def retryable(self) -> list[tuple[Event, BatchItemOutcome]]:
        return [(e, o) for e, o in self.outcomes if o.status in ("failed", "unknown")]

    def compose(self) -> ComposeResult:
        counts: dict[str, int] = {}
        for _, outcome in self.outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        summary = ", ".join(f"{n} {OUTCOME_WORDS[s].split(':')[0]}" for s, n in counts.items())
        with Vertical(id="results-dialog"):
            yield Static(f"Bulk cancel: {summary}", id="results-title", markup=False)
            yield Static(
                f"{counted(len(self.outcomes), 'meeting')} in "
                f"{counted(self.requests, 'batch request')}. "
                + ("r retries the failed ones · " if self.retryable else "")
                + "Esc closes",
                id="results-hint",
                markup=False,
            )
            with VerticalScroll(id="results-list"):
                for event, outcome in self.outcomes:
                    line = event_line(event)
                    words = OUTCOME_WORDS[outcome.status]
                    if outcome.reason and outcome.status not in ("cancelled", "refused"):
                        words += f": {printable(outcome.reason, 200)}"
                    line.append("  → " + words, style=f"bold {_STYLE[outcome.status]}")
                    yield Static(line, classes="bulk-row")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "Retry failed" is offered only when something failed.
        return bool(self.retryable) if action == "retry" else True

    def action_retry(self) -> None:
        if self.retryable:
            self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)


_STYLE = {
    "cancelled": "green",
    "refused": "yellow",
    "not_found": "yellow",
    "failed": "red",
    "unknown": "red",
}
