"""Reading many events at once through Graph JSON batching (`POST /$batch` of GETs).

The look-ups of a bulk action (a bulk cancel now; replies, deletes, offboarding later): each
event with only the properties asked for (`$select`), or why it could not be read, one
answer per event asked for, in the order asked. The batches go through `tui.graph.batching`'s
machinery, as a bulk cancel's do: at most 20 requests each, chained with dependsOn so that
Graph runs one at a time, at most 4 batches per mailbox in flight (Outlook's 4 requests per
mailbox: Graph hands up to 4 of a batch's independent requests to Outlook at once, so
unchained batches in flight side by side would be throttled), the transport's one policy.

Per event, from its sub-response:
- 2xx: the event (one with no id is an InvalidResponse error);
- 404: NotFound; 403 and any other refusal: that GraphError, as a direct GET would raise;
- 429, 503, 504 (what the policy retries for a read), a 424 (not run: the look-up before it
  in the chain failed), or left out of the answer: asked again in a later batch, each a try
  the policy counts (a 424 after a failure costs none), waiting Graph's Retry-After or the
  policy's backoff; after the last try, the error of the last answer;
For the batch as a whole:
- throttled, unavailable or never sent: retried by the transport, as a read;
- refused all the same (400, 403, 429 after the tries): each of its events gets that error;
- an answer that is no batch answer: each of its events gets an InvalidResponse error;
- sign-in needed (401) or no network after the tries: AuthenticationRequired or
  GraphUnavailable is raised, as a single GET would (nothing can be said per event).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tui.graph import urls
from tui.graph.batching import (
    BatchItem,
    Round,
    SubResponse,
    again,
    chain,
    in_rounds,
    post_batch,
    sub_error,
)
from tui.graph.errors import AuthenticationRequired, GraphError, GraphUnavailable
from tui.graph.models import Event
from tui.graph.paging import has_id
from tui.graph.policy import RETRY_STATUSES, WaitReason
from tui.graph.transport import Transport
from tui.graph.urls import EventRef

# What a bulk action needs to know of an event before acting on it: the question put to
# the user (when, subject, organizer or not, whom a notice reaches, occurrence or series),
# the audit record (subject, start) and the never-twice check (already cancelled).
LOOKUP_SELECT = (
    "id,subject,start,end,isAllDay,isOrganizer,isCancelled,type,seriesMasterId,organizer,"
    "attendees"
)


@dataclass(frozen=True, slots=True)
class EventLookup:
    """One event asked for: its details, or the error that says why they are not known."""

    ref: EventRef
    event: Event | None
    error: GraphError | None = None


def _key(ref: EventRef) -> tuple[str, str]:
    return ref.mailbox.key, ref.event_id


async def get_events(
    transport: Transport, refs: Iterable[EventRef], tz: dt.tzinfo,
    select: str = LOOKUP_SELECT,
) -> list[EventLookup]:
    """Each event of `refs` (an event named twice is asked for once), in the order given."""
    refs = list(refs)
    lookups = _Lookups(transport, tz, select)
    unique: dict[tuple[str, str], EventRef] = {}
    for ref in refs:
        unique.setdefault(_key(ref), ref)
    by_mailbox: dict[str, list[BatchItem]] = {}
    for ref in unique.values():
        by_mailbox.setdefault(ref.mailbox.key, []).append(BatchItem(ref))
    await asyncio.gather(*(lookups.mailbox(key, items) for key, items in by_mailbox.items()))
    return [lookups.found[_key(ref)] for ref in refs]


class _Lookups:
    def __init__(self, transport: Transport, tz: dt.tzinfo, select: str) -> None:
        self.transport = transport
        self.tz = tz
        self.select = select
        self.found: dict[tuple[str, str], EventLookup] = {}
        self.last: dict[tuple[str, str], GraphError] = {}  # each retried item's last answer
        # Graph applies no header of the batch to its requests: each says its time zone.
        self.headers = {"Prefer": f'outlook.timezone="{transport.timezone}"'}

    async def mailbox(self, key: str, items: list[BatchItem]) -> None:
        await in_rounds(self.transport, key, items, "GET",
                        lambda chunk, slots: self.send(key, chunk, slots))

    def settle(self, item: BatchItem, event: Event | None, error: GraphError | None) -> None:
        self.found[_key(item.ref)] = EventLookup(item.ref, event, error)

    def give_up(self, item: BatchItem, why: str) -> None:
        last = self.last.get(_key(item.ref))  # a throttle or a 5xx; None: no answer at all
        self.settle(item, None, GraphError(
            last.status, last.code, why, last.request_id) if last is not None
            else GraphError(502, "InvalidResponse", why))

    def again(self, item: BatchItem, reason: str) -> list[BatchItem]:
        return again(self.transport.policy, item, reason, self.give_up)

    async def send(self, key: str, chunk: list[BatchItem], slots: asyncio.Semaphore) -> Round:
        """One batch of look-ups; the items to ask for again, how long to wait, and why."""
        payload = chain([{"method": "GET", "headers": self.headers,
                          "url": urls.batch_event_url(item.ref, select=self.select)}
                         for item in chunk])
        async with slots:
            for item in chunk:
                item.sends += 1
            try:
                subs, batch_request_id = await post_batch(self.transport, key, payload,
                                                          reads=True)
            except (AuthenticationRequired, GraphUnavailable):
                raise
            except GraphError as refused:  # the batch as a whole, after the policy's tries
                for item in chunk:
                    self.settle(item, None, refused)
                return [], 0.0, "throttled"
            except ValueError:
                unreadable = GraphError(502, "InvalidResponse", "Graph's answer to a batch "
                                        "of look-ups is not a batch answer")
                for item in chunk:
                    self.settle(item, None, unreadable)
                return [], 0.0, "unavailable"
        return self.read(chunk, subs, batch_request_id)

    def read(self, chunk: list[BatchItem], subs: dict[str, SubResponse],
             batch_request_id: str | None) -> Round:
        policy = self.transport.policy
        retry: list[BatchItem] = []
        wait = 0.0
        why: WaitReason = "throttled"

        def longer(seconds: float, reason: WaitReason) -> None:
            nonlocal wait, why
            if seconds > wait:
                wait, why = seconds, reason

        after_failure = False  # only after a failure is a 424 what an honest server says
        for index, item in enumerate(chunk, 1):
            sub = subs.get(str(index))
            failed_before = after_failure
            after_failure = sub is None or not 200 <= sub.status < 300
            if sub is None:
                retry += self.again(item, "Graph's batch answer left it out")
                longer(policy.backoff(item.tries), "unavailable")
            elif 200 <= sub.status < 300:
                self.settle(item, *self.event_in(item, sub, batch_request_id))
            elif sub.status == 424:
                if failed_before:  # the failure before it spent the try
                    retry.append(item)
                else:
                    retry += self.again(item, "Graph did not run it, though nothing "
                                        "before it failed")
            elif sub.status in RETRY_STATUSES:
                error = sub_error(sub, batch_request_id)
                self.last[_key(item.ref)] = error
                kind: WaitReason = "throttled" if sub.status == 429 else "unavailable"
                again_ = self.again(item, f"{error.code}: {error.message}")
                if again_:
                    longer(policy.delay(sub.headers, item.tries), kind)
                retry += again_
            else:
                self.settle(item, None, sub_error(sub, batch_request_id))
        return retry, wait, why

    def event_in(self, item: BatchItem, sub: SubResponse, batch_request_id: str | None
                 ) -> tuple[Event | None, GraphError | None]:
        body = sub.body
        if not isinstance(body, dict) or not has_id(body):
            request_id = sub.headers.get("request-id") or batch_request_id
            return None, GraphError(sub.status, "InvalidResponse",
                                    "Graph's answer for this event holds no event", request_id)
        return Event.from_json(body, item.ref.mailbox, item.ref.calendar, self.tz), None
