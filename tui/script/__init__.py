"""The command line for scripts: `cal365 calendars|events|cancel|audit`.

Wired into `tui.cli` through `add_script_commands`; each subcommand stores its runner in
`args.script_command` (a function of the parsed arguments returning the exit code).
Heavy modules (the fake Graph, the audit reader) load only when a subcommand runs.
"""

from __future__ import annotations

import argparse
from typing import Any

from tui.script.exits import EXIT_CODE_HELP, Exit


def add_script_commands(commands: Any) -> None:
    """Add the script subcommands to `commands` (what `add_subparsers()` returned)."""
    from tui.script import audit_log, calendars, cancel, events
    from tui.script.common import connection_options

    parents = [connection_options()]
    calendars.add_parser(commands, parents, EXIT_CODE_HELP)
    events.add_parser(commands, parents, EXIT_CODE_HELP)
    cancel.add_parser(commands, parents, EXIT_CODE_HELP)
    audit_log.add_parser(commands, EXIT_CODE_HELP)


def run_script_command(args: argparse.Namespace) -> int | None:
    """The exit code of the subcommand the arguments name, or None for no subcommand."""
    command = getattr(args, "script_command", None)
    return None if command is None else int(command(args))


__all__ = ["EXIT_CODE_HELP", "Exit", "add_script_commands", "run_script_command"]
