"""`cal365 audit`: print the audit log of cancels, replies and deletes (oldest first)."""

from __future__ import annotations

import argparse
import datetime as dt

from tui.actions import audit
from tui.graph.timezones import zone
from tui.paths import file_problem
from tui.script.common import ScriptError, emit_json, emit_line, guard, timezone_name, warn
from tui.script.exits import Exit
from tui.words import printable


def run(args: argparse.Namespace) -> int:
    def command() -> int:
        path = audit.log_path()  # reading needs no folder made (it may not be makeable)
        if args.path:
            emit_line(str(path))
            return 0
        # Text shows times in the zone of every other command (--timezone, CAL365_TIMEZONE
        # or this machine's), with their offset; --json keeps the log's own UTC.
        tz = zone(timezone_name(args)) or dt.UTC
        try:
            log = audit.read(args.limit, path)
        except OSError as error:
            message = f"cannot read the audit log {path}: {file_problem(error)}"
            raise ScriptError(Exit.ERROR, message) from error
        if log.skipped:
            s = "s" if log.skipped != 1 else ""
            warn(f"{log.skipped} unreadable line{s} in {path} skipped")
        if args.json:
            emit_json([entry.to_json() for entry in log.entries])
            return 0
        if not log.entries:
            warn(f"no cancels recorded yet ({path})")
        for entry in log.entries:
            emit_line(
                entry.time.astimezone(tz).isoformat(timespec="seconds"),
                entry.said,  # a cancel's outcome as ever; "declined", "decline failed"…
                printable(entry.mailbox, 200),
                _start(entry.start, tz),
                printable(entry.subject or "-", 200),
                entry.request_id or "-",
                printable(entry.event_id),
            )
        return 0

    return guard(command)



def _start(start: str | None, tz: dt.tzinfo) -> str:
    """The meeting's start as logged (ISO 8601, with the offset of its day), moved to `tz`."""
    if not start:
        return "-"
    try:
        moment = dt.datetime.fromisoformat(start)
    except ValueError:
        return printable(start, 60)
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(tz).isoformat()
