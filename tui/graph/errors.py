"""Typed errors from Graph, parsed from its error envelope or from whatever came back instead."""

from __future__ import annotations

from typing import Any

from tui.graph import jsonpages

NOT_FOUND_CODES = frozenset({"ErrorItemNotFound", "itemNotFound", "ResourceNotFound"})


class GraphError(Exception):
    """Graph answered with an error status.

    Keeps the server's own code, message and request-id: users quote the request-id to their
    administrators, and the message is what the status bar shows.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request_id: str | None = None,
        date: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.date = date


class OrganizerRequired(GraphError):
    """The cancel was refused because the signed-in user does not organize the meeting."""


class OrganizerCannotRespond(GraphError):
    """A reply was refused because the signed-in user organizes the meeting."""


class MeetingCancelled(GraphError):
    """A reply was refused because the meeting has been cancelled."""


class ResponseNotRequested(GraphError):
    """A reply with a response to the organizer was refused: the organizer asked for none
    (the same reply with `sendResponse` false would go through)."""


class NotFound(GraphError):
    """The item is gone (for an event: cancelled or deleted elsewhere, or moved)."""


class AuthenticationRequired(GraphError):
    """The token is missing, expired or rejected (HTTP 401)."""


class GraphUnavailable(Exception):
    """Graph could not be reached at all: DNS, connection refused, timeout, TLS."""


# Graph's 400 texts for refused replies, all `ErrorInvalidRequest`, so only the text tells
# them apart. They come from the Exchange backend's source (RespondToEventBase) and from
# public clients that match them in live errors; not verified against Graph live.
_REPLY_REFUSALS: tuple[tuple[str, type[GraphError]], ...] = (
    ("because you're the meeting organizer", OrganizerCannotRespond),
    ("respond to a meeting that's been canceled", MeetingCancelled),
    ("organizer hasn't requested a response", ResponseNotRequested),
)


def _reply_refusal(message: str) -> type[GraphError] | None:
    # Apostrophes may come typographic; compared without them.
    plain = message.lower().replace("\u2019", "'")
    for text, kind in _REPLY_REFUSALS:
        if text in plain:
            return kind
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def error_from_response(
    status: int, body: bytes, headers: dict[str, str], reason: str = ""
) -> GraphError:
    """Build the right error from a response; never raises, whatever the body holds.

    Proxies answer with HTML and broken links with truncated JSON, so a body that is not
    Graph's envelope still yields a readable message.
    """
    code, message, request_id, date = "", "", None, None
    try:
        payload = jsonpages.decode(body) if body else None
    except ValueError:
        payload = None
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        code = _text(error.get("code"))
        message = _text(error.get("message"))
        inner = error.get("innerError") or error.get("innererror")
        if isinstance(inner, dict):
            request_id = _text(inner.get("request-id")) or None
            date = _text(inner.get("date")) or None
    elif isinstance(error, str) and error:
        # The OAuth form some gateways answer with: {"error": "invalid_token",
        # "error_description": "…"}. Its words beat "unexpected response".
        code = error
        message = _text(payload.get("error_description")) if isinstance(payload, dict) else ""
    elif body:
        message = f"unexpected response ({headers.get('content-type', 'no content type')})"
    request_id = headers.get("request-id") or request_id
    if not message:
        message = reason or f"HTTP {status}"
    code = code or f"HTTP{status}"
    kind: type[GraphError] = GraphError
    refusal = _reply_refusal(message) if status == 400 else None
    # Graph documents the message, not the code; ErrorInvalidRequest also covers other faults.
    if refusal is not None:  # before the cancel rule: two of these texts say "organizer"
        kind = refusal
    elif status == 400 and (code == "ErrorCalendarIsNotOrganizer"
                            or "organizer" in message.lower()):
        kind = OrganizerRequired
    elif status == 404 or code in NOT_FOUND_CODES:
        kind = NotFound
    elif status == 401:
        kind = AuthenticationRequired
    return kind(status, code, message, request_id, date)


class RequestOutcomeUnknown(GraphUnavailable):
    """A write reached Graph (or may have) but no usable answer came back: a timeout, a
    dropped connection after sending, or a 5xx. Whether it took effect is not known."""

    def __init__(self, message: str, status: int | None = None,
                 request_id: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.request_id = request_id


# What each write does, for the words of an error about it.
_DONE = {
    "cancel": "the meeting was cancelled",
    "accept": "the invitation was accepted",
    "tentativelyAccept": "the invitation was tentatively accepted",
    "decline": "the invitation was declined",
    "delete": "the event was deleted",
}
_NOT_DONE = {
    "cancel": "the meeting was not cancelled",
    "accept": "the invitation was not accepted",
    "tentativelyAccept": "the invitation was not tentatively accepted",
    "decline": "the invitation was not declined",
    "delete": "the event was not deleted",
}


class WriteNotSent(GraphUnavailable):
    """The write (a cancel, a reply, a delete) certainly did not take effect: the request
    never left, or a look after an unclear failure found the event as it was. Safe to send
    again. `action` is the write's name ("cancel", "accept", …, "delete")."""

    def __init__(self, event_id: str, reason: str, *, checked: bool,
                 action: str = "cancel") -> None:
        detail = "the event is still there" if checked else "nothing was sent"
        if checked and action in ("accept", "tentativelyAccept", "decline"):
            detail = "the event shows no such response"
        not_done = _NOT_DONE.get(action, f"the {action} did not take effect")
        super().__init__(f"{not_done} ({reason}; {detail})")
        self.event_id = event_id
        self.reason = reason
        self.checked = checked
        self.action = action


class WriteOutcomeUnknown(GraphUnavailable):
    """The write may or may not have gone through, and looking at the event failed too.

    Never re-send on this: refresh the event first.
    """

    def __init__(self, event_id: str, reason: str, *, action: str = "cancel") -> None:
        done = _DONE.get(action, f"the {action} took effect")
        super().__init__(
            f"cannot tell whether {done} ({reason}); refresh to check before sending again"
        )
        self.event_id = event_id
        self.reason = reason
        self.action = action


# The names from before replies and delete: a cancel's errors are the writes' errors.
CancelNotSent = WriteNotSent
CancelOutcomeUnknown = WriteOutcomeUnknown
