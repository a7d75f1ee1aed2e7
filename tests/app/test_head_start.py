"""The first window's first page, asked for before the UI starts, and what follows it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import threading

import pytest

from tests.app.helpers import ZONE, loaded
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.fake.faults import Fault
from tui.graph import ME, CalendarRef, GraphClient
from tui.graph.timezones import zone
from tui.startup.headstart import HeadStart
from tui.window import Window

DAYS = 14


def _bounds() -> tuple[dt.datetime, dt.datetime]:
    tz = zone(ZONE)
    assert tz is not None
    return Window("agenda", DEMO_TODAY, agenda_days=DAYS).bounds(tz)


def _head_start(fake: FakeGraph, token: str, page_size: int = 1000) -> HeadStart:
    start, end = _bounds()
    return HeadStart(fake.base_url, token, timezone=ZONE, calendar=CalendarRef(ME),
                     start=start, end=end, page_size=page_size)


async def _listed_ids(fake: FakeGraph) -> list[str]:
    start, end = _bounds()
    async with GraphClient(fake.base_url, fake.token, timezone=ZONE) as client:
        return [e.id async for page in client.calendar_view(CalendarRef(ME), start, end)
                for e in page]


def _views(fake: FakeGraph) -> list[str]:
    return [r.raw_path for r in fake.requests if r.path.endswith("/calendarView")]


def _app(fake: FakeGraph, head: HeadStart, page_size: int = 1000) -> Cal365App:
    client = GraphClient(fake.base_url, fake.token, timezone=ZONE, page_size=page_size)
    return Cal365App(client, today=DEMO_TODAY, timezone=ZONE, days=DAYS, head_start=head)


async def test_the_page_asked_for_ahead_is_shown_without_asking_again(
    fake_graph: FakeGraph,
) -> None:
    expected = await _listed_ids(fake_graph)
    fake_graph.clear_requests()
    async with _app(fake_graph, _head_start(fake_graph, fake_graph.token)).run_test(
        size=(120, 40)
    ) as pilot:
        app = await loaded(pilot)
        assert [e.id for e in app.main.table.all_events] == expected
        assert len(_views(fake_graph)) == 1


async def test_the_pages_after_it_follow_its_next_link(fake_graph: FakeGraph) -> None:
    add_meetings(fake_graph.store, 45, day=DEMO_TODAY + dt.timedelta(days=1))
    expected = await _listed_ids(fake_graph)
    assert len(expected) > 30
    fake_graph.clear_requests()
    head = _head_start(fake_graph, fake_graph.token, page_size=10)
    async with _app(fake_graph, head, page_size=10).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert [e.id for e in app.main.table.all_events] == expected
        views = _views(fake_graph)
        assert len(views) == -(-len(expected) // 10)  # each page once, the first included
        assert sum("skip" not in path.lower() for path in views) == 1, views[:2]


async def test_a_failed_head_start_is_asked_again_the_ordinary_way(
    fake_graph: FakeGraph,
) -> None:
    expected = await _listed_ids(fake_graph)
    head = _head_start(fake_graph, "not-the-token")  # refused with 401
    async with _app(fake_graph, head).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert [e.id for e in app.main.table.all_events] == expected
        assert app.main.status.kind == "info"


async def test_it_serves_only_the_window_it_was_started_for(fake_graph: FakeGraph) -> None:
    head = _head_start(fake_graph, fake_graph.token)
    start, end = _bounds()
    async with GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE) as client:
        assert head.pages(client, CalendarRef(ME), start, end + dt.timedelta(days=1)) is None
        assert head.pages(client, CalendarRef(ME, "other-calendar"), start, end) is None
        pages = head.pages(client, CalendarRef(ME), start, end)
        assert pages is not None
        assert [e.id async for page in pages for e in page] == await _listed_ids(fake_graph)
        assert head.pages(client, CalendarRef(ME), start, end) is None  # used once


async def test_a_listing_given_up_lets_the_head_start_finish_quietly(
    fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[object] = []
    monkeypatch.setattr(threading, "excepthook", errors.append)
    # The head start's one request answers after a second: long enough to give up on it.
    fake_graph.faults.add(Fault("latency", method="GET", path="/calendarView", times=1,
                                seconds=1.0))
    head = _head_start(fake_graph, fake_graph.token)
    start, end = _bounds()
    async with GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE) as client:
        pages = head.pages(client, CalendarRef(ME), start, end)
        assert pages is not None
        waiting = asyncio.ensure_future(anext(pages))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        waiting.cancel()  # the user moved to another window meanwhile
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
    events, _link = await asyncio.to_thread(head._result.result, 10)
    assert events and not errors


async def test_a_page_already_there_is_taken_at_once_and_only_once(
    fake_graph: FakeGraph,
) -> None:
    add_meetings(fake_graph.store, 45, day=DEMO_TODAY + dt.timedelta(days=1))
    expected = await _listed_ids(fake_graph)
    head = _head_start(fake_graph, fake_graph.token, page_size=10)
    start, end = _bounds()
    async with GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE,
                           page_size=10) as client:
        other = start + dt.timedelta(days=1)
        await asyncio.wrap_future(head._result)
        assert head.take(client, CalendarRef(ME), other, end) is None  # another window
        taken = head.take(client, CalendarRef(ME), start, end)
        assert taken is not None
        first, rest = taken
        assert [e.id for e in first] == expected[:10]
        assert rest is not None
        after = [e.id async for page in rest for e in page]
        assert [e.id for e in first] + after == expected
        assert head.take(client, CalendarRef(ME), start, end) is None  # served once
        assert head.pages(client, CalendarRef(ME), start, end) is None
