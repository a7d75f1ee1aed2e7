"""What the status bar says about marks, cancels, bulk cancels, drafts kept and refusals
while offline: every such sentence in one place, built from the action layer's outcomes.

No Textual here: each function returns the words (and, where it varies, the status kind);
the screen shows them. Server text goes through `printable` (`tui.text.inert`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tui.actions.outcome import DONE_WORD
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
    return f"A request for {short(event)} is already on its way: wait for its answer."


# -- replies and deletes, by role ----------------------------------------------------------

def reply_to_own(event: Event, owner: str | None) -> str:
    who = "You organize" if owner is None else f"{owner} organizes"
    return f"{who} {short(event)}: there is no invitation to answer. c cancels it."


def reply_to_cancelled(event: Event) -> str:
    return (f"{short(event)} is cancelled by its organizer: Graph takes no reply. "
            "Del removes it from the calendar.")


def reply_refused(event: Event, why: str, *, kept: bool) -> str:
    """A reply refused before sending (Graph would refuse it): nothing went."""
    comment = " Your comment is kept." if kept else ""
    return f"Not sent: {short(event)}: {why}.{comment}"


def delete_meeting(event: Event) -> str:
    return (f"{short(event)} has attendees: a delete would send them a cancellation without "
            "your words. c cancels it with a message.")


def delete_invitation(event: Event) -> str:
    return (f"{short(event)} is an invitation: D declines it (with a comment if you like); "
            "a delete would decline it with none.")


def delete_question(event: Event) -> str:
    """The confirmation's text (printable: it names server text)."""
    if event.is_cancelled:
        return (f"Remove {short(event)} from the calendar? It was cancelled by its organizer; "
                "Graph moves it to Deleted Items and tells nobody.")
    return (f"Delete {short(event)}? It has no attendees, so nobody is told; Graph moves it "
            "to Deleted Items.")


def already_cancelled(event: Event) -> str:
    return f"{short(event)} is already cancelled: nothing to send."


def not_sent(event: Event, *, kept: bool) -> str:
    return f"Not sent: {short(event)}.{' Your comment is kept for it.' if kept else ''}"


def offline_refusal(event: Event, *, kept: bool, action: str = "cancel") -> str:
    """A cancel, reply or delete asked for while offline: nothing is queued."""
    words = action_words(action)
    comment = (f" Your comment is kept with it: press {words.key} again once online."
               if kept else "")
    return (f"Not sent: {words.doing.lower()} {short(event)} needs the network, and cal365 is "
            f"offline. Nothing was sent or queued.{comment}")


def cancelling(event: Event, *, series: bool) -> str:
    return sending(event, "cancel", series=series)


def blocked(event: Event, reason: str, *, kept: bool = True) -> str:
    """The audit log could not take the record: nothing was sent."""
    comment = "; your comment is kept" if kept else ""
    return f"Not sent: {short(event)}: {reason}. Nothing was sent{comment}."


@dataclass(frozen=True, slots=True)
class ActionWords:
    """How the status line speaks of one kind of write."""

    doing: str  # "Cancelling"
    done: str  # "Cancelled"
    not_done: str  # "Not cancelled"
    key: str  # the key that sends it again


ACTION_WORDS: dict[str, ActionWords] = {
    "cancel": ActionWords("Cancelling", "Cancelled", "Not cancelled", "c"),
    "accept": ActionWords("Accepting", "Accepted", "Not accepted", "a"),
    "tentativelyAccept": ActionWords("Tentatively accepting", "Tentatively accepted",
                                     "Not answered", "T"),
    "decline": ActionWords("Declining", "Declined", "Not declined", "D"),
    "delete": ActionWords("Deleting", "Deleted", "Not deleted", "Del"),
}


def action_words(action: str) -> ActionWords:
    return ACTION_WORDS.get(action, ACTION_WORDS["cancel"])


def sending(event: Event, action: str, *, series: bool) -> str:
    return f"{action_words(action).doing} {'the series of ' if series else ''}{short(event)}…"


def _done(answer: Answer) -> str:
    """The sentence for a write that went through."""
    request, event = answer.request, answer.request.event
    action = request.action
    what = "the whole series of " if request.target.event_id != event.id else ""
    if action == "cancel":
        told = len(event.notified_attendees)
        notice = f"{told} attendee{'s' if told != 1 else ''} notified" if told \
            else "no attendees"
        return f"Cancelled {what}{short(event)}: {notice}; Graph moved it to Deleted Items."
    if action == "delete":
        return f"Deleted {short(event)}: Graph moved it to Deleted Items."
    told = getattr(request, "send_response", True)
    organizer = printable(event.organizer.label, 60) or "the organizer"
    said = f"{organizer} is told" if told else "no response sent"
    if getattr(request, "proposed", None) is not None:
        said += ", with your new time"
    gone = "; Graph moved it to Deleted Items" if action == "decline" else ""
    return f"{action_words(action).done} {what}{short(event)}: {said}{gone}."


def answered(answer: Answer, *, has_draft: bool) -> tuple[str, StatusKind]:
    """What became of a cancel, a reply or a delete sent alone."""
    event = answer.request.event
    words = action_words(answer.request.action)
    if answer.kind == "done":
        if answer.unaudited is not None:
            return (f"{_done(answer).rstrip('.')}; but it is NOT in the audit log: "
                    f"{answer.unaudited}.", "error")
        return _done(answer), "success"
    kept = f" Your comment is kept: press {words.key} to see it." if has_draft else ""
    error = answer.error
    if answer.kind == "unknown":
        text = (f"Outcome unknown: {short(event)}: {error}. It may have gone through: press r "
                f"to check before sending again.{kept}")
    elif answer.kind in ("not-sent", "unreachable"):
        # Certainly not done: the request never left, or a look found the event unchanged.
        text = (f"{words.not_done}: {short(event)}: {error}. Nothing was sent on; "
                f"press {words.key} to send again.{kept}")
    elif answer.kind == "not-found":
        text = (f"{words.not_done}: {short(event)} is no longer on the server (cancelled or "
                f"deleted elsewhere); press r to refresh.{kept}")
    elif answer.kind == "is-organizer":
        text = (f"{words.not_done}: you organize {short(event)}, and Graph takes no reply from "
                f"its organizer: cancel it with c.{kept}")
    else:
        reason = describe(error).rstrip(".") if error is not None else "no reason given"
        text = f"{words.not_done}: {short(event)}: {reason}.{kept}"
    if answer.unaudited is not None:  # the attempt went out, and its record did not
        text += f" This attempt is NOT in the audit log: {answer.unaudited}."
    return text, "error"


QUIT_WHILE_SENDING = ("A request (cancel, reply or delete) is still on its way: quitting now "
                      "leaves its outcome unseen and unaudited. Press q again to quit anyway.")

# -- bulk cancel ---------------------------------------------------------------------------

BULK_RUNNING = "A bulk run is already going: wait for its results."
BULK_NOT_SENT = "Not sent. The marks and your comment are kept."
BULK_OFFLINE = ("Not sent: sending needs the network, and cal365 is offline. Nothing was "
                "sent or queued; the marks and your comment are kept.")
BULK_MARKS_WENT = ("Nothing to send: the marked events went away meanwhile. Your comment is "
                   "kept.")


MARKS_IN_FLIGHT = ("The marked events' requests are still on their way: wait for their "
                   "answers.")


def bulk_none_organized(owner: str | None) -> str:
    who = "you organize" if owner is None else f"{owner} organizes"
    return f"Nothing to send: {who} none of the marked meetings."


def bulk_no_invitations(owner: str | None) -> str:
    who = "you" if owner is None else owner
    return f"Nothing to send: none of the marked meetings is an invitation {who} can answer."


def bulk_refused(why: str) -> str:
    """A bulk run refused before sending (Graph would refuse it): nothing went."""
    return f"Not sent: {why}. Nothing was sent; the marks and your comment are kept."


def bulk_blocked(reason: str) -> str:
    return (f"Not sent: {reason}. Nothing was sent; the marks and your comment are kept.")


def bulk_cancelling(count: int) -> str:
    return f"Cancelling {counted(count, 'meeting')}…"


def bulk_sending(counts: dict[str, int]) -> str:
    """A bulk run starting: how many of each write ({"cancel": 3, "decline": 4})."""
    parts = [f"{action_words(a).doing.lower()} {counted(n, 'meeting')}"
             for a, n in counts.items() if n]
    text = " and ".join(parts) or "sending nothing"
    return text[0].upper() + text[1:] + "…"




def _done_counts(tally: BulkTally) -> str:
    counts = tally.done_by_action()
    if not counts:
        return "none done"
    return ", ".join(f"{n} {DONE_WORD.get(a, a)}" for a, n in counts.items())


def bulk_progress(tally: BulkTally) -> str:
    return f"Bulk: {len(tally.results)}/{tally.total} answered, {_done_counts(tally)}…"


def not_logged(tally: BulkTally) -> str:
    """How many answers are missing from the audit log, and why ("" when none)."""
    if not tally.unaudited:
        return ""
    return (f"{counted(len(tally.unaudited), 'answer')} NOT in the audit log: "
            f"{tally.unaudited[0]}.")


def bulk_done(tally: BulkTally) -> tuple[str, StatusKind]:
    results, left, missing = tally.results, tally.left, not_logged(tally)
    kind: StatusKind = "success" if left == 0 and results and not missing else "error"
    actions = set(tally.actions.values()) or {"cancel"}
    if len(actions) == 1:  # "Bulk decline: 3 of 4 declined"
        action = actions.pop()
        done = sum(tally.done_by_action().values())
        head = (f"Bulk {_NOUN.get(action, action)}: {done} of {len(results)} "
                f"{DONE_WORD.get(action, action)}")
    else:
        head = f"Bulk: {_done_counts(tally)} of {len(results)}"
    text = (head + (f", {left} not (see the results; they stay marked)." if left else ".")
            + (f" {missing}" if missing else ""))
    return text, kind


_NOUN = {"cancel": "cancel", "accept": "accept", "tentativelyAccept": "tentative",
         "decline": "decline", "delete": "delete"}
