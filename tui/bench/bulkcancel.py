"""Scenario 5: cancelling 100 meetings at 50 ms latency, through `$batch` and one by one.

The batch path needs the Graph client's batch method; until it exists the scenario says so.
"""

from __future__ import annotations

import datetime as dt
import inspect
import time
from collections.abc import Callable
from typing import Any

from tui.bench.procs import Server
from tui.graph import ME, CalendarRef, Event, GraphClient

COUNT = 100
_NAMES = ("cancel_events", "cancel_many", "batch_cancel", "cancel_batch")


class UnknownSignature(Exception):
    """The client has a batch method, but not one this scenario knows how to call."""


def batch_method(client: GraphClient) -> Callable[..., Any] | None:
    """The client's bulk-cancel method, under any of the names it may carry."""
    names = [*_NAMES, *(n for n in dir(client) if "batch" in n.lower() and n[0] != "_")]
    for name in names:
        method: object = getattr(client, name, None)
        if callable(method):
            return method
    return None


def available() -> bool:
    return batch_method(GraphClient("http://127.0.0.1:1/v1.0", "x")) is not None


async def organized(client: GraphClient, server: Server, count: int) -> list[Event]:
    start = dt.datetime.combine(server.today, dt.time(), dt.UTC)
    found: list[Event] = []
    async for page in client.calendar_view(CalendarRef(ME), start,
                                           start + dt.timedelta(days=365)):
        found.extend(e for e in page if e.is_organizer and not e.is_cancelled
                     and not e.is_recurring)
        if len(found) >= count:
            break
    return found[:count]


async def one_by_one(server: Server) -> tuple[float, int]:
    """(seconds, requests) to cancel COUNT meetings with one request each, in order."""
    async with GraphClient(server.base_url, server.token, timezone="UTC") as client:
        events = await organized(client, server, COUNT)
        sent = _count_requests(client)
        began = time.perf_counter()
        for event in events:
            await client.cancel_event(event.ref, "Bench: cancelled")
        return time.perf_counter() - began, sent[0]


def _count_requests(client: GraphClient) -> list[int]:
    """A one-cell counter of the HTTP requests the client sends from now on."""
    sent = [0]

    async def hook(request: Any) -> None:
        sent[0] += 1

    client.transport.http.event_hooks["request"].append(hook)
    return sent


async def batched(server: Server) -> tuple[float, int]:
    """(seconds, HTTP requests) to cancel COUNT meetings through the client's batch method."""
    async with GraphClient(server.base_url, server.token, timezone="UTC") as client:
        method = batch_method(client)
        if method is None:
            raise RuntimeError("the Graph client has no batch method yet")
        events = await organized(client, server, COUNT)
        sent = _count_requests(client)
        began = time.perf_counter()
        try:
            outcome = method([e.ref for e in events], "Bench: cancelled")
        except TypeError as error:
            raise UnknownSignature(
                f"the client's batch method does not take (refs, comment) ({error}): "
                "adapt tui/bench/bulkcancel.py"
            ) from error
        if inspect.isawaitable(outcome):
            await outcome
        elif hasattr(outcome, "__aiter__"):
            async for _item in outcome:
                pass
        return time.perf_counter() - began, sent[0]
