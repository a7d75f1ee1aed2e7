"""`cal365 cancel`'s question on a terminal: what is about to be cancelled, and y/N."""

from __future__ import annotations

import sys

from tui.script.cancel_lookup import Target
from tui.script.common import prompt
from tui.script.events import when_label
from tui.words import printable


def describe_target(target: Target) -> str:
    event = target.event
    if event is None:
        return printable(target.ref.event_id, 80)
    subject = printable(event.subject or "(no subject)", 120)
    if event.is_organizer:
        told = len(event.notified_attendees)
        role = f"you organize it; {told} attendee{'s' if told != 1 else ''} will be notified"
    else:
        role = f"organized by {printable(event.organizer.label, 80)}: Graph will refuse"
    if event.type == "seriesMaster":
        role = f"the whole series; {role}"
    elif event.is_occurrence:
        role = f"this occurrence only; {role}"
    return f"{when_label(event)}  {subject}  ({role})"


def confirm(targets: list[Target], comment: str | None) -> bool:
    """Ask on the terminal (stderr for the question, stdin for the answer)."""
    count = len(targets)
    lines = [f"About to cancel {count} meeting{'s' if count != 1 else ''}:"]
    lines += [f"  {describe_target(t)}" for t in targets]
    if comment is None:
        lines.append("No comment: attendees get the default cancellation notice.")
    else:
        lines.append(f"Comment: {printable(comment, 500)}")
    lines.append("Cancel? [y/N] ")
    prompt("\n".join(lines))
    answer = sys.stdin.readline()
    if not answer:
        prompt("\n")  # end the question's line: stdin was closed with no answer
    return answer.strip().lower() in ("y", "yes")
