"""Cancelling one meeting the user organizes, and telling whether a cancel took effect.

A cancel notifies every attendee, so it is never sent twice: asking again while the same
cancel is in flight waits for that one, and a cancel whose answer was lost is settled by
looking at the event, not by sending it again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Literal

from tui.graph import urls
from tui.graph.errors import (
    NOT_FOUND_CODES,
    CancelNotSent,
    CancelOutcomeUnknown,
    GraphError,
    GraphUnavailable,
    NotFound,
    RequestOutcomeUnknown,
)
from tui.graph.transport import Transport
from tui.graph.urls import EventRef

CancelState = Literal["cancelled", "live"]


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """A cancel that went through; the request-id identifies it in the tenant's logs.

    `checked` is true when Graph's answer was lost and a look at the event proved the cancel
    had taken effect (the event is gone or flagged cancelled).
    """

    event_id: str
    request_id: str | None
    checked: bool = False


def cancel_body(comment: str | None) -> dict[str, str]:
    """The cancel action's body. Blank text means "no comment": an empty string would make
    Graph send no notice at all, so the field is left out and attendees get the default."""
    if comment is not None and comment.strip():
        return {"Comment": comment}
    return {}


async def cancel_state(transport: Transport, ref: EventRef) -> CancelState | None:
    """Look at the event: "cancelled" if it is gone (404) or flagged cancelled, "live" if
    it is still there, None if that cannot be told (the check itself failed).

    A cancelled meeting moves to Deleted Items, where its default id no longer resolves,
    so a 404 for the id a cancel was sent to means the cancel went through.
    """
    try:
        obj = await transport.get_json(urls.event_url(ref, select="id,isCancelled"))
    except NotFound as missing:
        return "cancelled" if missing.code in NOT_FOUND_CODES else None
    except (GraphError, GraphUnavailable):
        return None
    if obj.get("isCancelled") is True:
        return "cancelled"
    return "live" if isinstance(obj.get("id"), str) else None


class Cancels:
    """Single cancels through `transport`, each event's cancel in flight at most once."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._running: dict[tuple[str, str], asyncio.Future[CancelOutcome]] = {}

    async def cancel_event(self, ref: EventRef, comment: str | None) -> CancelOutcome:
        """Cancel a meeting the user organizes; attendees get a notice with the comment.

        Returns when the cancel went through (`checked=True` if that was established by
        looking at the event after Graph's answer was lost). Raises OrganizerRequired,
        NotFound or another GraphError when Graph refused; CancelNotSent when it certainly
        did not happen (safe to offer "send again"); CancelOutcomeUnknown when even the
        check failed (never re-send blindly). Asking again while the same cancel is in
        flight waits for that one: pressing send twice sends once.
        """
        key = (ref.mailbox.key, ref.event_id)
        running = self._running.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[CancelOutcome] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            outcome = await self._cancel_once(ref, comment)
        except asyncio.CancelledError:
            # Abandoned mid-flight: whoever else waits cannot know whether it went.
            future.set_exception(CancelOutcomeUnknown(ref.event_id, "the request was abandoned"))
            future.exception()  # mark retrieved: nobody else may be waiting
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()
            raise
        else:
            future.set_result(outcome)
            return outcome
        finally:
            del self._running[key]

    async def _cancel_once(self, ref: EventRef, comment: str | None) -> CancelOutcome:
        transport = self.transport
        try:
            response = await transport.send("POST", ref.cancel_path, json_body=cancel_body(comment))
        except RequestOutcomeUnknown as unknown:
            reason = str(unknown)
            await transport.policy.sleep(transport.policy.settle)
            state = await cancel_state(transport, ref)
            if state == "cancelled":
                return CancelOutcome(ref.event_id, unknown.request_id, checked=True)
            if state == "live":
                raise CancelNotSent(ref.event_id, reason, checked=True) from unknown
            raise CancelOutcomeUnknown(ref.event_id, reason) from unknown
        except GraphUnavailable as unavailable:
            raise CancelNotSent(ref.event_id, str(unavailable), checked=False) from unavailable
        return CancelOutcome(ref.event_id, response.headers.get("request-id"))
