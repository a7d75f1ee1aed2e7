"""Writes to one event that notify people (cancel, accept, tentatively accept, decline,
delete), and telling from a look at the event whether one took effect.

Such a write is never sent twice: asking again while the same write is in flight waits for
that one, and a write whose answer was lost is settled by looking at the event, not by
sending it again. `Write` says what goes on the wire and how a look reads; `Writes` sends
them one at a time, `tui.graph.bulk` many through JSON batching.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from tui.graph import urls
from tui.graph.errors import (
    NOT_FOUND_CODES,
    GraphError,
    GraphUnavailable,
    NotFound,
    OrganizerRequired,
    RequestOutcomeUnknown,
    WriteNotSent,
    WriteOutcomeUnknown,
)
from tui.graph.replies import RESPONSE_OF, Reply, TimeSlot, reply_body
from tui.graph.transport import Transport
from tui.graph.urls import EventRef

WriteName = Literal["cancel", "accept", "tentativelyAccept", "decline", "delete"]
WRITES: tuple[WriteName, ...] = ("cancel", "accept", "tentativelyAccept", "decline", "delete")
# "done": the look shows the write took effect; "live": the event is there as before.
WriteState = Literal["done", "live"]
# How far Graph's clock may be behind this machine's: a response stamped earlier than the
# send minus this was there before the send, so it proves nothing about it.
CLOCK_SKEW = dt.timedelta(minutes=2)
_ALREADY: dict[WriteName, str] = {
    "cancel": "already cancelled", "accept": "already accepted",
    "tentativelyAccept": "already tentatively accepted", "decline": "already declined",
    "delete": "already deleted",
}


def cancel_body(comment: str | None) -> dict[str, str]:
    """The cancel action's body. Blank text means "no comment": an empty string would make
    Graph send no notice at all, so the field is left out and attendees get the default."""
    if comment is not None and comment.strip():
        return {"Comment": comment}
    return {}


@dataclass(frozen=True, slots=True)
class Write:
    """One kind of write with its body, the same for every event it goes to."""

    action: WriteName
    body: dict[str, Any] | None = None  # None: no body (a DELETE)

    @classmethod
    def cancel(cls, comment: str | None) -> Write:
        return cls("cancel", cancel_body(comment))

    @classmethod
    def reply(cls, reply: Reply, comment: str | None, *, send_response: bool = True,
              proposed: TimeSlot | None = None) -> Write:
        """ValueError (nothing to send) for a body Graph would refuse; see `reply_body`."""
        return cls(reply, reply_body(comment, send_response=send_response,
                                     proposed=proposed, reply=reply))

    @classmethod
    def delete(cls) -> Write:
        return cls("delete")

    @property
    def method(self) -> str:
        return "DELETE" if self.action == "delete" else "POST"

    def path(self, ref: EventRef) -> str:
        return ref.path if self.action == "delete" else ref.action_path(self.action)

    def request(self, ref: EventRef) -> dict[str, Any]:
        """This write to `ref` as one request of a JSON batch."""
        request: dict[str, Any] = {"method": self.method, "url": self.path(ref)}
        if self.body is not None:
            request["headers"] = {"Content-Type": "application/json"}
            request["body"] = self.body
        return request

    @property
    def gone_means_done(self) -> bool:
        """A 404 on a look proves this write went: a cancelled meeting, a declined
        invitation and a deleted event leave the calendar. (An accepted one stays.)"""
        return self.action in ("cancel", "decline", "delete")

    def refusal(self, error: GraphError) -> GraphError:
        """Graph's refusal as this write's: "you must organize it" is a cancel's refusal;
        another 400 that names the organizer (a reply's undocumented ones) is a plain one."""
        if self.action == "cancel" or not isinstance(error, OrganizerRequired):
            return error
        plain = GraphError(error.status, error.code, error.message, error.request_id,
                           error.date)
        return plain

    @property
    def already(self) -> str:
        """Why a look before sending found nothing to send."""
        return _ALREADY[self.action]

    @property
    def look_select(self) -> str:
        return "id,isCancelled" if self.action == "cancel" else "id,responseStatus"

    def judge(self, obj: dict[str, Any], since: dt.datetime | None = None
              ) -> WriteState | None:
        """What a look at the event (its JSON) says about this write; `since`: when it was
        sent (None: it was not, the look comes first)."""
        if not isinstance(obj.get("id"), str):
            return None
        if self.action == "cancel":
            return "done" if obj.get("isCancelled") is True else "live"
        if self.action == "delete":
            return "live"
        status = obj.get("responseStatus")
        if not isinstance(status, dict) or status.get("response") != RESPONSE_OF[self.action]:
            return "live"
        if since is None:  # nothing sent yet: already answered this way, nothing to send
            return "done"
        # Answered this way: by this send only if stamped after it. An older stamp is a
        # response from before, so whether this one (and its comment) went is not known.
        answered = _instant(status.get("time"))
        return "done" if answered is not None and answered >= since - CLOCK_SKEW else None


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """A write that went through; the request-id identifies it in the tenant's logs.

    `checked` is true when Graph's answer was lost and a look at the event proved the write
    had taken effect.
    """

    event_id: str
    request_id: str | None
    checked: bool = False


def _instant(raw: Any) -> dt.datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


async def write_state(transport: Transport, ref: EventRef, write: Write,
                      since: dt.datetime | None = None) -> WriteState | None:
    """Look at the event: "done" if it shows `write` took effect (sent at `since`, None:
    not sent yet), "live" if it is there as before, None if that cannot be told (the look
    itself failed, the event is gone after a write that leaves it in place, or a reply
    shows a response given before the send)."""
    try:
        obj = await transport.get_json(urls.event_url(ref, select=write.look_select))
    except NotFound as missing:
        return "done" if write.gone_means_done and missing.code in NOT_FOUND_CODES else None
    except (GraphError, GraphUnavailable):
        return None
    return write.judge(obj, since)


class Writes:
    """Single writes through `transport`, each event's write of one kind in flight at most
    once."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._running: dict[tuple[str, str, str], asyncio.Future[WriteOutcome]] = {}

    async def send(self, ref: EventRef, write: Write) -> WriteOutcome:
        """Send `write` to `ref`.

        Returns when it went through (`checked=True` if a look established that after
        Graph's answer was lost). Raises a GraphError when Graph refused; WriteNotSent when
        it certainly did not happen (safe to offer "send again"); WriteOutcomeUnknown when
        even the look failed (never re-send blindly). Asking again while the same write to
        the same event is in flight waits for that one: pressing send twice sends once.
        """
        key = (ref.mailbox.key, ref.event_id, write.action)
        running = self._running.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[WriteOutcome] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            outcome = await self._send_once(ref, write)
        except asyncio.CancelledError:
            # Abandoned mid-flight: whoever else waits cannot know whether it went.
            future.set_exception(WriteOutcomeUnknown(
                ref.event_id, "the request was abandoned", action=write.action))
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

    async def _send_once(self, ref: EventRef, write: Write) -> WriteOutcome:
        transport = self.transport
        action = write.action
        since = dt.datetime.now(dt.UTC)
        try:
            response = await transport.send(write.method, write.path(ref), json_body=write.body)
        except RequestOutcomeUnknown as unknown:
            reason = str(unknown)
            await transport.policy.sleep(transport.policy.settle)
            state = await write_state(transport, ref, write, since)
            if state == "done":
                return WriteOutcome(ref.event_id, unknown.request_id, checked=True)
            if state == "live":
                raise WriteNotSent(ref.event_id, reason, checked=True,
                                   action=action) from unknown
            raise WriteOutcomeUnknown(ref.event_id, reason, action=action) from unknown
        except GraphUnavailable as unavailable:
            raise WriteNotSent(ref.event_id, str(unavailable), checked=False,
                               action=action) from unavailable
        except OrganizerRequired as refused:
            raise write.refusal(refused) from refused
        return WriteOutcome(ref.event_id, response.headers.get("request-id"))
