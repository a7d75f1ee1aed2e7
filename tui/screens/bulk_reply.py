"""Bulk reply: accept, tentatively accept or decline every marked invitation with one
comment, one dialog for all of them (the results screen is the bulk cancel's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Static, TextArea

from tui.commands import bindings
from tui.graph import Event
from tui.screens.bulk import event_line
from tui.screens.comment_dialog import CommentDialog
from tui.screens.reply import SEND_WORDS
from tui.widgets.format import counted, printable
from tui.widgets.key_bar import KeyBar

VERBS = {"accept": "accepted", "tentativelyAccept": "tentatively accepted",
         "decline": "declined"}
TITLES = {"accept": "Accept", "tentativelyAccept": "Tentatively accept", "decline": "Decline"}


@dataclass(frozen=True, slots=True)
class BulkReplyDecision:
    send: bool
    comment: str
    send_response: bool = True


class BulkReplyScreen(CommentDialog[BulkReplyDecision]):
    BINDINGS = bindings("bulk-reply")

    def __init__(self, events: list[Event], reply: str, draft: str = "",
                 owner: str | None = None, *, keep: Callable[[str], None] | None = None) -> None:
        """`owner`: the marked events are all in another person's calendar (None: "you")."""
        super().__init__(keep)
        self.events = events
        self.reply = reply
        self._draft = draft
        self.owner = owner

    @property
    def invited(self) -> list[Event]:
        return [e for e in self.events if not e.is_organizer and not e.is_cancelled]

    @property
    def others(self) -> list[Event]:
        return [e for e in self.events if e.is_organizer or e.is_cancelled]

    def compose(self) -> ComposeResult:
        invited, others = self.invited, self.others
        with Vertical(id="cancel-dialog", classes="-reply"):
            yield Static(f"{TITLES[self.reply]} {counted(len(invited), 'marked invitation')}",
                         id="cancel-title", markup=False)
            yield Static(self._summary(True), id="cancel-summary")
            with VerticalScroll(id="bulk-list"):
                for event in invited:
                    line = event_line(event)
                    line.append(f"  ({printable(event.organizer.label, 60)})", style="dim")
                    yield Static(line, classes="bulk-row")
                if others:
                    whose = "you organize" if self.owner is None else f"{self.owner} organizes"
                    yield Static(f"Left out: {len(others)} {whose} or cancelled (no reply goes "
                                 "to those)", classes="bulk-heading", markup=False)
                    for event in others:
                        yield Static(event_line(event), classes="bulk-row -other")
            yield Checkbox("Send a response to each organizer", True, id="reply-respond")
            yield Static("Comment to the organizers (optional; goes only with a response):",
                         id="cancel-label", markup=False)
            yield TextArea(self._draft, id="cancel-comment", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="cancel-buttons"):
                yield Button(f"{SEND_WORDS[self.reply]} all  Ctrl+S", id="cancel-send",
                             variant="primary" if self.reply == "accept" else "warning")
                yield Button("Back  Esc", id="cancel-back")
        yield KeyBar()

    def _summary(self, respond: bool) -> Text:
        invited = self.invited
        summary = Text()
        summary.append(f"{len(invited)} will be {VERBS[self.reply]}", style="bold")
        if not respond:
            summary.append("; no organizer is told (no response sent).")
            return summary
        summary.append("; each organizer is told, with your comment.")
        unrequested = sum(1 for e in invited if not e.response_requested)
        if unrequested:
            summary.append(f" {unrequested} asked for no response: without a comment they get "
                           "none; with one, Graph refuses it for them.")
        return summary

    @property
    def send_response(self) -> bool:
        return self.query_one("#reply-respond", Checkbox).value

    def action_toggle_response(self) -> None:
        self.query_one("#reply-respond", Checkbox).toggle()

    @on(Checkbox.Changed, "#reply-respond")
    def _respond_changed(self, changed: Checkbox.Changed) -> None:
        self.query_one("#cancel-summary", Static).update(self._summary(changed.value))

    def refusal(self) -> str | None:
        if not self.send_response and self.comment.strip():
            return ("A comment goes only with a response: turn on \"Send a response\" "
                    "(Ctrl+R) or clear the comment")
        return None

    def decision(self, send: bool) -> BulkReplyDecision:
        return BulkReplyDecision(send, self.comment, self.send_response)
