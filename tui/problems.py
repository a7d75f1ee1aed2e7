"""The one place that turns an exception into a line a user can act on."""

from __future__ import annotations

from tui.auth.errors import SignInRequired
from tui.auth.keyring_access import KeyringUnavailable
from tui.graph.errors import (
    AuthenticationRequired,
    GraphError,
    GraphUnavailable,
    NotFound,
    OrganizerRequired,
)
from tui.paths import file_problem

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


def describe(error: BaseException) -> str:
    if isinstance(error, GraphError) and error.code in _REFUSALS:
        text = f"{_REFUSALS[error.code]}. Graph: {error.message} ({error.status} {error.code}"
        return text + (f", request-id {error.request_id})" if error.request_id else ")")
    if isinstance(error, SignInRequired):
        return error.message
    if isinstance(error, KeyringUnavailable):
        return f"the OS keyring is not usable: {error.reason}"
    if isinstance(error, OrganizerRequired):
        return f"you are not the organizer. Graph: {error.message}"
    if isinstance(error, AuthenticationRequired):
        return f"Graph refused the access token ({error.code}: {error.message}); sign in again"
    if isinstance(error, NotFound):
        return f"not found on the server ({error.code}: {error.message})"
    if isinstance(error, GraphError):
        text = f"Graph answered {error.status} {error.code}: {error.message}"
        if error.request_id:
            text += f" (request-id {error.request_id})"
        return text
    if isinstance(error, GraphUnavailable):
        return f"{error}; check the network and press r to retry"
    if isinstance(error, OSError) and error.filename is not None:  # a local file or folder
        return f"cannot use cal365's files: {file_problem(error)}"
    name = error.__class__.__name__
    return f"unexpected error ({name}: {error})" if str(error) else f"unexpected error ({name})"
