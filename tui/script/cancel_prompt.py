"""The question of a write command on a terminal: what is about to happen to each event,
and y/N. `cal365 cancel`'s is here; `respond`'s and `delete`'s are in `reply_prompt`."""

from __future__ import annotations

import sys
from collections.abc import Callable

from tui.graph.models import Event
from tui.script.cancel_lookup import Target
from tui.script.common import prompt
from tui.script.events import when_label
from tui.words import printable


def describe_target(target: Target, role: Callable[[Event], str] | None = None,
                    *, whole_series: bool | None = None) -> str:
    """One event of the question: when, subject and (`role`) what happens to it. An
    occurrence says whether the write reaches the whole series (`whole_series`; None: as
    the event itself says, a series master being the whole series)."""
    event = target.event
    if event is None:
        return printable(target.ref.event_id, 80)
    subject = printable(event.subject or "(no subject)", 120)
    what = (role or cancel_role)(event)
    if event.type == "seriesMaster" or (whole_series and event.is_occurrence):
        what = f"the whole series; {what}"
    elif event.is_occurrence:
        what = f"this occurrence only; {what}"
    return f"{when_label(event)}  {subject}  ({what})"


def attendees_told(event: Event) -> str:
    told = len(event.notified_attendees)
    return f"{told} attendee{'s' if told != 1 else ''}"


def cancel_role(event: Event) -> str:
    if event.is_organizer:
        return f"you organize it; {attendees_told(event)} will be notified"
    return f"organized by {printable(event.organizer.label, 80)}: Graph will refuse"


def ask(lines: list[str]) -> bool:
    """Ask on the terminal (stderr for the question, stdin for the answer): the last line
    is the question itself."""
    prompt("\n".join(lines))
    answer = sys.stdin.readline()
    if not answer:
        prompt("\n")  # end the question's line: stdin was closed with no answer
    return answer.strip().lower() in ("y", "yes")


def confirm(targets: list[Target], comment: str | None) -> bool:
    count = len(targets)
    lines = [f"About to cancel {count} meeting{'s' if count != 1 else ''}:"]
    lines += [f"  {describe_target(t)}" for t in targets]
    if comment is None:
        lines.append("No comment: attendees get the default cancellation notice.")
    else:
        lines.append(f"Comment: {printable(comment, 500)}")
    lines.append("Cancel? [y/N] ")
    return ask(lines)
