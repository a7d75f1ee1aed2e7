"""Reply to an invitation (accept, tentatively accept, decline) or delete an event: one
`ActionRequest` each, sent, classified and audited by `tui.actions.cancel.run_one`, planned
for a dry run as a cancel is.

A reply Graph would refuse (a comment or a proposed time without a response to the
organizer, a proposed time with an accept) is refused when the request is made, with
words: nothing is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.actions.cancel import PlannedRequest
from tui.graph import Event
from tui.graph.replies import Reply, TimeSlot, reply_body
from tui.graph.urls import EventRef

if TYPE_CHECKING:  # the client (and its HTTP stack) loads after the first frame
    from tui.graph import GraphClient

__all__ = ["DeleteRequest", "ReplyRequest"]


@dataclass(frozen=True, slots=True)
class ReplyRequest:
    """A reply to one invitation, or to the whole series an occurrence belongs to."""

    event: Event
    target: EventRef
    comment: str
    reply: Reply
    send_response: bool = True
    proposed: TimeSlot | None = None

    @classmethod
    def of(cls, event: Event, reply: Reply, comment: str, *, send_response: bool = True,
           proposed: TimeSlot | None = None, whole_series: bool = False) -> ReplyRequest:
        """ValueError (with words) for a reply Graph would refuse, this event's rule
        included (the organizer allows no new time proposals)."""
        reply_body(comment, send_response=send_response, proposed=proposed, reply=reply)
        if proposed is not None and not event.allow_new_time_proposals:
            raise ValueError("the organizer does not allow new time proposals for this "
                             "meeting")
        target = event.ref
        if whole_series and event.series_master_id:
            target = EventRef(event.series_master_id, event.ref.mailbox, event.ref.calendar)
        return cls(event, target, comment, reply, send_response, proposed)

    @property
    def action(self) -> str:
        return self.reply

    @property
    def series(self) -> bool:
        """The reply goes to the series master: it answers every occurrence."""
        return self.target.event_id != self.event.id

    def planned(self) -> PlannedRequest:
        body = reply_body(self.comment, send_response=self.send_response,
                          proposed=self.proposed, reply=self.reply)
        return PlannedRequest("POST", self.target.action_path(self.reply), body)

    async def send(self, client: GraphClient) -> str | None:
        outcome = await client.reply(self.target, self.reply, self.comment,
                                     send_response=self.send_response, proposed=self.proposed)
        return outcome.request_id


@dataclass(frozen=True, slots=True)
class DeleteRequest:
    """A delete of one event. For a meeting the user organizes Graph sends the attendees a
    cancellation without a message; on an invitation it may decline first (see
    docs/graph-notes.md): never a silent way out."""

    event: Event
    target: EventRef
    comment: str = ""  # a delete carries none

    @classmethod
    def of(cls, event: Event) -> DeleteRequest:
        return cls(event, event.ref)

    @property
    def action(self) -> str:
        return "delete"

    def planned(self) -> PlannedRequest:
        return PlannedRequest("DELETE", self.target.path, None)

    async def send(self, client: GraphClient) -> str | None:
        outcome = await client.delete_event(self.target)
        return outcome.request_id
