"""Bulk cancel: one dialog for every marked meeting, and a screen with each one's outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, RadioButton, RadioSet, Static, TextArea

from tui.actions.outcome import DONE_WORD, Kind, audit_outcome, classify_item
from tui.commands import bindings
from tui.graph import Event
from tui.graph.batch import BatchItemOutcome
from tui.screens.comment_dialog import CommentDialog
from tui.widgets.format import counted, day_label, printable
from tui.widgets.key_bar import KeyBar

# Each row's words, by the one classifier's kind (tui.actions.outcome), so that an outcome
# reads here as it does in the status line, the audit log and a script's exit code; "{done}"
# and "{not_done}" are the write's own words ("cancelled", "not declined").
ROW_WORDS: dict[Kind, str] = {
    "done": "{done}",
    "not-organizer": "{not_done}: not the organizer",
    "is-organizer": "{not_done}: Graph takes no reply from the meeting's organizer",
    "not-found": "{not_done}: no longer on the server (cancelled or deleted elsewhere)",
    "auth-needed": "{not_done}: the sign-in was refused (sign in again)",
    "refused": "{not_done}: Graph refused it",
    "not-sent": "{not_done}: {unsent}",
    "unknown": "outcome unknown: it may have gone through (check before sending again)",
    "unreachable": "outcome unknown: it may have gone through (check before sending again)",
    "other": "outcome unknown: it may have gone through (check before sending again)",
}


# What a write that certainly did not take effect did not do.
UNSENT = {"cancel": "nothing reached the attendees", "delete": "nothing was deleted"}


def row_words(kind: Kind, action: str = "cancel") -> str:
    done = DONE_WORD.get(action, action)
    unsent = UNSENT.get(action, "nothing reached the organizer")
    return ROW_WORDS[kind].format(done=done, not_done=f"not {done}", unsent=unsent)


# The row's reason (Graph's words) adds nothing to these.
_SAID_ENOUGH: frozenset[Kind] = frozenset({"done", "not-organizer", "is-organizer"})
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
    include_others: bool = False
    """Also send cancels for meetings the user does not organize (Graph will refuse them)."""
    cancel: bool = True
    """Cancel the marked meetings the user organizes."""
    decline: bool = False
    """Decline the marked invitations (meetings someone else organizes)."""


# The choices when the marks hold both meetings one organizes and invitations.
SPLITS = ("cancel", "decline", "both")


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
        self._split = "cancel" if self.mine or not self.invited else "decline"
        # Refused cancels are offered only where no decline is: with invitations marked,
        # the choice is to decline them.
        self._left_out = bool(self.others) and not self.invited

    @property
    def mine(self) -> list[Event]:
        return [e for e in self.events if e.is_organizer and not e.is_cancelled]

    @property
    def others(self) -> list[Event]:
        return [e for e in self.events if not (e.is_organizer and not e.is_cancelled)]

    @property
    def invited(self) -> list[Event]:
        return [e for e in self.events if not e.is_organizer and not e.is_cancelled]

    def _who(self, verb: str) -> str:
        return f"you {verb}" if self.owner is None else f"{self.owner} {verb}s"

    def _summary(self) -> Text:
        mine, invited = self.mine, self.invited
        summary = Text()
        parts: list[str] = []
        if self._split in ("cancel", "both"):
            whose = "you organize" if self.owner is None else f"organized by {self.owner}"
            told = sum(len(e.notified_attendees) for e in mine)
            parts.append(f"{len(mine)} {whose} will be cancelled ({told} attendee notices)")
        if self._split in ("decline", "both"):
            parts.append(f"{len(invited)} {self._who('attend')} will be declined "
                         "(each organizer is told)")
        summary.append("; ".join(parts), style="bold")
        summary.append("; with your comment." if parts else "Nothing will be sent.")
        return summary

    def _left_out_rows(self) -> list[Event]:
        sent = set()
        if self._split in ("cancel", "both"):
            sent |= {e.id for e in self.mine}
        if self._split in ("decline", "both"):
            sent |= {e.id for e in self.invited}
        return [e for e in self.events if e.id not in sent]

    def _title(self) -> str:
        counts = {"cancel": f"Cancel {counted(len(self.mine), 'marked meeting')}",
                  "decline": f"Decline {counted(len(self.invited), 'marked invitation')}",
                  "both": f"Cancel {len(self.mine)}, decline {len(self.invited)} marked"}
        if not self.invited:
            return f"Cancel {counted(len(self.events), 'marked meeting')}"
        return counts[self._split]

    def compose(self) -> ComposeResult:
        mine, invited = self.mine, self.invited
        with Vertical(id="cancel-dialog"):
            yield Static(self._title(), id="cancel-title", markup=False)
            yield Static(self._summary(), id="cancel-summary")
            if invited and mine:
                with RadioSet(id="bulk-split"):
                    # Content, not strings: the owner's name is server text, not markup.
                    yield RadioButton(
                        Content(f"Only cancel the {len(mine)} {self._who('organize')}"),
                        value=self._split == "cancel", id="split-cancel")
                    yield RadioButton(
                        Content(f"Only decline the {len(invited)} {self._who('attend')}"),
                        value=self._split == "decline", id="split-decline")
                    yield RadioButton("Both", value=self._split == "both", id="split-both")
            with VerticalScroll(id="bulk-list"):
                yield from self._rows()
            if self._left_out:
                yield Checkbox("Send for those too (they will be refused)", id="bulk-include")
            label = ("Comment to all attendees (optional):" if not invited else
                     "Comment (optional; to the attendees you cancel for and the organizers "
                     "you decline):")
            yield Static(label, id="cancel-label", markup=False)
            yield TextArea(self._draft, id="cancel-comment", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="cancel-buttons"):
                yield Button(self._send_label(), id="cancel-send", variant="error")
                yield Button("Back  Esc", id="cancel-back")
        yield KeyBar()

    def _send_label(self) -> str:
        word = {"cancel": "Send cancellations", "decline": "Send declines",
                "both": "Cancel and decline"}[self._split]
        return f"{word}  Ctrl+S"

    def _rows(self) -> list[Static]:
        rows: list[Static] = []
        left = {e.id for e in self._left_out_rows()}
        for event in self.events:
            if event.id not in left:
                rows.append(Static(event_line(event), classes="bulk-row"))
        if left:
            not_theirs = ("you do not organize" if self.owner is None
                          else f"{self.owner} does not organize")
            if not self.invited:
                why = f"{not_theirs} (Graph refuses those)"
            elif self._split == "cancel":
                why = f"{not_theirs} (Ctrl+T declines the invitations among them)"
            elif self._split == "decline":
                why = f"{self._who('organize')} or cancelled (Ctrl+T cancels yours too)"
                if not self.mine:
                    why = "cancelled already: no reply goes to those"
            else:
                why = "cancelled already"
            rows.append(Static(f"Left out: {len(left)} {why}", classes="bulk-heading",
                               markup=False))  # it names the owner
            for event in self.events:
                if event.id in left:
                    line = event_line(event)
                    line.append(f"  ({printable(event.organizer.label, 60)})", style="dim")
                    rows.append(Static(line, classes="bulk-row -other"))
        return rows

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "Include others" is offered only when some are left out; Space and Enter go into
        # the comment, so this is the checkbox's key. The split, only when there is one.
        if action == "toggle_include":
            return self._left_out
        if action == "toggle_split":
            return bool(self.mine and self.invited)
        return True

    def action_toggle_include(self) -> None:
        if self._left_out:
            self.query_one("#bulk-include", Checkbox).toggle()

    def action_toggle_split(self) -> None:
        if self.mine and self.invited:
            following = SPLITS[(SPLITS.index(self._split) + 1) % len(SPLITS)]
            self.query_one(f"#split-{following}", RadioButton).value = True

    @on(RadioSet.Changed, "#bulk-split")
    async def _split_changed(self, changed: RadioSet.Changed) -> None:
        self._split = (changed.pressed.id or "split-cancel").removeprefix("split-")
        self.query_one("#cancel-title", Static).update(self._title())
        self.query_one("#cancel-summary", Static).update(self._summary())
        self.query_one("#cancel-send", Button).label = self._send_label()
        listing = self.query_one("#bulk-list", VerticalScroll)
        await listing.remove_children()
        await listing.mount_all(self._rows())

    def decision(self, send: bool) -> BulkDecision:
        include = self.query("#bulk-include")
        others = bool(include) and self.query_one("#bulk-include", Checkbox).value
        return BulkDecision(send, self.comment, others,
                            cancel=self._split in ("cancel", "both"),
                            decline=self._split in ("decline", "both"))


class BulkResultsScreen(ModalScreen[bool]):
    """Each event's outcome; dismisses True when the user asks to retry the failed ones."""

    BINDINGS = bindings("results")

    def __init__(self, outcomes: list[tuple[Event, BatchItemOutcome]], requests: int,
                 unaudited: str = "", *, actions: dict[str, str] | None = None) -> None:
        """`unaudited`: what to say when some outcomes could not be written to the audit log;
        `actions`: each event's write by id (cancel when not given)."""
        super().__init__()
        self.outcomes = outcomes
        self.requests = requests
        self.unaudited = unaudited
        self.actions = actions or {}

    @property
    def retryable(self) -> list[tuple[Event, BatchItemOutcome]]:
        return [(e, o) for e, o in self.outcomes if classify_item(o) in _RETRIED]

    def compose(self) -> ComposeResult:
        # The title counts in the audit log's words (cancelled, failed, unconfirmed…).
        counts: dict[str, int] = {}
        for event, outcome in self.outcomes:
            said = audit_outcome(classify_item(outcome), self.actions.get(event.id, "cancel"))
            counts[said] = counts.get(said, 0) + 1
        summary = ", ".join(f"{n} {said}" for said, n in counts.items())
        actions = set(self.actions.values()) or {"cancel"}
        name = {"cancel": "Bulk cancel", "accept": "Bulk accept",
                "tentativelyAccept": "Bulk tentative", "decline": "Bulk decline",
                "delete": "Bulk delete"}.get(actions.pop(), "Bulk") if len(actions) == 1 \
            else "Bulk cancel and decline"
        with Vertical(id="results-dialog"):
            yield Static(f"{name}: {summary}", id="results-title", markup=False)
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
                    words = row_words(kind, self.actions.get(event.id, "cancel"))
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
    return "yellow" if kind in ("not-organizer", "is-organizer", "not-found") else "red"
