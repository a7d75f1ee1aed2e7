"""Cancelling one meeting the user organizes, and telling whether a cancel took effect.

A cancel notifies every attendee, so it is never sent twice: it goes through the writes'
machinery (`tui.graph.writes`), which every write that notifies people shares.
"""

from __future__ import annotations

from typing import Literal

from tui.graph.transport import Transport
from tui.graph.urls import EventRef
from tui.graph.writes import Write, WriteOutcome, Writes, cancel_body, write_state

__all__ = ["CancelOutcome", "CancelState", "Cancels", "cancel_body", "cancel_state"]

CancelState = Literal["cancelled", "live"]

# A cancel's outcome is any write's.
CancelOutcome = WriteOutcome


async def cancel_state(transport: Transport, ref: EventRef) -> CancelState | None:
    """Look at the event: "cancelled" if it is gone (404) or flagged cancelled, "live" if
    it is still there, None if that cannot be told (the check itself failed).

    A cancelled meeting moves to Deleted Items, where its default id no longer resolves,
    so a 404 for the id a cancel was sent to means the cancel went through.
    """
    state = await write_state(transport, ref, Write.cancel(None))
    return None if state is None else "cancelled" if state == "done" else "live"


class Cancels(Writes):
    """Single cancels through `transport`, each event's cancel in flight at most once."""

    async def cancel_event(self, ref: EventRef, comment: str | None) -> CancelOutcome:
        """Cancel a meeting the user organizes; attendees get a notice with the comment.

        Returns when the cancel went through (`checked=True` if that was established by
        looking at the event after Graph's answer was lost). Raises OrganizerRequired,
        NotFound or another GraphError when Graph refused; CancelNotSent when it certainly
        did not happen (safe to offer "send again"); CancelOutcomeUnknown when even the
        check failed (never re-send blindly). Asking again while the same cancel is in
        flight waits for that one: pressing send twice sends once.
        """
        return await self.send(ref, Write.cancel(comment))
