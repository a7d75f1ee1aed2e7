"""Bulk cancel: one dialog for every marked meeting, and a screen with each one's outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static, TextArea

from tui.actions.outcome import AUDIT_OUTCOME, Kind, classify_item
from tui.commands import bindings
from tui.graph import Event
from tui.graph.batch import BatchItemOutcome
from tui.screens.comment_dialog import CommentDialog
from tui.widgets.format import counted, day_label, printable
from tui.widgets.key_bar import KeyBar

# Each row's words, by the one classifier's kind (tui.actions.outcome), so that an outcome
# reads here as it does in the status line, the audit log and a script's exit code.
ROW_WORDS: dict[Kind, str] = {
    "done": "cancelled",
    "not-organizer": "not cancelled: not the organizer",
    "not-found": "not cancelled: no longer on the server (cancelled or deleted elsewhere)",
    "auth-needed": "not cancelled: the sign-in was refused (sign in again)",
    "refused": "not cancelled: Graph refused it",
    "not-sent": "not cancelled: nothing reached the attendees",
    "unknown": "outcome unknown: it may have gone through (check before sending again)",
    "unreachable": "outcome unknown: it may have gone through (check before sending again)",
    "other": "outcome unknown: it may have gone through (check before sending again)",
}
# The row's reason (Graph's words) adds nothing to these.
_SAID_ENOUGH: frozenset[Kind] = frozenset({"done", "not-organizer"})
# Sent again by r: nothing happened to them, or it may have (the retry looks first).
_RETRIED: frozenset[Kind] = frozenset({"auth-needed", "refused", "not-sent", "unknown",
                                       "unreachable", "other"})


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

    def __init__(self, events: list[Event], draft: str = "", owner: str | None = None, *,
                 keep: Callable[[str], None] | None = None) -> None:
        super().__init__(keep)
        self.events = events
        self._draft = draft
        self.owner = owner
        """The marked meetings are all in another person's calendar: Graph's organizer flag
        is theirs, and the dialog names them (None: "you")."""
        self._decided = False
        self._left_out = bool(self.others)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "Include others" is offered only when some are left out; Space and Enter go into
        # the comment, so this is the checkbox's key.
        return self._left_out if action == "toggle_include" else True

    def action_toggle_include(self) -> None:
        if self._left_out:
            self.query_one("#bulk-include", Checkbox).toggle()

    def decision(self, send: bool) -> BulkDecision:
        include = self.query("#bulk-include")
        others = bool(include) and self.query_one("#bulk-include", Checkbox).value
        return BulkDecision(send, self.comment, others)


class BulkResultsScreen(ModalScreen[bool]):
    """Each event's outcome; dismisses True when the user asks to retry the failed ones."""

    BINDINGS = bindings("results")

    def __init__(self, outcomes: list[tuple[Event, BatchItemOutcome]], requests: int,
                 unaudited: str = "") -> None:
        """`unaudited`: what to say when some outcomes could not be written to the audit log."""
        super().__init__()
        self.outcomes = outcomes
        self.requests = requests
        self.unaudited = unaudited

    @property
    def retryable(self) -> list[tuple[Event, BatchItemOutcome]]:
        return [(e, o) for e, o in self.outcomes if classify_item(o) in _RETRIED]

    def compose(self) -> ComposeResult:
        # The title counts in the audit log's words (cancelled, failed, unconfirmed…).
        counts: dict[str, int] = {}
        for _, outcome in self.outcomes:
            said = AUDIT_OUTCOME[classify_item(outcome)]
            counts[said] = counts.get(said, 0) + 1
        summary = ", ".join(f"{n} {said}" for said, n in counts.items())
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
            if self.unaudited:
                yield Static(self.unaudited, id="results-unaudited", markup=False)
            with VerticalScroll(id="results-list"):
                for event, outcome in self.outcomes:
                    kind = classify_item(outcome)
                    line = event_line(event)
                    words = ROW_WORDS[kind]
                    if outcome.reason and kind not in _SAID_ENOUGH:
                        words += f": {printable(outcome.reason, 200)}"
                    line.append("  → " + words, style=f"bold {_style(kind)}")
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


def _style(kind: Kind) -> str:
    if kind == "done":
        return "green"
    return "yellow" if kind in ("not-organizer", "not-found") else "red"
