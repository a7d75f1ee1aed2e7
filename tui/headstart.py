"""A head start for the first screen: its first page of events is asked for while the UI is
still being imported and built.

Importing and starting Textual keeps the interpreter busy for a few hundred milliseconds; a
request to Graph mostly waits on the network. Sent from a thread before the UI is imported, the
request's round trip overlaps that work, and the events are usually there by the time the
screen first paints. Only with a token at hand (the demo's, or CAL365_ACCESS_TOKEN): a sign-in
that needs the user goes through the UI, in order, as before.

No Textual in here: this runs before Textual is imported.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import AsyncIterator
from concurrent.futures import Future

from tui.graph import CalendarRef, Event, GraphClient

_Page = tuple[list[Event], str | None]


class HeadStart:
    """The first page of `calendar` in [start, end), fetched in a thread from now on."""

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
        self._page_size = page_size
        self._used = False
        self._result: Future[_Page] = Future()
        # Running from now on: a listing given up (the user moved on) cannot cancel it midway.
        self._result.set_running_or_notify_cancel()
        threading.Thread(
            target=self._run, args=(base_url, token, timezone), name="cal365-head-start",
            daemon=True,
        ).start()

    def _run(self, base_url: str, token: str, timezone: str) -> None:
        calendar, start, end = self._key

        async def fetch() -> _Page:
            async with GraphClient(
                base_url, token, timezone=timezone, page_size=self._page_size
            ) as client:
                return await client.event_page(
                    calendar, client.calendar_view_url(calendar, start, end)
                )

        try:
            self._result.set_result(asyncio.run(fetch()))
        except BaseException as error:  # handed over to pages(), which asks again
            self._result.set_exception(error)

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
            events, link = await asyncio.wrap_future(self._result)
        except Exception:
            # Asked again the ordinary way: its retries, its sign-in and its message in the
            # status bar are then the usual ones.
            async for page in client.calendar_view(calendar, start, end):
                yield page
            return
        yield events
        if link is not None:
            async for page in client.event_pages(calendar, link):
                yield page
