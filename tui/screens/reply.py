"""The reply dialog: accept, tentatively accept or decline an invitation, with a comment to
the organizer, whether the organizer is told at all, and for tentative and decline a new
time to propose where the meeting allows one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static, TextArea

from tui.actions.proposal import parse_new_time
from tui.commands import bindings
from tui.graph import Event
from tui.screens.comment_dialog import SeriesDialog
from tui.widgets.format import printable, when_label
from tui.widgets.key_bar import KeyBar

TITLES = {
    "accept": "Accept invitation",
    "tentativelyAccept": "Tentatively accept invitation",
    "decline": "Decline invitation",
}
SEND_WORDS = {"accept": "Accept", "tentativelyAccept": "Send tentative", "decline": "Decline"}


@dataclass(frozen=True, slots=True)
class ReplyDecision:
    """What the user chose; the comment comes back either way so it is never lost."""

    send: bool
    comment: str
    reply: str  # Graph's action: accept, tentativelyAccept, decline
    send_response: bool = True
    proposed: tuple[dt.datetime, dt.datetime] | None = None
    whole_series: bool = False


def offers_new_time(event: Event, reply: str) -> bool:
    """Graph takes a proposal only with tentative or decline, and only where the organizer
    allows new times (a 400 otherwise)."""
    return reply != "accept" and event.allow_new_time_proposals


def summary_text(event: Event, reply: str, whole_series: bool = False) -> Text:
    text = Text()
    text.append(printable(event.subject) or "(no subject)", style="bold")
    text.append("\n" + when_label(event))
    text.append(f"\nOrganizer: {printable(event.organizer.label, 200)}")
    if event.ref.mailbox.kind == "user":  # opened with `u`: the reply is the owner's
        text.append(f"\nReplying for {printable(event.ref.mailbox.id, 200)}.")
    if event.is_occurrence and whole_series:
        text.append("\nThe whole recurring series.", style="bold")
    elif event.is_occurrence:
        text.append("\nThis occurrence only; the rest of the series keeps its answer.",
                    style="bold")
    elif event.type == "seriesMaster":
        text.append("\nThe whole recurring series.", style="bold")
    if reply == "decline":
        text.append("\nDeclined, the meeting leaves the calendar (Graph moves it to Deleted "
                    "Items).")
    return text


class ReplyScreen(SeriesDialog[ReplyDecision]):
    BINDINGS = bindings("reply")

    def __init__(self, event: Event, reply: str, draft: str = "", *, note: str = "",
                 today: dt.date | None = None, tz: dt.tzinfo | None = None,
                 keep: Callable[[str], None] | None = None) -> None:
        """`note`: said first (the cancel key offering a decline says why); `keep`: saves
        the comment as a draft while it is typed (see CommentDialog)."""
        super().__init__(keep)
        self.event = event
        self.reply = reply
        self._draft = draft
        self._note = note
        self._tz = tz or dt.UTC
        self._today = today or dt.datetime.now(self._tz).date()
        # The organizer asked for no responses: Graph refuses one (sendResponse true).
        self._respond_first = event.response_requested

    def compose(self) -> ComposeResult:
        event = self.event
        with Vertical(id="cancel-dialog", classes="-reply"):
            yield Static(TITLES[self.reply], id="cancel-title")
            if self._note:
                yield Static(self._note, id="reply-note", markup=False)
            yield Static(summary_text(event, self.reply), id="cancel-summary", markup=False)
            if self._offers_series:
                with RadioSet(id="cancel-scope"):
                    yield RadioButton("This occurrence only", value=True, id="scope-occurrence")
                    yield RadioButton("The whole series", id="scope-series")
            who = printable(event.organizer.label, 60) or "the organizer"
            # Content, not a string: a name is server text, never read as markup.
            yield Checkbox(Content(f"Send a response to {who}"), self._respond_first,
                           id="reply-respond")
            if not event.response_requested:
                yield Static("The organizer asked for no responses: none is sent unless you "
                             "turn it on (Graph may refuse it).", id="reply-unrequested",
                             markup=False)
            if offers_new_time(event, self.reply):
                yield Static("Propose a new time (optional), e.g. 14:00-15:00 or friday 9:30-10:",
                             id="reply-time-label", markup=False)
                yield Input("", placeholder="e.g. 14:00-15:00", id="reply-time")
            yield Static("Comment to the organizer (optional; goes only with a response):",
                         id="cancel-label", markup=False)
            yield TextArea(self._draft, id="cancel-comment", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="cancel-buttons"):
                yield Button(f"{SEND_WORDS[self.reply]}  Ctrl+S", id="cancel-send",
                             variant="primary" if self.reply == "accept" else "warning")
                yield Button("Back  Esc", id="cancel-back")
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        for line in self.query(Input):
            line.cursor_blink = False

    @property
    def send_response(self) -> bool:
        return self.query_one("#reply-respond", Checkbox).value

    @property
    def _time_text(self) -> str:
        lines = self.query("#reply-time")
        return self.query_one("#reply-time", Input).value.strip() if lines else ""

    def _new_time(self) -> tuple[dt.datetime, dt.datetime] | None:
        """The time typed (None: none). Raises ValueError with words."""
        text = self._time_text
        if not text:
            return None
        day = self.event.start.date() if self.event.start is not None else self._today
        return parse_new_time(text, day, self._today, self._tz)

    def refusal(self) -> str | None:
        # Graph refuses a comment or a proposal without a response: said here, sent never.
        if not self.send_response and self.comment.strip():
            return ("A comment goes only with a response: turn on \"Send a response\" "
                    "(Ctrl+R) or clear the comment")
        try:
            proposed = self._new_time()
        except ValueError as error:
            return f"New time: {error}"
        if proposed is not None and not self.send_response:
            return "A new time goes only with a response: turn on \"Send a response\" (Ctrl+R)"
        return None

    def decision(self, send: bool) -> ReplyDecision:
        proposed: tuple[dt.datetime, dt.datetime] | None = None
        if send:  # `refusal` has read it already: it parses
            proposed = self._new_time()
        return ReplyDecision(send, self.comment, self.reply, self.send_response, proposed,
                             self.whole_series)

    def action_toggle_response(self) -> None:
        self.query_one("#reply-respond", Checkbox).toggle()

    def scope_summary(self, whole_series: bool) -> Text:
        return summary_text(self.event, self.reply, whole_series)
