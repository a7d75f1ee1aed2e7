"""`cal365 respond accept|tentative|decline`: answer invitations by id, with one comment (or
no response at all), maybe proposing a new time, each outcome reported and audited.

The flow is every write command's (`tui.script.writes`). What Graph would refuse for the
options alone (a comment or a proposal with no response sent, a proposal with an accept, an
end before the start) is refused here with the usage exit code, before anything is read or
sent: a typed comment that would not travel is never silently dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from tui.graph.timezones import zone
from tui.graph.urls import EventRef
from tui.script.cancel_lookup import Target
from tui.script.cancel_report import Words
from tui.script.common import ScriptError, timezone_name
from tui.script.exits import Exit
from tui.script.reply_prompt import ReplyPlan, confirm_reply
from tui.script.writes import WriteCommand, event_refs, read_comment, run_write
from tui.words import printable

if TYPE_CHECKING:
    from tui.graph.replies import Reply, TimeSlot

# The script's words for Graph's reply actions, and each one's words in the output (the
# outcome word of a reply that went through is the audit log's).
REPLIES: dict[str, Reply] = {"accept": "accept", "tentative": "tentativelyAccept",
                             "decline": "decline"}
WORDS: dict[str, Words] = {
    "accept": Words("accept", "reply", "replies", "accept"),
    "tentativelyAccept": Words("tentatively accept", "reply", "replies", "tentativelyAccept"),
    "decline": Words("decline", "reply", "replies", "decline"),
}
SERIES_NOTE = ("with --series each reply goes to the series master of the occurrence named, "
               "found when the events are looked up; a dry run looks nothing up, so the paths "
               "above name the events as given")


def moment(text: str, flag: str, tz: dt.tzinfo) -> dt.datetime:
    """A date and time as typed (ISO 8601; without an offset, in the zone times are shown
    in), aware."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        value.astimezone(dt.UTC)  # a moment at the ends of the calendar overflows here
    except (ValueError, OverflowError):
        raise ScriptError(Exit.USAGE, f"{flag}: not a date and time: "
                          f"{printable(text, 60)!r} (ISO 8601, e.g. 2026-11-24T15:00 or "
                          "2026-11-24T15:00+01:00)") from None
    return value


def proposal(args: argparse.Namespace, reply: Reply) -> TimeSlot | None:
    """The new time the options propose, checked against what Graph would refuse."""
    start, end = args.propose_start, args.propose_end
    if start is None and end is None:
        return None
    if start is None or end is None:
        missing = "--propose-end" if end is None else "--propose-start"
        raise ScriptError(Exit.USAGE, f"a proposed time needs both --propose-start and "
                          f"--propose-end: add {missing}")
    if reply == "accept":
        raise ScriptError(Exit.USAGE, "a new time can be proposed only with tentative or "
                          "decline, not with accept; nothing was sent")
    if args.no_response:
        raise ScriptError(Exit.USAGE, "a proposed time goes to the organizer with your "
                          "response: it cannot go with --no-response; nothing was sent")
    from tui.graph.replies import TimeSlot

    tz = zone(timezone_name(args)) or dt.UTC
    first, last = moment(start, "--propose-start", tz), moment(end, "--propose-end", tz)
    if last <= first:
        raise ScriptError(Exit.USAGE, "the proposed time must end after it starts "
                          "(--propose-end after --propose-start); nothing was sent")
    return TimeSlot(first, last)


def series_target(target: Target) -> EventRef:
    """An occurrence's series master, addressed as the occurrence was (--series)."""
    event = target.event
    if event is None or not event.series_master_id or event.type == "seriesMaster":
        return target.ref
    return EventRef(event.series_master_id, target.ref.mailbox, target.ref.calendar)


def proposed_words(slot: TimeSlot, tz: dt.tzinfo) -> str:
    first, last = slot.start.astimezone(tz), slot.end.astimezone(tz)
    same_day = first.date() == last.date()
    return f"{first:%Y-%m-%d %H:%M}-{last:%H:%M}" if same_day else \
        f"{first:%Y-%m-%d %H:%M}-{last:%Y-%m-%d %H:%M}"


def respond_write(args: argparse.Namespace) -> WriteCommand:
    from tui.graph.writes import Write

    reply = REPLIES[args.reply]
    proposed = proposal(args, reply)
    comment = read_comment(args)
    if args.no_response and comment is not None:
        raise ScriptError(Exit.USAGE, "a comment goes to the organizer with your response: "
                          "with --no-response nobody is told and the comment would be lost. "
                          "Leave out the comment or --no-response; nothing was sent")
    try:
        write = Write.reply(reply, comment, send_response=not args.no_response,
                            proposed=proposed)
    except ValueError as error:  # what Graph would refuse, said before anything is sent
        raise ScriptError(Exit.USAGE, f"{error}; nothing was sent") from error
    tz = zone(timezone_name(args)) or dt.UTC
    plan = ReplyPlan(reply, not args.no_response,
                     None if proposed is None else proposed_words(proposed, tz), args.series)
    return WriteCommand(write, WORDS[reply], comment, confirm_reply(plan),
                        target=series_target if args.series else (lambda t: t.ref),
                        dry_run_note=SERIES_NOTE if args.series else None)


def run(args: argparse.Namespace) -> int:
    return run_write(args, lambda: event_refs(args), lambda: respond_write(args))
