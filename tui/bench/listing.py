"""Scenario 4: listing N pages at latency L against the floor 1.5 x N x L + parse time alone."""

from __future__ import annotations

import datetime as dt
import json
import time

import httpx

from tui.bench.procs import Server
from tui.graph import ME, CalendarRef, Event, GraphClient


def window(server: Server, days: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(server.today, dt.time(), dt.UTC)
    return start, start + dt.timedelta(days=days)


async def list_all(server: Server, days: int) -> tuple[float, int, int]:
    """(seconds, events, pages) for the whole window through cal365's Graph layer."""
    start, end = window(server, days)
    async with GraphClient(server.base_url, server.token, timezone="UTC") as client:
        began = time.perf_counter()
        count = pages = 0
        async for page in client.calendar_view(CalendarRef(ME), start, end):
            count += len(page)
            pages += 1
        return time.perf_counter() - began, count, pages


async def warm(server: Server, days: int) -> None:
    """One page through the same URL the app asks, so the fake computes the window first."""
    start, end = window(server, days)
    async with GraphClient(server.base_url, server.token, timezone="UTC") as client:
        async for _page in client.calendar_view(CalendarRef(ME), start, end):
            break


async def raw_pages(server: Server, days: int) -> list[bytes]:
    """The response bodies of the listing, fetched by hand, for timing the parse alone."""
    start, end = window(server, days)
    bodies: list[bytes] = []
    async with GraphClient(server.base_url, server.token, timezone="UTC") as client:

        async def record(response: httpx.Response) -> None:
            bodies.append(await response.aread())

        client.transport.http.event_hooks["response"].append(record)
        async for _page in client.calendar_view(CalendarRef(ME), start, end):
            pass
    return bodies


def parse_alone(bodies: list[bytes]) -> float:
    """Seconds to decode and model every page, as the client does, without any I/O."""
    calendar = CalendarRef(ME)
    began = time.perf_counter()
    for body in bodies:
        payload = json.loads(body)
        [Event.from_json(obj, ME, calendar, dt.UTC) for obj in payload["value"]]
    return time.perf_counter() - began
