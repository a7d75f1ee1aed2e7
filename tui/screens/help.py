"""The help screen, generated from the command registry."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.commands import COMMANDS, SCOPE_TITLES, bindings
from tui.widgets.event_table import (
    MARK_ACCEPTED,
    MARK_ATTENDEE,
    MARK_CANCELLED,
    MARK_DECLINED,
    MARK_ORGANIZER,
    MARK_RECURRING,
    MARK_TENTATIVE,
)
from tui.widgets.key_bar import KeyBar


def legend(owner: str | None = None) -> list[tuple[str, str]]:
    """The events pane's marks and what they mean. Graph's organizer flag and response are
    the calendar owner's: in another person's calendar (`owner`, their name) they are said
    of them, not of "you"."""
    who, verb = (owner, "s") if owner is not None else ("you", "")
    return [
        (MARK_ORGANIZER, f"{who} organize{verb} this meeting"),
        (MARK_ATTENDEE, f"invited by someone else; {who} {'have' if owner is None else 'has'} "
                        "not answered"),
        (MARK_ACCEPTED, f"invited; {who} accepted"),
        (MARK_TENTATIVE, f"invited; {who} accepted tentatively"),
        (MARK_DECLINED, f"invited; {who} declined"),
        (MARK_RECURRING, "part of a recurring series"),
        (MARK_CANCELLED, "cancelled by its organizer"),
    ]


def help_table(owner: str | None = None, keymap: Mapping[str, str] | None = None) -> Table:
    """Every key from the registry, then the marks; `owner`: the open calendar is that
    person's, and the lines about roles name them; `keymap`: the user's own keys."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for scope, title in SCOPE_TITLES.items():
        rows = [c for c in COMMANDS if c.scope == scope]
        if not rows:
            continue
        table.add_row(Text(title, style="bold underline"), "")
        for command in rows:
            table.add_row(command.keys_shown(keymap), Text(command.help_for(owner)))
        table.add_row("", "")
    table.add_row(Text("Marks in the events pane", style="bold underline"), "")
    for mark, meaning in legend(owner):
        table.add_row(mark, Text(meaning))
    table.add_row("", "")
    table.add_row("Mouse", "click a pane, a calendar or an event; double-click opens")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings("help")

    def __init__(self, owner: str | None = None,
                 keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.owner = owner
        """Whose calendar is open, when it is another person's (None: the user's own)."""
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static("cal365 — keys", id="help-title")
            yield Static(help_table(self.owner, self.keymap), id="help-body")
        yield KeyBar()
