"""`cal365 cancel`: cancel meetings by id, with one comment, each outcome reported and audited.

The flow (dry run, look-ups, the question, the JSON batches, the audit log, Ctrl+C) is every
write command's: `tui.script.writes`. This module says what a cancel sends.
"""

from __future__ import annotations

import argparse

from tui.graph.urls import EventRef
from tui.script.cancel_prompt import confirm
from tui.script.cancel_report import CANCEL
from tui.script.writes import WriteCommand, read_comment, run_write
from tui.script.writes import event_refs as named_refs


def event_refs(args: argparse.Namespace) -> list[EventRef]:
    """The events named, in order, each once, addressed through the URL form of the options."""
    return named_refs(args, CANCEL.done)


def cancel_write(comment: str | None) -> WriteCommand:
    from tui.graph.writes import Write

    return WriteCommand(Write.cancel(comment), CANCEL, comment, confirm)


def run(args: argparse.Namespace) -> int:
    return run_write(args, lambda: event_refs(args), lambda: cancel_write(read_comment(args)))
