"""The help screen, generated from the command registry."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.commands import COMMANDS, SCOPE_TITLES, bindings
from tui.widgets.event_table import MARK_ATTENDEE, MARK_CANCELLED, MARK_ORGANIZER, MARK_RECURRING


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for scope, title in SCOPE_TITLES.items():
        rows = [c for c in COMMANDS if c.scope == scope]
        if not rows:
            continue
        table.add_row(Text(title, style="bold underline"), "")
        for command in rows:
            table.add_row(command.shown_keys, command.help)
        table.add_row("", "")
    table.add_row(Text("Marks in the events pane", style="bold underline"), "")
    table.add_row(MARK_ORGANIZER, "you organize this meeting")
    table.add_row(MARK_ATTENDEE, "you attend (someone else organizes)")
    table.add_row(MARK_RECURRING, "part of a recurring series")
    table.add_row(MARK_CANCELLED, "cancelled by its organizer")
    table.add_row("", "")
    table.add_row("Mouse", "click a pane, a calendar or an event; double-click opens")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings("help")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static("cal365 — keys", id="help-title")
            yield Static(help_table(), id="help-body")
