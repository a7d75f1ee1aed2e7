"""Bulk cancel through Graph JSON batching (`POST /$batch`), and the batching machinery
that many events' look-ups (`tui.graph.lookups`) share with it: chains of at most 20
requests, rounds of batches per mailbox, an item's tries, a sub-response's error.

Rules, from Graph's batching and Outlook throttling documentation:
- at most 20 requests per batch, relative URLs, `headers` with Content-Type since a body is
  present; responses are matched by `id` because their order may differ;
- Outlook runs up to 4 requests at once per mailbox, and a batch's independent requests run
  in parallel, so each batch is a `dependsOn` chain (one request at a time) and at most 4
  batches per mailbox are in flight;
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
import json
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Sequence,
)
from dataclasses import dataclass, field
from typing import Any, Literal

from tui.graph import jsonpages
from tui.graph.cancel import cancel_body, cancel_state
from tui.graph.errors import (
    GraphError,
    GraphUnavailable,
    NotFound,
    OrganizerRequired,
    RequestOutcomeUnknown,
    error_from_response,
)
from tui.graph.policy import RetryPolicy, WaitNotice, WaitReason
from tui.graph.transport import Transport
from tui.graph.urls import BATCH_PATH, EventRef

__all__ = [
    "MAX_BATCHES_IN_FLIGHT", "MAX_REQUESTS", "BatchItem", "BatchItemOutcome", "BatchStatus",
    "BulkCancel", "BulkStats", "SubResponse", "again", "build_batch", "cancel_body", "chain",
    "in_rounds", "parse_batch", "post_batch", "sub_error",
]

MAX_REQUESTS = 20
MAX_BATCHES_IN_FLIGHT = 4

BatchStatus = Literal["cancelled", "refused", "not_found", "failed", "unknown"]


@dataclass(frozen=True, slots=True)
class BatchItemOutcome:
    """What happened to one event of a bulk cancel.

    - cancelled: Graph accepted it (202), or a check after a lost answer found it gone;
    - refused: the user is not the organizer (Graph's 400);
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
    """Figures of one bulk cancel, for progress displays and the soak test."""

    batches: int = 0
    throttled: int = 0  # items answered 429
    not_run: int = 0  # items answered 424
    checks: int = 0  # state checks after an unknown outcome
    resent: int = 0  # items sent again after a check proved them live


@dataclass
class BatchItem:
    """One request of a bulk operation, across its sends."""

    ref: EventRef
    sends: int = 0
    tries: int = 0
    reason: str = ""
    unclear: bool = False  # an earlier send may have gone through (a check found it live)


@dataclass
class SubResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: Any = None


def chain(requests: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A batch of `requests` (each a method, a relative url and maybe headers and a body)
    chained with dependsOn, so Graph runs them one after another; ids "1", "2", … in order."""
    if not 0 < len(requests) <= MAX_REQUESTS:
        raise ValueError(f"a batch holds 1 to {MAX_REQUESTS} requests")
    chained: list[dict[str, Any]] = []
    for index, request in enumerate(requests, 1):
        item = {"id": str(index), **request}
        if index > 1:
            item["dependsOn"] = [str(index - 1)]
        chained.append(item)
    return {"requests": chained}


def build_batch(refs: Sequence[EventRef], body: dict[str, str]) -> dict[str, Any]:
    """A batch of cancels chained with dependsOn, so Graph runs them one after another."""
    return chain([{"method": "POST", "url": ref.cancel_path,
                   "headers": {"Content-Type": "application/json"}, "body": body}
                  for ref in refs])


def parse_batch(payload: Any) -> dict[str, SubResponse]:
    """The sub-responses by id; ValueError if the answer is not a batch response."""
    if not isinstance(payload, dict) or not isinstance(payload.get("responses"), list):
        raise ValueError("not a batch response")
    out: dict[str, SubResponse] = {}
    # An id answered twice says two things about one request: which one is true is not
    # known, so it counts as unanswered (checked before anything is sent again).
    doubled: set[str] = set()
    for entry in payload["responses"]:
        if not isinstance(entry, dict):
            continue
        ident, status = entry.get("id"), entry.get("status")
        if not isinstance(ident, str) or not isinstance(status, int) or isinstance(status, bool):
            continue
        raw_headers = entry.get("headers")
        headers = (
            {str(k).lower(): str(v) for k, v in raw_headers.items()}
            if isinstance(raw_headers, dict) else {}
        )
        if ident in out:
            doubled.add(ident)
        out[ident] = SubResponse(status, headers, entry.get("body"))
    for ident in doubled:
        del out[ident]
    return out


async def post_batch(
    transport: Transport, key: str, payload: dict[str, Any], *, reads: bool = False
) -> tuple[dict[str, SubResponse], str | None]:
    """Send one batch for mailbox `key` under the transport's policy (throttled as a whole,
    or never sent: retried in there) and its sub-responses by id, with the batch's
    request-id. `reads`: every request in it is a GET, so it is retried as a read is.
    Raises what `Transport.send` raises, and ValueError for an answer that is no batch."""
    policy = transport.policy
    response = await transport.send(
        "POST", BATCH_PATH, json_body=payload, mailbox=key, reads=reads,
        read_timeout=policy.read_timeout * policy.batch_timeout_factor,
        deadline=policy.deadline * policy.batch_timeout_factor,
    )
    return parse_batch(jsonpages.decode(response.content)), response.headers.get("request-id")


def sub_error(sub: SubResponse, batch_request_id: str | None) -> GraphError:
    """The error one sub-response says, typed as a direct answer's would be; its request-id
    is the sub-request's own when the envelope names one, else the batch's."""
    try:
        body = json.dumps(sub.body).encode() if sub.body is not None else b""
    except (ValueError, RecursionError):  # nested too deep to write out: no envelope
        body = b""
    headers = dict(sub.headers)
    if batch_request_id and "request-id" not in headers:
        headers["request-id"] = batch_request_id
    error = error_from_response(sub.status, body, headers)
    # The envelope's own request-id names the sub-request; prefer it.
    if isinstance(sub.body, dict):
        inner = sub.body.get("error", {})
        inner = inner.get("innerError") if isinstance(inner, dict) else None
        if isinstance(inner, dict) and isinstance(inner.get("request-id"), str):
            error.request_id = inner["request-id"]
    return error


Round = tuple[list["BatchItem"], float, WaitReason]


async def in_rounds(
    transport: Transport, key: str, pending: list[BatchItem], method: str,
    send_chunk: Callable[[list[BatchItem], asyncio.Semaphore], Awaitable[Round]],
) -> None:
    """Send `pending` for mailbox `key` in batches of at most MAX_REQUESTS, at most
    MAX_BATCHES_IN_FLIGHT at once, round after round: `send_chunk` sends one batch and
    returns the items to send again, how long to wait first and why."""
    slots = asyncio.Semaphore(MAX_BATCHES_IN_FLIGHT)
    while pending:
        chunks = [pending[i:i + MAX_REQUESTS] for i in range(0, len(pending), MAX_REQUESTS)]
        rounds = await asyncio.gather(*(send_chunk(chunk, slots) for chunk in chunks))
        pending = [item for again, _, _ in rounds for item in again]
        wait, why = max(((s, r) for _, s, r in rounds), default=(0.0, "throttled"))
        if pending and wait > 0:
            attempt = max(item.tries for item in pending) or 1
            await transport.wait(WaitNotice(
                key, why, wait, attempt, 429 if why == "throttled" else None, method))


def again(policy: RetryPolicy, item: BatchItem, reason: str,
          give_up: Callable[[BatchItem, str], None]) -> list[BatchItem]:
    """An item that did not take effect, to send once more, unless the policy says it has
    had its tries (then `give_up` is told why, and nothing is returned)."""
    item.tries += 1
    item.reason = reason
    if not policy.another_try(item.tries):
        give_up(item, f"gave up after {item.tries} tries: {reason}")
        return []
    return [item]


class BulkCancel:
    """One bulk cancel; iterate it for outcomes as they become known, read `stats` after."""

    def __init__(
        self,
        transport: Transport,
        refs: Iterable[EventRef],
        comment: str | None,
        *,
        check_first: bool = False,
    ) -> None:
        self._transport = transport
        self._body = cancel_body(comment)
        self._check_first = check_first
        self.stats = BulkStats()
        unique: dict[tuple[str, str], EventRef] = {}
        for ref in refs:  # the same event twice is sent (and reported) once
            unique.setdefault((ref.mailbox.key, ref.event_id), ref)
        self.refs = list(unique.values())
        self._iterator: AsyncGenerator[BatchItemOutcome, None] | None = None
        self._groups: AsyncGenerator[list[BatchItemOutcome], None] | None = None
        self._put_on_wire: set[tuple[str, str]] = set()

    def may_have_gone(self, ref: EventRef) -> bool:
        """Whether a cancel of `ref` was handed to the network at least once (so, with no
        outcome reported, it may have gone through); False: it was certainly never sent."""
        return (ref.mailbox.key, ref.event_id) in self._put_on_wire

    def __aiter__(self) -> AsyncIterator[BatchItemOutcome]:
        if self._iterator is None:
            self._iterator = self._each()
        return self._iterator

    def groups(self) -> AsyncIterator[list[BatchItemOutcome]]:
        """The outcomes as they become known, those known at the same moment (a batch's
        answer) in one list, for a caller that records them together. Iterate either this
        or the bulk cancel itself, not both."""
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
            for item in chunk:
                item.sends += 1
                self._put_on_wire.add((item.ref.mailbox.key, item.ref.event_id))
            self.stats.batches += 1
            payload = build_batch([item.ref for item in chunk], self._body)
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
                report(BatchItemOutcome(item.ref, "cancelled", "",
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
                # A server error, or a status no HTTP server sends for a cancel (3xx, 1xx,
                # -1): it may have run. Only a 4xx is a refusal that certainly did nothing.
                unclear.append(item)
            elif sub.status == 404 and item.unclear:
                # Gone now, after a send whose answer was lost: that send went through late
                # (the server finished it after the check). Nothing was cancelled twice.
                report(BatchItemOutcome(item.ref, "cancelled", "an earlier send went through",
                                        checked=True, sends=item.sends))
            else:
                report(self._refusal(item, sub, batch_request_id))
        if unclear:
            reason = "Graph's answer for it was lost or a server error"
            again.extend(await self._resolve(unclear, reason, report))
        return again, wait, "throttled"

    @staticmethod
    def _refusal(
        item: BatchItem, sub: SubResponse, batch_request_id: str | None
    ) -> BatchItemOutcome:
        error = sub_error(sub, batch_request_id)
        status: BatchStatus = (
            "refused" if isinstance(error, OrganizerRequired)
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
        states = await asyncio.gather(*(cancel_state(self._transport, i.ref) for i in items))
        live: list[BatchItem] = []
        for item, state in zip(items, states, strict=True):
            if state == "cancelled":
                report(BatchItemOutcome(item.ref, "cancelled", reason if item.sends else
                                        "already cancelled", checked=True, sends=item.sends))
            elif state == "live":
                if item.sends:
                    self.stats.resent += 1
                    item.unclear = True
                live.extend(self._again(item, reason, report) if item.sends else [item])
            else:
                report(BatchItemOutcome(item.ref, "unknown", reason, checked=True,
                                        sends=item.sends))
        return live
