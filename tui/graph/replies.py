"""Replies to an invitation: accept, tentatively accept, decline; their body.

Graph's reply actions (`POST …/events/{id}/accept`, `…/tentativelyAccept`, `…/decline`)
take `comment`, `sendResponse` and, for the last two, `proposedNewTime`. Combinations Graph
refuses with a 400 are refused here first, with words, so they are never sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, get_args

Reply = Literal["accept", "tentativelyAccept", "decline"]
REPLIES: tuple[Reply, ...] = get_args(Reply)

# The user's response (`responseStatus.response`) once each reply has taken effect.
RESPONSE_OF: dict[Reply, str] = {
    "accept": "accepted",
    "tentativelyAccept": "tentativelyAccepted",
    "decline": "declined",
}


@dataclass(frozen=True, slots=True)
class TimeSlot:
    """A new time proposed to the organizer; both ends aware, start before end."""

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a proposed time needs its time zone")
        if self.end <= self.start:
            raise ValueError("a proposed time must end after it starts")

    def to_json(self) -> dict[str, dict[str, str]]:
        """Graph's timeSlot, both ends in UTC."""
        return {"start": _utc(self.start), "end": _utc(self.end)}


def _utc(moment: dt.datetime) -> dict[str, str]:
    wall = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return {"dateTime": wall.isoformat(timespec="seconds"), "timeZone": "UTC"}


def reply_body(comment: str | None, *, send_response: bool = True,
               proposed: TimeSlot | None = None, reply: Reply | None = None
               ) -> dict[str, Any]:
    """The body of a reply. A blank comment is left out (the organizer gets the plain
    response). ValueError, nothing sent, for what Graph refuses: a comment or a proposed
    time without a response to the organizer (`send_response` false), or a proposed time
    with an accept."""
    has_comment = comment is not None and bool(comment.strip())
    if not send_response and has_comment:
        raise ValueError("a comment needs a response to the organizer: "
                         "it would not be sent without one")
    if proposed is not None and not send_response:
        raise ValueError("a proposed new time needs a response to the organizer")
    if proposed is not None and reply == "accept":
        raise ValueError("a new time can be proposed only with tentative or decline")
    body: dict[str, Any] = {}
    if has_comment:
        body["comment"] = comment
    body["sendResponse"] = send_response
    if proposed is not None:
        body["proposedNewTime"] = proposed.to_json()
    return body


def as_reply(name: str) -> Reply | None:
    """`name` as a reply kind ("accept", "tentativelyAccept", "decline"), or None."""
    for reply in REPLIES:
        if reply == name:
            return reply
    return None
