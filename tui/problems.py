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


def describe(error: BaseException) -> str:
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
    name = error.__class__.__name__
    return f"unexpected error ({name}: {error})" if str(error) else f"unexpected error ({name})"
