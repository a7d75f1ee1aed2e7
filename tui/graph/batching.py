"""The JSON batching machinery (`POST /$batch`) that bulk writes (`tui.graph.batch`) and
many events' look-ups (`tui.graph.lookups`) share: chains of at most 20 requests, rounds of
batches per mailbox, an item's tries, a sub-response's error.

Rules, from Graph's batching and Outlook throttling documentation:
- at most 20 requests per batch, relative URLs, `headers` with Content-Type when a body is
  present; responses are matched by `id` because their order may differ;
- Outlook runs up to 4 requests at once per mailbox, and a batch's independent requests run
  in parallel, so each batch is a `dependsOn` chain (one request at a time) and at most 4
  batches per mailbox are in flight.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.graph import jsonpages
from tui.graph.errors import GraphError, error_from_response
from tui.graph.policy import RetryPolicy, WaitNotice, WaitReason
from tui.graph.transport import Transport
from tui.graph.urls import BATCH_PATH, EventRef

__all__ = [
    "MAX_BATCHES_IN_FLIGHT", "MAX_REQUESTS", "BatchItem", "Round", "SubResponse", "again",
    "chain", "in_rounds", "parse_batch", "post_batch", "sub_error",
]

MAX_REQUESTS = 20
MAX_BATCHES_IN_FLIGHT = 4


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
