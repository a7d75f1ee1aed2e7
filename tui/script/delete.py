"""`cal365 delete`: delete events by id (to Deleted Items), each outcome reported and
audited. Meant for appointments without attendees: the question says what a delete tells
people otherwise (a meeting you organize: a cancellation without your message; an
invitation: a decline). The flow is every write command's (`tui.script.writes`)."""

from __future__ import annotations

import argparse

from tui.script.cancel_report import Words
from tui.script.reply_prompt import confirm_delete
from tui.script.writes import WriteCommand, event_refs, run_write

DELETE = Words("delete", "delete", "deletes", "delete")


def delete_write() -> WriteCommand:
    from tui.graph.writes import Write

    return WriteCommand(Write.delete(), DELETE, None, confirm_delete)


def run(args: argparse.Namespace) -> int:
    return run_write(args, lambda: event_refs(args, DELETE.done), delete_write)
