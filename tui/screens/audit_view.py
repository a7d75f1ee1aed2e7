"""The audit log inside the app: every cancel cal365 sent, newest first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.actions import audit
from tui.commands import bindings
from tui.widgets.format import fit_cell, printable
from tui.widgets.key_bar import KeyBar

_OUTCOME_STYLE = {"cancelled": "green", "accepted": "green", "tentative": "green",
                  "declined": "green", "deleted": "green", "not-organizer": "yellow",
                  "is-organizer": "yellow", "not-found": "yellow"}


class AuditLoaded(Message):
    def __init__(self, log: audit.AuditLog | None, problem: str = "") -> None:
        super().__init__()
        self.log = log
        self.problem = problem


def audit_table(log: audit.AuditLog, tz: dt.tzinfo) -> AuditTable:
    """The log, newest first, its times in `tz`: the zone every other time in the app is
    shown in (the log stores UTC), each followed by the zone's name as the details pane does.
    It lays itself out for the width it is drawn in (see `AuditTable`)."""
    return AuditTable([_row(entry, tz) for entry in reversed(log.entries)], tz)


def _in_zone(moment: dt.datetime, tz: dt.tzinfo, layout: str, zone: bool = True) -> str:
    local = moment.astimezone(tz)
    if not zone:
        return local.strftime(layout)
    return f"{local.strftime(layout)} {local.strftime('%Z')}".rstrip()


class _Row(NamedTuple):
    """One entry's cells, in the long and the short form of each shortenable column."""

    when: str
    when_short: str
    outcome: str
    subject: str
    meeting: str
    meeting_short: str
    comment: str
    mailbox: str


def _row(entry: audit.AuditEntry, tz: dt.tzinfo) -> _Row:
    meeting = meeting_short = ""
    if entry.start:
        try:
            start = dt.datetime.fromisoformat(entry.start)
        except ValueError:
            meeting = meeting_short = printable(entry.start, 40)
        else:
            # Written with the offset of the zone then shown; a bare time is taken as `tz`'s.
            start = start if start.tzinfo else start.replace(tzinfo=tz)
            meeting = _in_zone(start, tz, "%a %d %b %Y %H:%M")
            meeting_short = _in_zone(start, tz, "%d %b %H:%M", zone=False)
    return _Row(
        when=_in_zone(entry.time, tz, "%d %b %H:%M"),
        when_short=_in_zone(entry.time, tz, "%d %b %H:%M", zone=False),
        outcome=entry.said,  # "decline failed": the write named when not done
        subject=printable(entry.subject, 200) or "(no subject)",
        meeting=meeting,
        meeting_short=meeting_short,
        comment=printable(entry.comment or "—", 120),
        mailbox=printable(entry.mailbox, 60),
    )


# The columns in the order shown, with a header each. Which appear, and in which form, is
# decided by `_layout` for the width at hand.
_HEADERS = {"when": "When", "outcome": "Outcome", "subject": "Subject",
            "meeting": "Meeting", "comment": "Comment", "mailbox": "Mailbox"}
# Cells a shrinkable column keeps before it goes (its longest cell, if shorter).
_SUBJECT_MIN, _COMMENT_MIN, _COMMENT_SHORT, _MAILBOX_MIN = 30, 20, 12, 16
_COMMENT_MAX, _MAILBOX_MAX = 60, 40
_TAKE_UP = 8  # the fewest cells a hidden column comes back in (see `_take_up`)
# What gives way, in order, when a line would not fit: the subject never does (each line
# must name its meeting), then the outcome; the mailbox (mostly "me") goes first.
_STEPS = ("mailbox", "meeting_short", "when_short", "comment_short", "comment", "meeting",
          "when")


class _Layout(NamedTuple):
    widths: dict[str, int]  # the columns shown, in order, with their cells
    short: frozenset[str]  # the columns shown in their short form
    hidden: tuple[str, ...]  # the columns left out


class AuditTable:
    """The audit log as a table of one line per entry, laid out for the width it is drawn
    in. A table that wrapped its cells gave the subject three cells at 120 columns and
    none at 80: here the subject gets the room, and the other columns shorten, then go, in
    the order of `_STEPS`; a line above the header says what is left out and where to see
    it all."""

    def __init__(self, rows: list[_Row], tz: dt.tzinfo) -> None:
        self.rows = rows
        self.tz = tz

    def _want(self, name: str, short: bool = False) -> int:
        key = f"{name}_short" if short and name in ("when", "meeting") else name
        cells = [cell_len(getattr(row, key)) for row in self.rows]
        return max([cell_len(_HEADERS[name]), *cells])

    def layout(self, width: int) -> _Layout:
        steps: set[str] = set()
        for step in ("", *_STEPS):
            if step:
                steps.add(step)
            layout = self._fit(width, steps)
            if layout is not None:
                return self._take_up(layout, width)
        # Not even the subject and the outcome at their least: the subject takes what is left.
        rest = width - self._want("outcome") - 1
        return _Layout({"outcome": self._want("outcome"), "subject": max(rest, 1)},
                       frozenset(), tuple(n for n in _HEADERS if n not in ("outcome", "subject")))

    def _take_up(self, layout: _Layout, width: int) -> _Layout:
        """Cells the subject did not need bring a hidden comment or mailbox back, short."""
        widths = dict(layout.widths)
        for name in ("comment", "mailbox"):
            spare = width - sum(widths.values()) - len(widths)  # the gap before it too
            if name in widths or spare < _TAKE_UP:
                continue
            widths[name] = min(spare, self._want(name))
        order = [n for n in _HEADERS if n in widths]
        return _Layout({n: widths[n] for n in order}, layout.short,
                       tuple(n for n in _HEADERS if n not in widths))

    def _fit(self, width: int, steps: set[str]) -> _Layout | None:
        shown = [n for n in _HEADERS if n not in steps]
        short = frozenset(n for n in ("when", "meeting") if f"{n}_short" in steps)
        wants = {n: self._want(n, n in short) for n in shown}
        wants["comment"] = min(wants.get("comment", 0), _COMMENT_MAX)
        wants["mailbox"] = min(wants.get("mailbox", 0), _MAILBOX_MAX)
        least = dict(wants)
        least["subject"] = min(wants["subject"], _SUBJECT_MIN)
        comment_min = _COMMENT_SHORT if "comment_short" in steps else _COMMENT_MIN
        least["comment"] = min(wants["comment"], comment_min)
        least["mailbox"] = min(wants["mailbox"], _MAILBOX_MIN)
        gaps = len(shown) - 1
        spare = width - gaps - sum(least[n] for n in shown)
        if spare < 0:
            return None
        widths = {n: least[n] for n in shown}
        # The room left goes to the subject first, then the comment, then the mailbox.
        for name in ("subject", "comment", "mailbox"):
            if name in widths:
                more = min(spare, wants[name] - widths[name])
                widths[name] += more
                spare -= more
        hidden = tuple(n for n in _HEADERS if n not in shown)
        return _Layout(widths, short, hidden)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        layout = self.layout(options.max_width)
        notes = []
        if "when" in layout.short or "meeting" in layout.short or "when" in layout.hidden:
            notes.append(f"{printable(_zone_name(self.tz), 40)} times")
        if layout.hidden:
            notes.append(f"hidden: {', '.join(layout.hidden)} (see cal365 audit)")
        if notes:
            yield Text(" · ".join(notes), style="dim", no_wrap=True, overflow="ellipsis")
        yield self._line({n: _HEADERS[n] for n in layout.widths}, layout, Style(bold=True))
        for row in self.rows:
            cells = {n: getattr(row, f"{n}_short" if n in layout.short else n)
                     for n in layout.widths}
            yield self._line(cells, layout, None, row.outcome)

    def _line(self, cells: dict[str, str], layout: _Layout, style: Style | None,
              outcome: str = "") -> Text:
        line = Text(no_wrap=True, overflow="crop", end="\n", style=style or "")
        for index, (name, width) in enumerate(layout.widths.items()):
            if index:
                line.append(" ")
            cell_style = ""
            if outcome and name == "outcome":
                cell_style = _OUTCOME_STYLE.get(outcome.rsplit(" ", 1)[-1], "red")
            elif outcome and name == "meeting":
                cell_style = "dim"
            line.append(fit_cell(cells[name], width), cell_style)
        line.rstrip()
        return line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


def _where() -> str:
    """The log's path, under the home folder as "~/…": one line even in a narrow terminal."""
    path = audit.audit_path()
    try:
        return f"~/{path.relative_to(Path.home())}"
    except (ValueError, RuntimeError):  # elsewhere, or no home folder known
        return str(path)


def _zone_name(tz: dt.tzinfo) -> str:
    """The zone's name as configured ("Europe/Berlin"), else its abbreviation now."""
    key = getattr(tz, "key", None)
    if isinstance(key, str) and key:
        return key
    return dt.datetime.now(tz).strftime("%Z") or str(tz)


class AuditScreen(ModalScreen[None]):
    BINDINGS = bindings("audit")

    def __init__(self, tz: dt.tzinfo) -> None:
        super().__init__()
        self.tz = tz  # the app's zone (--timezone, CAL365_TIMEZONE or this machine's)

    def compose(self) -> ComposeResult:
        with Vertical(id="audit-dialog"):
            yield Static(f"Audit log — {_where()}", id="audit-title", markup=False)
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
                    f"Audit log — {_where()} ({message.log.skipped} unreadable lines "
                    "skipped)"
                )

    def action_close(self) -> None:
        self.dismiss(None)
