"""Bulk writes through Graph JSON batching (`POST /$batch`): cancels, replies, deletes of
many events, on the machinery of `tui.graph.batching`.

Rules, from Graph's batching and Outlook throttling documentation (see `batching` for the
batches themselves):
- an item answered 429 is retried alone after its Retry-After; an item answered 424 (its
  predecessor failed, so it was never run) is simply sent again;
- an item whose outcome is unknown (5xx, missing from the answer, or the whole batch lost
  after sending) is never re-sent before a look at the event shows it is still live.

Retries follow the transport's one policy: the `POST /$batch` itself is sent (and, when
Graph throttles it or it never left, retried) by `Transport.send`; an item inside it that
did not take effect is sent again in a later batch at most `policy.max_retries` times, each
wait Graph's Retry-After or the policy's backoff, announced through `Transport.wait`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from tui.graph.batching import (
    MAX_BATCHES_IN_FLIGHT,
    MAX_REQUESTS,
    BatchItem,
    SubResponse,
    again,
    chain,
    in_rounds,
    parse_batch,
    post_batch,
    sub_error,
)
from tui.graph.errors import (
    GraphError,
    GraphUnavailable,
    NotFound,
    OrganizerCannotRespond,
    OrganizerRequired,
    RequestOutcomeUnknown,
)
from tui.graph.policy import WaitReason
from tui.graph.transport import Transport
from tui.graph.urls import EventRef
from tui.graph.writes import Write, cancel_body, write_state

__all__ = [
    "MAX_BATCHES_IN_FLIGHT", "MAX_REQUESTS", "BatchItem", "BatchItemOutcome", "BatchStatus",
    "BulkCancel", "BulkStats", "BulkWrite", "SubResponse", "again", "build_batch",
    "build_write_batch", "cancel_body", "chain", "in_rounds", "parse_batch", "post_batch",
    "sub_error",
]

# "refused": a cancel refused because the user does not organize the meeting;
# "is_organizer": a reply refused because the user does organize it.
BatchStatus = Literal["done", "refused", "is_organizer", "not_found", "failed", "unknown"]


@dataclass(frozen=True, slots=True)
class BatchItemOutcome:
    """What happened to one event of a bulk write.

    - done: Graph accepted it (2xx), or a look after a lost answer found it done;
    - refused: a cancel of a meeting the user does not organize (Graph's 400);
    - is_organizer: a reply to a meeting the user organizes (Graph's 400);
    - not_found: no such event (already cancelled or deleted elsewhere);
    - failed: Graph refused for another reason, or it stayed throttled; `reason` says why;
      nothing happened to the event, so retrying is safe;
    - unknown: it may or may not have gone through and the check failed too; retry only
      with `check_first=True`.
    """

    ref: EventRef
    status: BatchStatus
    reason: str = ""
    request_id: str | None = None
    http_status: int | None = None
    checked: bool = False
    sends: int = 0


@dataclass
class BulkStats:
    """Figures of one bulk write, for progress displays and the soak test."""

    batches: int = 0
    throttled: int = 0  # items answered 429
    not_run: int = 0  # items answered 424
    checks: int = 0  # state checks after an unknown outcome
    resent: int = 0  # items sent again after a check proved them live


def build_batch(refs: Sequence[EventRef], body: dict[str, str]) -> dict[str, Any]:
    """A batch of cancels chained with dependsOn, so Graph runs them one after another."""
    return build_write_batch(refs, Write("cancel", body))


def build_write_batch(refs: Sequence[EventRef], write: Write) -> dict[str, Any]:
    """A batch of one write to each of `refs`, chained with dependsOn."""
    return chain([write.request(ref) for ref in refs])


class BulkWrite:
    """One write to many events (`write`: a cancel, a reply, a delete); iterate it for
    outcomes as they become known, read `stats` after."""

    def __init__(
        self,
        transport: Transport,
        refs: Iterable[EventRef],
        write: Write,
        *,
        check_first: bool = False,
    ) -> None:
        self._transport = transport
        self.write = write
        self._check_first = check_first
        self.stats = BulkStats()
        unique: dict[tuple[str, str], EventRef] = {}
        for ref in refs:  # the same event twice is sent (and reported) once
            unique.setdefault((ref.mailbox.key, ref.event_id), ref)
        self.refs = list(unique.values())
        self._iterator: AsyncGenerator[BatchItemOutcome, None] | None = None
        self._groups: AsyncGenerator[list[BatchItemOutcome], None] | None = None
        self._put_on_wire: set[tuple[str, str]] = set()
        self._began: dt.datetime | None = None  # the first send: what a look compares with

    def may_have_gone(self, ref: EventRef) -> bool:
        """Whether the write to `ref` was handed to the network at least once (so, with no
        outcome reported, it may have gone through); False: it was certainly never sent."""
        return (ref.mailbox.key, ref.event_id) in self._put_on_wire

    def __aiter__(self) -> AsyncIterator[BatchItemOutcome]:
        if self._iterator is None:
            self._iterator = self._each()
        return self._iterator

    def groups(self) -> AsyncIterator[list[BatchItemOutcome]]:
        """The outcomes as they become known, those known at the same moment (a batch's
        answer) in one list, for a caller that records them together. Iterate either this
        or the bulk write itself, not both."""
        if self._groups is None:
            self._groups = self._run()
        return self._groups

    async def aclose(self) -> None:
        """Stop: batches not yet sent are not sent; ones in flight finish on the server
        (their outcome is then unknown to the caller: check before sending them again)."""
        for iterator in (self._iterator, self._groups):
            if iterator is not None:
                await iterator.aclose()

    async def _each(self) -> AsyncGenerator[BatchItemOutcome, None]:
        async for group in self.groups():
            for outcome in group:
                yield outcome

    async def _run(self) -> AsyncGenerator[list[BatchItemOutcome], None]:
        queue: asyncio.Queue[BatchItemOutcome] = asyncio.Queue()
        by_mailbox: dict[str, list[BatchItem]] = {}
        for ref in self.refs:
            by_mailbox.setdefault(ref.mailbox.key, []).append(BatchItem(ref))
        tasks = [
            asyncio.create_task(self._guarded(key, items, queue.put_nowait))
            for key, items in by_mailbox.items()
        ]
        try:
            left = len(self.refs)
            while left > 0:
                group = [await queue.get()]
                while not queue.empty():
                    group.append(queue.get_nowait())
                left -= len(group)
                yield group
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _guarded(
        self, key: str, items: list[BatchItem], emit: Callable[[BatchItemOutcome], None]
    ) -> None:
        reported: set[str] = set()

        def report(outcome: BatchItemOutcome) -> None:
            reported.add(outcome.ref.event_id)
            emit(outcome)

        try:
            await self._mailbox(key, items, report)
        except Exception as exc:  # a bug must not leave the caller waiting for outcomes
            for item in items:
                if item.ref.event_id not in reported:
                    report(BatchItemOutcome(item.ref, "unknown" if item.sends else "failed",
                                            f"internal error: {exc!r}", sends=item.sends))

    async def _mailbox(
        self, key: str, items: list[BatchItem], report: Callable[[BatchItemOutcome], None]
    ) -> None:
        pending = items
        if self._check_first:
            pending = await self._resolve(pending, "checked before sending", report)
        await in_rounds(self._transport, key, pending, "POST",
                        lambda chunk, slots: self._send_chunk(key, chunk, slots, report))

    def _again(
        self, item: BatchItem, reason: str, report: Callable[[BatchItemOutcome], None]
    ) -> list[BatchItem]:
        """Queue an item that did not take effect for another send, unless the policy says
        it has had its tries."""
        return again(self._transport.policy, item, reason, lambda given, why: report(
            BatchItemOutcome(given.ref, "failed", why, sends=given.sends)))

    async def _send_chunk(
        self,
        key: str,
        chunk: list[BatchItem],
        slots: asyncio.Semaphore,
        report: Callable[[BatchItemOutcome], None],
    ) -> tuple[list[BatchItem], float, WaitReason]:
        """Send one batch; returns the items to send again, how long to wait, and why."""
        policy = self._transport.policy
        async with slots:
            if self._began is None:
                self._began = dt.datetime.now(dt.UTC)
            for item in chunk:
                item.sends += 1
                self._put_on_wire.add((item.ref.mailbox.key, item.ref.event_id))
            self.stats.batches += 1
            payload = build_write_batch([item.ref for item in chunk], self.write)
            try:
                # Throttled as a whole, or never sent: retried in there, by the policy.
                subs, batch_request_id = await post_batch(self._transport, key, payload)
            except RequestOutcomeUnknown as unknown:
                return await self._resolve(chunk, str(unknown), report), 0.0, "network"
            except GraphUnavailable as unavailable:  # never sent, and the retries ran out
                for item in chunk:
                    report(BatchItemOutcome(item.ref, "failed", str(unavailable),
                                            sends=item.sends))
                return [], 0.0, "network"
            except GraphError as error:  # refused unprocessed (429: still, after retries)
                for item in chunk:
                    report(BatchItemOutcome(item.ref, "failed", f"{error.code}: {error.message}",
                                            error.request_id, error.status, sends=item.sends))
                return [], 0.0, "throttled"
            except ValueError:
                return await self._resolve(chunk, "Graph's batch answer was unreadable",
                                           report), 0.0, "network"
        again: list[BatchItem] = []
        unclear: list[BatchItem] = []
        wait = 0.0
        # Whether the request before this one in the chain did not succeed: only then is a
        # 424 ("not run: what it depends on failed") what an honest server sends.
        after_failure = False
        for index, item in enumerate(chunk, 1):
            sub = subs.get(str(index))
            failed_before, after_failure = after_failure, sub is None or not 200 <= sub.status < 300
            if sub is None:
                unclear.append(item)
                continue
            if 200 <= sub.status < 300:
                report(BatchItemOutcome(item.ref, "done", "",
                                        sub.headers.get("request-id") or batch_request_id,
                                        sub.status, sends=item.sends))
            elif sub.status == 424:  # not run because its predecessor failed
                self.stats.not_run += 1
                # Sent again freely when it waited on a failure (the failure used a try);
                # a 424 after a success spends a try, so no server keeps it going forever.
                again.extend([item] if failed_before else self._again(
                    item, "Graph did not run it, though nothing before it failed", report))
            elif sub.status == 429:
                self.stats.throttled += 1
                retry = self._again(item, "throttled", report)
                if retry:
                    wait = max(wait, policy.delay(sub.headers, item.tries))
                again.extend(retry)
            elif not 400 <= sub.status < 500:
                # A server error, or a status no HTTP server sends for a write (3xx, 1xx,
                # -1): it may have run. Only a 4xx is a refusal that certainly did nothing.
                unclear.append(item)
            elif sub.status == 404 and item.unclear and self.write.gone_means_done:
                # Gone now, after a send whose answer was lost: that send went through late
                # (the server finished it after the check). Nothing was done twice.
                report(BatchItemOutcome(item.ref, "done", "an earlier send went through",
                                        checked=True, sends=item.sends))
            else:
                report(self._refusal(item, sub, batch_request_id))
        if unclear:
            reason = "Graph's answer for it was lost or a server error"
            again.extend(await self._resolve(unclear, reason, report))
        return again, wait, "throttled"

    def _refusal(
        self, item: BatchItem, sub: SubResponse, batch_request_id: str | None
    ) -> BatchItemOutcome:
        error = self.write.refusal(sub_error(sub, batch_request_id))
        status: BatchStatus = (
            "refused" if isinstance(error, OrganizerRequired)
            else "is_organizer" if isinstance(error, OrganizerCannotRespond)
            else "not_found" if isinstance(error, NotFound) else "failed"
        )
        return BatchItemOutcome(item.ref, status, f"{error.code}: {error.message}",
                                error.request_id, sub.status, sends=item.sends)

    async def _resolve(
        self, items: list[BatchItem], reason: str, report: Callable[[BatchItemOutcome], None]
    ) -> list[BatchItem]:
        """Look at each event whose outcome is unclear; returns the ones still live."""
        if not items:
            return []
        policy = self._transport.policy
        if any(item.sends for item in items):
            await policy.sleep(policy.settle)
        self.stats.checks += len(items)
        states = await asyncio.gather(*(
            write_state(self._transport, i.ref, self.write, self._began if i.sends else None)
            for i in items))
        live: list[BatchItem] = []
        for item, state in zip(items, states, strict=True):
            if state == "done":
                report(BatchItemOutcome(item.ref, "done", reason if item.sends else
                                        self.write.already, checked=True, sends=item.sends))
            elif state == "live":
                if item.sends:
                    self.stats.resent += 1
                    item.unclear = True
                live.extend(self._again(item, reason, report) if item.sends else [item])
            else:
                report(BatchItemOutcome(item.ref, "unknown", reason, checked=True,
                                        sends=item.sends))
        return live


class BulkCancel(BulkWrite):
    """One bulk cancel; iterate it for outcomes as they become known, read `stats` after."""

    def __init__(self, transport: Transport, refs: Iterable[EventRef], comment: str | None,
                 *, check_first: bool = False) -> None:
        super().__init__(transport, refs, Write.cancel(comment), check_first=check_first)
