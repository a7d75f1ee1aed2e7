"""The audit log inside the app: every cancel cal365 sent, newest first."""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from tui import audit
from tui.commands import bindings
from tui.widgets.format import printable
from tui.widgets.key_bar import KeyBar

_OUTCOME_STYLE = {"cancelled": "green", "not-organizer": "yellow", "not-found": "yellow"}


class AuditLoaded(Message):
    def __init__(self, log: audit.AuditLog | None, problem: str = "") -> None:
        super().__init__()
        self.log = log
        self.problem = problem


def audit_table(log: audit.AuditLog, tz: dt.tzinfo) -> Table:
    """The log, newest first, its times in `tz`: the zone every other time in the app is
    shown in (the log stores UTC), each followed by the zone's name as the details pane does."""
    table = Table(expand=True, box=None, padding=(0, 1), show_edge=False)
    for name in ("When", "Outcome", "Subject", "Mailbox", "Comment"):
        table.add_column(name, no_wrap=name != "Subject", overflow="ellipsis")
    for entry in reversed(log.entries):
        style = _OUTCOME_STYLE.get(entry.outcome, "red")
        table.add_row(
            _in_zone(entry.time, tz, "%d %b %H:%M"),
            Text(entry.outcome, style=style),
            _subject(entry, tz),
            Text(printable(entry.mailbox, 60)),
            Text(printable(entry.comment or "—", 120)),
        )
    return table


def _in_zone(moment: dt.datetime, tz: dt.tzinfo, layout: str) -> str:
    local = moment.astimezone(tz)
    return f"{local.strftime(layout)} {local.strftime('%Z')}".rstrip()


def _subject(entry: audit.AuditEntry, tz: dt.tzinfo) -> Text:
    """The subject, and below it when the meeting was: several share a subject."""
    text = Text(printable(entry.subject, 200) or "(no subject)")
    if entry.start:
        try:
            start = dt.datetime.fromisoformat(entry.start)
        except ValueError:
            when = printable(entry.start, 40)
        else:
            # Written with the offset of the zone then shown; a bare time is taken as `tz`'s.
            start = start if start.tzinfo else start.replace(tzinfo=tz)
            when = _in_zone(start, tz, "%a %d %b %Y %H:%M")
        text.append("\n" + when, style="dim")
    return text


class AuditScreen(ModalScreen[None]):
    BINDINGS = bindings("audit")

    def __init__(self, tz: dt.tzinfo) -> None:
        super().__init__()
        self.tz = tz  # the app's zone (--timezone, CAL365_TIMEZONE or this machine's)

    def compose(self) -> ComposeResult:
        with Vertical(id="audit-dialog"):
            yield Static(f"Audit log — {audit.audit_path()}", id="audit-title", markup=False)
            with VerticalScroll(id="audit-body"):
                yield Static("Reading…", id="audit-table", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.read_log()

    @work(exclusive=True, thread=True, exit_on_error=False)
    def read_log(self) -> None:
        try:
            self.post_message(AuditLoaded(audit.read(limit=500)))
        except OSError as error:
            self.post_message(AuditLoaded(None, error.strerror or str(error)))

    def on_audit_loaded(self, message: AuditLoaded) -> None:
        body = self.query_one("#audit-table", Static)
        if message.log is None:
            body.update(f"The audit log cannot be read: {message.problem}")
        elif not message.log.entries:
            body.update("No cancels yet.")
        else:
            body.update(audit_table(message.log, self.tz))
            if message.log.skipped:
                self.query_one("#audit-title", Static).update(
                    f"Audit log — {audit.audit_path()} ({message.log.skipped} unreadable lines "
                    "skipped)"
                )

    def action_close(self) -> None:
        self.dismiss(None)
