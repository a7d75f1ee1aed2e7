"""What the status bar says about marks, cancels, bulk cancels, drafts kept and refusals
while offline: every such sentence in one place, built from the action layer's outcomes.

No Textual here: each function returns the words (and, where it varies, the status kind);
the screen shows them. Server text goes through `printable` (`tui.text.inert`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from tui.actions.triage import BulkTally
from tui.graph import Event
from tui.problems import describe
from tui.words import counted, day_label, printable

if TYPE_CHECKING:  # it imports httpx, which the first screen does without
    from tui.actions.cancel import Answer

StatusKind = Literal["info", "busy", "success", "error"]  # as tui.widgets.status_bar.StatusKind


def short(event: Event) -> str:
    """An event in a sentence: its subject and day (and time, unless all day)."""
    subject = printable(event.subject, 80) or "(no subject)"
    when = ""
    if event.start is not None:
        when = day_label(event.start.date())
        if not event.is_all_day:
            when += " " + event.start.strftime("%H:%M")
    return f"“{subject}” ({when})" if when else f"“{subject}”"


# -- drafts --------------------------------------------------------------------------------

def drafts_at_start(problem: str | None, kept: int) -> str:
    """Said after the first load: the drafts file could not be read, or how many comments
    were kept from last time ("" when none)."""
    if problem:
        return f" Note: {problem}."
    if kept:
        return f" {counted(kept, 'comment draft')} kept from last time."
    return ""


# -- marks ---------------------------------------------------------------------------------

NO_EVENT_TO_MARK = "No event to mark here."
NOTHING_TO_MARK = "No events shown: nothing to mark."
NONE_MARKED = "No events are marked."


def marks_went(gone: int, left: int, how: str) -> str:
    """After a sync or reload unmarked `gone` events ("" when none)."""
    if not gone:
        return ""
    still = f"{left} still marked" if left else "none still marked"
    return f" {counted(gone, 'marked event')} went away {how}; {still}."


# -- one cancel ----------------------------------------------------------------------------

NO_EVENT = "No event selected."
CANCEL_FROM_TREE = ("To cancel, choose the event in the events pane (Tab goes there), "
                    "then press c.")


def on_its_way(event: Event) -> str:
    return f"The cancellation of {short(event)} is already on its way."


def already_cancelled(event: Event) -> str:
    return f"{short(event)} is already cancelled: nothing to send."


def not_sent(event: Event, *, kept: bool) -> str:
    return f"Not sent: {short(event)}.{' Your comment is kept for it.' if kept else ''}"


def offline_refusal(event: Event, *, kept: bool) -> str:
    """A cancel asked for while offline: nothing is queued."""
    comment = " Your comment is kept with it: press c again once online." if kept else ""
    return (f"Not sent: cancelling {short(event)} needs the network, and cal365 is offline. "
            f"Nothing was sent or queued.{comment}")


def cancelling(event: Event, *, series: bool) -> str:
    return f"Cancelling {'the series of ' if series else ''}{short(event)}…"


def blocked(event: Event, reason: str) -> str:
    """The audit log could not take the record: nothing was sent."""
    return f"Not sent: {short(event)}: {reason}. Nothing was sent; your comment is kept."


def answered(answer: Answer, *, has_draft: bool) -> tuple[str, StatusKind]:
    """What became of a cancel sent alone."""
    request, event = answer.request, answer.request.event
    if answer.kind == "done":
        told = len(event.notified_attendees)
        notice = f"{told} attendee{'s' if told != 1 else ''} notified" if told \
            else "no attendees"
        what = "the whole series of " if request.target.event_id != event.id else ""
        if answer.unaudited is not None:
            return (f"Cancelled {what}{short(event)}: {notice}; but it is NOT in the audit "
                    f"log: {answer.unaudited}.", "error")
        return (f"Cancelled {what}{short(event)}: {notice}; Graph moved it to Deleted Items.",
                "success")
    kept = " Your comment is kept: press c to see it." if has_draft else ""
    error = answer.error
    if answer.kind == "unknown":
        text = (f"Outcome unknown: {short(event)}: {error}. It may have gone through: press r "
                f"to check before sending again.{kept}")
    elif answer.kind in ("not-sent", "unreachable"):
        # Certainly not cancelled: the request never left, or the event is still there.
        text = (f"Not cancelled: {short(event)}: {error}. Nothing reached the attendees; "
                f"press c to send again.{kept}")
    elif answer.kind == "not-found":
        text = (f"Not cancelled: {short(event)} is no longer on the server (cancelled or "
                f"deleted elsewhere); press r to refresh.{kept}")
    else:
        reason = describe(error).rstrip(".") if error is not None else "no reason given"
        text = f"Not cancelled: {short(event)}: {reason}.{kept}"
    if answer.unaudited is not None:  # the attempt went out, and its record did not
        text += f" This attempt is NOT in the audit log: {answer.unaudited}."
    return text, "error"


QUIT_WHILE_SENDING = ("A cancel is still on its way: quitting now leaves its outcome unseen "
                      "and unaudited. Press q again to quit anyway.")

# -- bulk cancel ---------------------------------------------------------------------------

BULK_RUNNING = "A bulk cancel is already running."
BULK_NOT_SENT = "Not sent. The marks and your comment are kept."
BULK_OFFLINE = ("Not sent: cancelling needs the network, and cal365 is offline. Nothing was "
                "sent or queued; the marks and your comment are kept.")
BULK_MARKS_WENT = ("Nothing to send: the marked events went away meanwhile. Your comment is "
                   "kept.")


def bulk_none_organized(owner: str | None) -> str:
    who = "you organize" if owner is None else f"{owner} organizes"
    return f"Nothing to send: {who} none of the marked meetings."


def bulk_blocked(reason: str) -> str:
    return (f"Not sent: {reason}. Nothing was sent; the marks and your comment are kept.")


def bulk_cancelling(count: int) -> str:
    return f"Cancelling {counted(count, 'meeting')}…"


def bulk_progress(tally: BulkTally) -> str:
    return (f"Bulk cancel: {len(tally.results)}/{tally.total} answered, {tally.cancelled} "
            "cancelled…")


def not_logged(tally: BulkTally) -> str:
    """How many answers are missing from the audit log, and why ("" when none)."""
    if not tally.unaudited:
        return ""
    return (f"{counted(len(tally.unaudited), 'answer')} NOT in the audit log: "
            f"{tally.unaudited[0]}.")


def bulk_done(tally: BulkTally) -> tuple[str, StatusKind]:
    results, left, missing = tally.results, tally.left, not_logged(tally)
    kind: StatusKind = "success" if left == 0 and results and not missing else "error"
    text = (f"Bulk cancel: {tally.cancelled} of {len(results)} cancelled"
            + (f", {left} not (see the results; they stay marked)." if left else ".")
            + (f" {missing}" if missing else ""))
    return text, kind
