"""`cal365 audit`: print the audit log of cancels (oldest first)."""

from __future__ import annotations

import argparse
from typing import Any

from tui import audit
from tui.script.common import ScriptError, emit_json, emit_line, guard, warn
from tui.script.exits import Exit
from tui.widgets.format import printable


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a count (0 or more): {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    def command() -> int:
        path = audit.audit_path()
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


def add_parser(commands: Any, epilog: str) -> None:
    parser = commands.add_parser(
        "audit",
        help="show the log of cancels cal365 has sent",
        description="Show the audit log: every cancel cal365 sent, from the app or the command "
                    "line, oldest first. Text output: one tab-separated line per cancel: time "
                    "(UTC), outcome, mailbox, start, subject, Graph request-id, event id. "
                    "--json adds the comment, Graph's message and the URL path.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--limit", type=_limit, metavar="N", help="only the last N entries")
    parser.add_argument("--json", action="store_true", help="print one JSON array")
    parser.set_defaults(script_command=run)
