"""`cal365 audit`: print the audit log of cancels (oldest first)."""

from __future__ import annotations

import argparse

from tui import audit
from tui.script.common import ScriptError, emit_json, emit_line, guard, warn
from tui.script.exits import Exit
from tui.widgets.format import printable


def run(args: argparse.Namespace) -> int:
    def command() -> int:
        path = audit.audit_path()
        if args.path:
            emit_line(str(path))
            return 0
        try:
            log = audit.read(args.limit, path)
        except OSError as error:
            message = f"cannot read the audit log {path}: {error.strerror}"
            raise ScriptError(Exit.ERROR, message) from error
        if log.skipped:
            s = "s" if log.skipped != 1 else ""
            warn(f"{log.skipped} unreadable line{s} in {path} skipped")
        if args.json:
            emit_json([entry.to_json() for entry in log.entries])
        elif not log.entries:
            warn(f"no cancels recorded yet ({path})")
        for entry in [] if args.json else log.entries:
            emit_line(
                entry.time.isoformat(timespec="seconds"),
                entry.outcome,
                printable(entry.mailbox, 200),
                entry.start or "-",
                printable(entry.subject or "-", 200),
                entry.request_id or "-",
                printable(entry.event_id),
            )
        return 0

    return guard(command)

