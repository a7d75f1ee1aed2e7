"""The one outcome classifier: what the audit log, the exit codes and the app read from it."""

from __future__ import annotations

import pytest

from tui.actions.outcome import (
    AUDIT_OUTCOME,
    KINDS,
    OUTCOMES,
    audit_outcome,
    classify,
    classify_item,
    is_gone,
)
from tui.graph.batch import BatchItemOutcome, BatchStatus
from tui.graph.errors import (
    AuthenticationRequired,
    CancelNotSent,
    CancelOutcomeUnknown,
    GraphError,
    GraphUnavailable,
    MeetingCancelled,
    NotFound,
    OrganizerCannotRespond,
    OrganizerRequired,
    RequestOutcomeUnknown,
    ResponseNotRequested,
    WriteNotSent,
)
from tui.graph.urls import ME, EventRef
from tui.script.exits import EXIT_BY_KIND, Exit, exit_for

_REF = EventRef("e1", ME)


@pytest.mark.parametrize(("error", "kind", "logged", "code"), [
    (None, "done", "cancelled", Exit.OK),
    (OrganizerRequired(400, "ErrorInvalidRequest", "not the organizer"), "not-organizer",
     "not-organizer", Exit.NOT_ORGANIZER),
    (OrganizerCannotRespond(400, "ErrorInvalidRequest", "you're the organizer"),
     "is-organizer", "is-organizer", Exit.IS_ORGANIZER),
    (MeetingCancelled(400, "ErrorInvalidRequest", "canceled"), "refused", "failed", Exit.ERROR),
    (ResponseNotRequested(400, "ErrorInvalidRequest", "no response"), "refused", "failed",
     Exit.ERROR),
    (WriteNotSent("e1", "refused", checked=False, action="decline"), "not-sent", "failed",
     Exit.ERROR),
    (NotFound(404, "ErrorItemNotFound", "gone"), "not-found", "not-found", Exit.NOT_FOUND),
    (AuthenticationRequired(401, "InvalidAuthenticationToken", "expired"), "auth-needed",
     "auth-needed", Exit.AUTH),
    (GraphError(403, "ErrorAccessDenied", "no"), "refused", "failed", Exit.ERROR),
    (CancelNotSent("e1", "connection refused", checked=False), "not-sent", "failed",
     Exit.ERROR),
    (CancelOutcomeUnknown("e1", "timed out"), "unknown", "unconfirmed", Exit.UNREACHABLE),
    (RequestOutcomeUnknown("timed out"), "unreachable", "unconfirmed", Exit.UNREACHABLE),
    (GraphUnavailable("no route"), "unreachable", "unconfirmed", Exit.UNREACHABLE),
    (RuntimeError("interrupted before Graph answered"), "other", "unconfirmed", Exit.ERROR),
])
def test_a_raised_error_is_one_kind_with_one_audit_word_and_one_exit_code(
    error: BaseException | None, kind: str, logged: str, code: Exit,
) -> None:
    assert classify(error) == kind
    assert AUDIT_OUTCOME[classify(error)] == logged
    assert EXIT_BY_KIND[classify(error)] is code
    if error is not None:
        assert exit_for(error) is code


@pytest.mark.parametrize(("status", "http", "kind", "logged", "code"), [
    ("done", 202, "done", "cancelled", Exit.OK),
    ("refused", 400, "not-organizer", "not-organizer", Exit.NOT_ORGANIZER),
    ("is_organizer", 400, "is-organizer", "is-organizer", Exit.IS_ORGANIZER),
    ("not_found", 404, "not-found", "not-found", Exit.NOT_FOUND),
    ("unknown", None, "unknown", "unconfirmed", Exit.UNREACHABLE),
    ("failed", 401, "auth-needed", "auth-needed", Exit.AUTH),
    ("failed", 403, "refused", "failed", Exit.ERROR),
    ("failed", None, "not-sent", "failed", Exit.ERROR),  # gave up: throttled, network down
])
def test_a_batch_item_reads_as_the_same_error_raised_alone(
    status: BatchStatus, http: int | None, kind: str, logged: str, code: Exit,
) -> None:
    item = BatchItemOutcome(_REF, status, "reason", http_status=http)
    assert classify_item(item) == kind
    assert AUDIT_OUTCOME[classify_item(item)] == logged
    assert EXIT_BY_KIND[classify_item(item)] is code


def test_every_kind_has_an_audit_word_and_an_exit_code() -> None:
    assert set(AUDIT_OUTCOME) == set(KINDS) == set(EXIT_BY_KIND)


def test_only_a_done_or_missing_event_is_gone() -> None:
    assert [k for k in KINDS if is_gone(k)] == ["done", "not-found"]


@pytest.mark.parametrize(("action", "word"), [
    ("cancel", "cancelled"), ("accept", "accepted"), ("tentativelyAccept", "tentative"),
    ("decline", "declined"), ("delete", "deleted")])
def test_a_done_write_is_logged_with_what_it_did_and_a_failure_as_any_other(
    action: str, word: str
) -> None:
    assert audit_outcome("done", action) == word and word in OUTCOMES
    assert audit_outcome("is-organizer", action) == "is-organizer"
    assert audit_outcome("unknown", action) == "unconfirmed"


def test_an_organizers_refused_reply_outranks_a_cancel_refusal_but_not_a_failure() -> None:
    from tui.script.exits import worst

    assert worst([Exit.IS_ORGANIZER, Exit.NOT_ORGANIZER, Exit.OK]) is Exit.IS_ORGANIZER
    assert worst([Exit.IS_ORGANIZER, Exit.ERROR]) is Exit.ERROR
    assert int(Exit.IS_ORGANIZER) == 9 and int(Exit.SEND_INTERRUPTED) == 8


def test_an_organizers_refused_reply_has_its_own_words() -> None:
    from tui.problems import describe

    said = describe(OrganizerCannotRespond(400, "ErrorInvalidRequest", "you're the organizer"))
    assert said.startswith("you organize this meeting") and "you're the organizer" in said
