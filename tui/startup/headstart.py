"""A head start for the first screen: its first page of events is asked for while the UI is
still being imported and built.

Importing and starting Textual keeps the interpreter busy for a few hundred milliseconds; a
request to Graph mostly waits on the network. Sent from a forked child process (a thread where
forking is not safe: `tui.startup.forking.ForkedCall`) before the UI is imported, the
request's round trip overlaps that work, and the page is there by the time the screen first
paints. The child hands the page's JSON back through a pipe; the app's own client makes the
events of it. Only with a token at hand (the demo's, or CAL365_ACCESS_TOKEN): a sign-in that
needs the user goes through the UI, in order, as before.

No Textual in here: this runs before Textual is imported. Nor the HTTP client (httpx, TLS):
the forked child imports it for its request, beside the parent's import of Textual, and the
first page's events are made from its JSON without it (`take`); the app's client, and with
it httpx, is made when the pages after the first are asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import threading
from collections.abc import AsyncIterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from tui.graph import jsonpages
from tui.graph.errors import GraphError
from tui.graph.timezones import zone
from tui.graph.urls import CalendarRef
from tui.startup.forking import ForkedCall, can_fork

if TYPE_CHECKING:
    from tui.graph.client import GraphClient
    from tui.graph.models import Event

# Seconds the early request may take; a slower one (retries, a network that hangs) is given
# up and the page is asked for again through the app's client, which says why it waits.
LIMIT = 15.0


class HeadStartFailed(Exception):
    """The early request gave no page (an error, or the child ended): ask the usual way."""


class HeadStart:
    """The first page of `calendar` in [start, end), fetched from now on."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timezone: str,
        calendar: CalendarRef,
        start: dt.datetime,
        end: dt.datetime,
        page_size: int = 1000,
    ) -> None:
        self._key = (calendar, start, end)
        self._tz = zone(timezone) or dt.UTC  # as the app's client reads times
        self._used = False
        self._result: Future[dict[str, Any]] = Future()
        # Running from now on: a listing given up (the user moved on) cannot cancel it midway.
        self._result.set_running_or_notify_cancel()

        async def fetch() -> dict[str, Any]:
            from tui.graph.client import GraphClient  # in the child, not before Textual

            async with GraphClient(base_url, token, timezone=timezone,
                                   page_size=page_size) as client:
                return await client.page_json(client.calendar_view_url(calendar, start, end))

        def page() -> bytes:
            box: list[dict[str, Any]] = []

            def run() -> None:
                with contextlib.suppress(Exception):  # no page: asked the usual way
                    box.append(asyncio.run(fetch()))

            # In a thread of its own: the forking thread may be inside a running loop.
            runner = threading.Thread(target=run)
            runner.start()
            runner.join()
            if not box:
                raise HeadStartFailed()
            return json.dumps(box[0], separators=(",", ":")).encode()

        if not can_fork():  # a thread then: it must not import beside Textual's import
            import tui.graph.client  # noqa: F401
        # Past LIMIT the app asks the usual way, with its waits in the status bar.
        call = ForkedCall(page, limit=LIMIT, name="cal365-head-start")
        threading.Thread(target=self._collect, args=(call,), name="cal365-head-start",
                         daemon=True).start()

    def _collect(self, call: ForkedCall) -> None:
        try:
            data = call.result(LIMIT)  # the lock is free while this waits
            if not data:
                raise HeadStartFailed()
            payload = jsonpages.decode(data)  # as any body: the child relays Graph's page
            if not isinstance(payload, dict):
                raise HeadStartFailed()
            self._result.set_result(payload)
        except BaseException as error:  # handed over to pages(), which asks again
            self._result.set_exception(error)

    def take(
        self, client: GraphClient, calendar: CalendarRef, start: dt.datetime, end: dt.datetime
    ) -> tuple[list[Event], AsyncIterator[list[Event]] | None] | None:
        """The first page's events now, and the pages after it (None: no more), when the
        early request has answered for this window; None otherwise (see `pages`)."""
        if (self._used or self._key != (calendar, start, end) or not self._result.done()
                or self._result.exception() is not None):
            return None
        from tui.graph.paging import page_parts
        from tui.graph.wire import events_of

        self._used = True
        try:  # as `client.events_now` reads it, without making the client (and httpx) yet
            items, link = page_parts(self._result.result())
            events = events_of(items, calendar, self._tz)
        except GraphError:  # a page of the wrong shape: asked again the usual way, which
            return None     # says what went wrong in the status bar if it happens again
        return events, _later_pages(client, calendar, link) if link is not None else None

    def pages(
        self, client: GraphClient, calendar: CalendarRef, start: dt.datetime, end: dt.datetime
    ) -> AsyncIterator[list[Event]] | None:
        """The window's pages through `client`, the first one from the head start; None
        unless this is the window it was started for (it serves one listing only)."""
        if self._used or self._key != (calendar, start, end):
            return None
        self._used = True
        return self._pages(client)

    async def _pages(self, client: GraphClient) -> AsyncIterator[list[Event]]:
        calendar, start, end = self._key
        try:
            payload = await asyncio.wrap_future(self._result)
        except Exception:
            # Asked again the ordinary way: its retries, its sign-in and its message in the
            # status bar are then the usual ones.
            async for page in client.calendar_view(calendar, start, end):
                yield page
            return
        try:
            events, link = await client.events_in(payload, calendar)
        except GraphError:  # a page of the wrong shape: asked again, as in `take`
            async for page in client.calendar_view(calendar, start, end):
                yield page
            return
        yield events
        if link is not None:
            async for page in client.event_pages(calendar, link):
                yield page


async def _later_pages(client: GraphClient, calendar: CalendarRef, link: str
                       ) -> AsyncIterator[list[Event]]:
    """`client.event_pages` from `link`, the client touched only when they are asked for."""
    async for page in client.event_pages(calendar, link):
        yield page
