"""What became of a request sent to Graph: the one classifier the app, the script commands
and the audit log share.

A cancel (and each action to come: a reply, the end of a series, a delete) ends in one
`Kind`, whether it went alone (an exception or none) or in a JSON batch (a
`BatchItemOutcome`). Each reader turns the kind into its own words: the audit log's outcome
(`audit_outcome`), a script's exit code (`tui.script.exits`), the status bar's sentence
(`tui.screens.status_lines`). The line that matters most is between a request that certainly did
not take effect (safe to send again) and one that may have (look first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

from tui.graph.errors import (
    AuthenticationRequired,
    CancelNotSent,
    CancelOutcomeUnknown,
    GraphError,
    GraphUnavailable,
    NotFound,
    OrganizerCannotRespond,
    OrganizerRequired,
)

if TYPE_CHECKING:  # the exit codes are read at every start: no HTTP stack for them
    from tui.graph.batch import BatchItemOutcome

Kind = Literal[
    "done",  # Graph accepted it, or a look after a lost answer found it done
    "not-organizer",  # refused: the user does not organize the meeting (a cancel)
    "is-organizer",  # refused: the user organizes the meeting (a reply to it)
    "not-found",  # no such event (often: cancelled or deleted elsewhere already)
    "auth-needed",  # the sign-in was refused (HTTP 401)
    "refused",  # Graph refused for another reason: nothing happened
    "not-sent",  # certainly did not take effect (never left, or still there after a look)
    "unknown",  # may have gone through, and the look at the event failed too
    "unreachable",  # Graph could not be reached (for a write: it may have gone)
    "other",  # any other failure (for a write: after sending, so it may have gone)
]
KINDS: tuple[Kind, ...] = ("done", "not-organizer", "is-organizer", "not-found",
                           "auth-needed", "refused", "not-sent", "unknown", "unreachable",
                           "other")

# The audit log's word for each outcome. A write that was done says what it did (cancelled,
# accepted, …); "failed": refused for another reason, or certainly not sent (safe to send
# again); "unconfirmed": it may or may not have gone through and checking the event failed
# too, so look before sending again.
Outcome = Literal[
    "cancelled", "accepted", "tentative", "declined", "deleted", "not-organizer",
    "is-organizer", "not-found", "auth-needed", "failed", "unconfirmed"
]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
# The word for "done", by write (`tui.graph.writes.WriteName`).
DONE_WORD: dict[str, Outcome] = {
    "cancel": "cancelled", "accept": "accepted", "tentativelyAccept": "tentative",
    "decline": "declined", "delete": "deleted",
}
# A cancel's words; `audit_outcome` gives any write's.
AUDIT_OUTCOME: dict[Kind, Outcome] = {
    "done": "cancelled",
    "not-organizer": "not-organizer",
    "is-organizer": "is-organizer",
    "not-found": "not-found",
    "auth-needed": "auth-needed",
    "refused": "failed",
    "not-sent": "failed",
    "unknown": "unconfirmed",
    "unreachable": "unconfirmed",
    "other": "unconfirmed",
}


def audit_outcome(kind: Kind, action: str = "cancel") -> Outcome:
    """The audit log's word for an outcome of the write `action` ("cancel", "accept", …)."""
    if kind == "done":
        return DONE_WORD.get(action, "cancelled")
    return AUDIT_OUTCOME[kind]


def classify(error: BaseException | None) -> Kind:
    """The kind of outcome of a request that raised `error` (None: it went through)."""
    if error is None:
        return "done"
    if isinstance(error, OrganizerRequired):
        return "not-organizer"
    if isinstance(error, OrganizerCannotRespond):
        return "is-organizer"
    if isinstance(error, NotFound):
        return "not-found"
    if isinstance(error, AuthenticationRequired):
        return "auth-needed"
    if isinstance(error, GraphError):
        return "refused"
    if isinstance(error, CancelNotSent):
        return "not-sent"
    if isinstance(error, CancelOutcomeUnknown):
        return "unknown"
    if isinstance(error, GraphUnavailable):
        return "unreachable"
    return "other"


def classify_item(item: BatchItemOutcome) -> Kind:
    """The kind of outcome of one request of a JSON batch (`GraphClient.cancel_many`,
    `reply_many`, `delete_many`)."""
    if item.status == "done":
        return "done"
    if item.status == "refused":
        return "not-organizer"
    if item.status == "is_organizer":
        return "is-organizer"
    if item.status == "not_found":
        return "not-found"
    if item.status == "unknown":
        return "unknown"
    if item.http_status == 401:
        return "auth-needed"
    # Failed: Graph refused it (an HTTP status), or it never took effect (gave up after
    # throttling or a network that stayed down). Either way nothing happened.
    return "refused" if item.http_status is not None else "not-sent"


def is_gone(kind: Kind) -> bool:
    """The event is no longer there to act on: done, or not found."""
    return kind in ("done", "not-found")


def may_have_gone(kind: Kind) -> bool:
    """A write with this outcome may have taken effect unseen: look before sending again."""
    return kind in ("unknown", "unreachable", "other")
