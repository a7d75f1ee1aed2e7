"""The command line for scripts: `cal365 calendars|events|cancel|audit|cache`.

Wired into `tui.cli` through `add_script_commands` and `run_script_command`. Building the
parser stays light; a subcommand's implementation is imported only when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any

from tui.script.exits import EXIT_CODE_HELP, Exit
from tui.script.parsers import add_all

# Subcommand -> module holding its `run(args) -> int`.
_MODULES = {
    "calendars": "tui.script.calendars",
    "events": "tui.script.events",
    "cancel": "tui.script.cancel",
    "audit": "tui.script.audit_log",
    "cache": "tui.script.cache",
    "sync": "tui.script.sync",
}


def add_script_commands(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the script subcommands to `commands` (what `add_subparsers()` returned);
    `parents` carry the sign-in settings, accepted after a subcommand's name too."""
    add_all(commands, parents)


def run_script_command(args: argparse.Namespace) -> int | None:
    """The exit code of the script subcommand the arguments name, or None if there is none."""
    name = getattr(args, "script_command", None)
    if name not in _MODULES:
        return None
    from tui.paths import demo_files

    _without_httpx_cli()
    module = importlib.import_module(_MODULES[name])
    with demo_files(bool(getattr(args, "demo", False))):
        code: int = module.run(args)
    return code


def _without_httpx_cli() -> None:
    """httpx imports its own command line whenever rich, click and pygments are installed
    (as they are beside Textual): a third of its import time, which no command uses. Marked
    absent, httpx puts a stub in its place."""
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


__all__ = ["EXIT_CODE_HELP", "Exit", "add_script_commands", "run_script_command"]
