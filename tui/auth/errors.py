"""Sign-in errors. They subclass AuthenticationRequired so that the UI treats a call that
could not get a token like any other 401: nothing was sent, and typed comments are kept."""

from __future__ import annotations

from tui.graph.errors import AuthenticationRequired, GraphUnavailable


class SignInRequired(AuthenticationRequired):
    """No usable token and no way to ask the user right now."""

    def __init__(self, message: str, code: str = "SignInRequired") -> None:
        super().__init__(401, code, message)

    def __str__(self) -> str:
        return self.message


class SignInCancelled(SignInRequired):
    def __init__(self, message: str = "sign-in was cancelled") -> None:
        super().__init__(message, "SignInCancelled")


class SignInFailed(SignInRequired):
    """The identity provider said no; `message` carries its AADSTS text for administrators."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "SignInFailed")


class SignInExpired(SignInFailed):
    """The device code expired before the user finished: sign-in is still needed."""


class SignInUnavailable(GraphUnavailable):
    """The identity provider could not be reached (network, DNS, TLS)."""
