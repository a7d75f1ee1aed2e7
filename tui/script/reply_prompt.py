"""The questions of `cal365 respond` and `cal365 delete`: who is told what, per event, and
y/N. A decline and a delete both take the event out of the calendar, and a delete tells
people too, which the question says before anything is sent (docs/graph-notes.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui.graph.models import Event
from tui.script.cancel_lookup import Target
from tui.script.cancel_prompt import ask, attendees_told, describe_target
from tui.words import printable

# What a reply is called in the question (Graph's action names).
REPLY_VERBS = {"accept": "accept", "tentativelyAccept": "tentatively accept",
               "decline": "decline"}


@dataclass(frozen=True, slots=True)
class ReplyPlan:
    """A reply as the options ask for it, for the question."""

    reply: str  # accept, tentativelyAccept or decline
    send_response: bool
    proposed: str | None  # the proposed new time, as the user will read it
    whole_series: bool


def reply_role(plan: ReplyPlan, comment: str | None) -> Callable[[Event], str]:
    def role(event: Event) -> str:
        organizer = printable(event.organizer.label or "the organizer", 80)
        if event.is_organizer:
            return ("you organize it: Graph will refuse (a meeting of yours is cancelled "
                    "with `cal365 cancel`)")
        if event.is_cancelled:
            return f"cancelled by {organizer}: Graph will refuse"
        if not plan.send_response:
            what = f"{organizer} is not told"
        else:
            sees = [word for word, given in (("your comment", comment is not None),
                                             ("the proposed time", plan.proposed is not None))
                    if given]
            what = f"{organizer} is told" + (f" and sees {' and '.join(sees)}" if sees else "")
        if plan.reply == "decline":
            what += "; it leaves your calendar (Graph moves a declined meeting to Deleted Items)"
        return what

    return role


def confirm_reply(plan: ReplyPlan) -> Callable[[list[Target], str | None], bool]:
    verb = REPLY_VERBS[plan.reply]

    def confirm(targets: list[Target], comment: str | None) -> bool:
        count = len(targets)
        role = reply_role(plan, comment)
        lines = [f"About to {verb} {count} invitation{'s' if count != 1 else ''}:"]
        lines += [f"  {describe_target(t, role, whole_series=plan.whole_series)}"
                  for t in targets]
        if not plan.send_response:
            lines.append("No response is sent: the organizer is not told.")
        elif comment is None:
            lines.append("No comment: the organizer gets your response alone.")
        else:
            lines.append(f"Comment for the organizer: {printable(comment, 500)}")
        if plan.proposed is not None:
            lines.append(f"Proposed new time: {plan.proposed}")
        lines.append(f"{verb[0].upper()}{verb[1:]}? [y/N] ")
        return ask(lines)

    return confirm


def delete_role(event: Event) -> str:
    organizer = printable(event.organizer.label or "the organizer", 80)
    if event.is_cancelled:
        return "cancelled already: it is only removed"
    if event.is_organizer and event.notified_attendees:
        return (f"you organize it: Graph sends {attendees_told(event)} a cancellation "
                "without a message of yours; `cal365 cancel` sends one with your comment")
    if event.is_organizer:
        return "no attendees: nobody is told"
    return (f"an invitation from {organizer}: deleting it declines it, and {organizer} is "
            "told; `cal365 respond decline` can add a comment or tell nobody")


def confirm_delete(targets: list[Target], comment: str | None) -> bool:
    count = len(targets)
    lines = [f"About to delete {count} event{'s' if count != 1 else ''} (to Deleted Items):"]
    lines += [f"  {describe_target(t, delete_role)}" for t in targets]
    lines.append("Delete? [y/N] ")
    return ask(lines)
