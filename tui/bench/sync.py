"""Scenario 7: an incremental calendarView/delta round against a full listing of the window.

A window of `events` bulk events (plus the demo's own) is listed once the way the events
view lists it (calendarView with `$select`, every page), synced once with a full delta
round, then `changes` events are added, changed or removed in the fake and the stored
deltaLink is sent again. Requests and response-body bytes are counted at the transport,
retries included, so the figures are what crossed the wire.

`python -m tui.bench.sync [--events N] [--changes N]` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
from dataclasses import asdict, dataclass

import httpx

from tui.bench.fakegraph import BenchGraph
from tui.fake import FakeGraph
from tui.graph import ME, CalendarRef, GraphClient

TODAY = dt.date(2026, 11, 23)


class CountingTransport(httpx.AsyncBaseTransport):
    """httpx's own transport, counting requests and the bytes of the response bodies."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.requests = 0
        self.bytes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        response = await self._inner.handle_async_request(request)
        body = await response.aread()
        self.bytes += len(body)
        return httpx.Response(response.status_code, headers=response.headers, content=body,
                              extensions=response.extensions)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def reset(self) -> tuple[int, int]:
        """(requests, bytes) since the last reset."""
        counted = (self.requests, self.bytes)
        self.requests = self.bytes = 0
        return counted


@dataclass(frozen=True)
class SyncFigures:
    window_events: int
    changes: int
    listing_requests: int
    listing_bytes: int
    full_round_requests: int
    full_round_bytes: int
    incremental_requests: int
    incremental_bytes: int
    incremental_seconds: float
    upserts: int
    removed: int

    @property
    def bytes_ratio(self) -> float:
        """Incremental round bytes as a share of the full listing's."""
        return self.incremental_bytes / self.listing_bytes


def _change(fake: FakeGraph, ids: list[str], changes: int, start: dt.datetime) -> None:
    """`changes` edits made elsewhere: about a third each added, renamed and deleted."""
    removed = changes // 3
    renamed = (changes - removed) // 2
    added = changes - removed - renamed
    for n in range(added):
        fake.add_event(f"Added elsewhere {n}", start + dt.timedelta(days=n, hours=18),
                       start + dt.timedelta(days=n, hours=19))
    for event_id in ids[:renamed]:
        fake.change_event(event_id, subject="Renamed elsewhere")
    for event_id in ids[renamed: renamed + removed]:
        fake.remove_event(event_id)


async def measure(events: int = 10_000, changes: int = 10, days: int = 30) -> SyncFigures:
    """Figures for one run against a fresh in-process fake Graph."""
    start = dt.datetime.combine(TODAY, dt.time(), dt.UTC)
    end = start + dt.timedelta(days=days)
    # The bench fake serves the listing's pages from one computed window; delta is its own.
    with BenchGraph(TODAY, events=events, days=days) as fake:
        counter = CountingTransport()
        async with GraphClient(fake.base_url, fake.token, timezone="UTC",
                               transport=counter) as client:
            listed = 0
            async for page in client.calendar_view(CalendarRef(ME), start, end):
                listed += len(page)
            listing = counter.reset()
            first = await client.calendar_view_delta(ME, start, end)
            full_round = counter.reset()
            if len(first.upserts) != listed:
                raise RuntimeError(f"delta listed {len(first.upserts)} events, calendarView "
                                   f"{listed}")
            singles = [e.id for e in first.upserts if e.type == "singleInstance"]
            _change(fake, singles[len(singles) // 2:], changes, start)
            began = time.perf_counter()
            second = await client.calendar_view_delta(ME, start, end, first.delta_link)
            seconds = time.perf_counter() - began
            incremental = counter.reset()
    if len(second.upserts) + len(second.removed) != changes or second.full:
        raise RuntimeError(f"the incremental round brought {len(second.upserts)} upserts and "
                           f"{len(second.removed)} removals for {changes} changes")
    return SyncFigures(listed, changes, *listing, *full_round, *incremental, seconds,
                       len(second.upserts), len(second.removed))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench.sync", description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args(argv)
    figures = asyncio.run(measure(args.events, args.changes))
    print(json.dumps({**asdict(figures), "bytes_ratio": figures.bytes_ratio}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
