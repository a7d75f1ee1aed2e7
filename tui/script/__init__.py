"""The command line for scripts: `cal365 calendars|events|cancel|respond|delete|audit|cache`.

Wired into `tui.cli` through `add_script_commands` and `run_script_command`. Building the
parser stays light; a subcommand's implementation is imported only when it runs.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tui.script.exits import EXIT_CODE_HELP, Exit
from tui.script.parsers import add_all

# Subcommand -> module holding its `run(args) -> int`.
_MODULES = {
    "calendars": "tui.script.calendars",
    "events": "tui.script.events",
    "cancel": "tui.script.cancel",
    "respond": "tui.script.respond",
    "delete": "tui.script.delete",
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

    without_httpx_cli()
    with _collector_paused():
        module = importlib.import_module(_MODULES[name])
        with demo_files(bool(getattr(args, "demo", False))):
            code: int = module.run(args)
    return code


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for one command, as for the app's start (see
    tui/startup/collector.py): importing the HTTP stack and reading a window of thousands of
    events allocate millions of objects, none of them garbage, and the collector would
    walk them again and again (a fifth of a big listing's time). A command is short and
    bounded (pages, retries): what cycles it leaves meanwhile are collected after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def without_httpx_cli() -> None:
    """httpx imports its own command line whenever rich, click and pygments are installed
    (as they are beside Textual): a third of its import time, which no command uses. Marked
    absent, httpx puts a stub in its place. The app's start does the same (tui/cli.py): its
    head start's child and its first request import httpx too."""
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


__all__ = ["EXIT_CODE_HELP", "Exit", "add_script_commands", "run_script_command",
           "without_httpx_cli"]
