"""The one place that turns an exception into a line a user can act on.

The line carries text from the server (Graph's error code, message and request-id) and from
the system. Each such value is bounded and the whole line leaves here inert (`tui.text`),
whatever shows it: the status bar, a dialog, a script's stderr.
"""

from __future__ import annotations

from tui.auth.errors import SignInRequired
from tui.graph.errors import (
    AuthenticationRequired,
    GraphError,
    GraphUnavailable,
    NotFound,
    OrganizerCannotRespond,
    OrganizerRequired,
)
from tui.paths import file_problem
from tui.secrets.keyring_access import KeyringUnavailable
from tui.text import inert

# Characters of one server value: a megabyte message stays a line, and the request-id at
# its end (what administrators trace) always fits in the line.
SERVER_TEXT_LIMIT = 1000
CODE_LIMIT = 100  # a code or a request-id is a short identifier
LINE_LIMIT = 2000

# Graph's codes for a tenant, mailbox or directory that refuses: what each means for the user.
_REFUSALS = {
    "MailboxNotEnabledForRESTAPI": (
        "this mailbox cannot be reached through Microsoft Graph (inactive, soft-deleted, "
        "hosted on-premises, or a guest without an Exchange Online mailbox)"),
    "ErrorAccessDenied": (
        "access denied: you have no permission for this mailbox or calendar (its owner must "
        "share it with you, or an administrator must grant the Calendars permission)"),
    "ErrorInvalidUser": "no such user in this tenant: check the user name (UPN) or id",
    "InvalidAuthenticationToken": (
        "the sign-in is no longer accepted (Graph rejected the access token): sign in again"),
    "Authorization_RequestDenied": (
        "the directory refused this request (insufficient privileges): an administrator "
        "must grant cal365 the permission"),
}


def _bounded(value: object, limit: int = SERVER_TEXT_LIMIT) -> str:
    """One untrusted value for a line: text (whatever type it came as), inert, bounded."""
    return inert(value if isinstance(value, str) else str(value), limit)


def describe(error: BaseException) -> str:
    """One inert line for `error`."""
    return inert(_words(error), LINE_LIMIT)


def _words(error: BaseException) -> str:
    if isinstance(error, GraphError):
        code, message = _bounded(error.code, CODE_LIMIT), _bounded(error.message)
        request_id = _bounded(error.request_id, CODE_LIMIT) if error.request_id else ""
    if isinstance(error, GraphError) and error.code in _REFUSALS:
        text = f"{_REFUSALS[error.code]}. Graph: {message} ({error.status} {code}"
        return text + (f", request-id {request_id})" if request_id else ")")
    if isinstance(error, SignInRequired):  # AADSTS text, with the ids administrators need
        return error.message  # whole: `describe` makes the line inert and bounds it
    if isinstance(error, KeyringUnavailable):
        return f"the OS keyring is not usable: {_bounded(error.reason)}"
    if isinstance(error, OrganizerRequired):
        return f"you are not the organizer. Graph: {message}"
    if isinstance(error, OrganizerCannotRespond):
        return f"you organize this meeting, so there is nothing to reply. Graph: {message}"
    if isinstance(error, AuthenticationRequired):
        return f"Graph refused the access token ({code}: {message}); sign in again"
    if isinstance(error, NotFound):
        return f"not found on the server ({code}: {message})"
    if isinstance(error, GraphError):
        text = f"Graph answered {error.status} {code}: {message}"
        if request_id:
            text += f" (request-id {request_id})"
        return text
    if isinstance(error, GraphUnavailable):
        return f"{_bounded(error)}; check the network and press r to retry"
    if isinstance(error, OSError) and error.filename is not None:  # a local file or folder
        return f"cannot use cal365's files: {_bounded(file_problem(error))}"
    name = error.__class__.__name__
    return (f"unexpected error ({name}: {_bounded(error)})" if str(error)
            else f"unexpected error ({name})")
