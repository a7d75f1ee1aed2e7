"""Listing and reading events: calendar views (long windows in parts), a calendar's events,
one event; and turning pages of JSON into `Event`s, big pages in a worker thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from tui.graph import paging, threads, urls
from tui.graph.models import EVENT_SELECT, Event
from tui.graph.paging import Body, page_parts
from tui.graph.transport import THREAD_PARSE_BYTES, Transport
from tui.graph.urls import CalendarRef, EventRef
from tui.graph.wire import Item, events_of, page_items

# Graph allows windows of at most 1825 days in calendarView.
MAX_WINDOW = dt.timedelta(days=1825)
# Above this many items a page is parsed in a worker thread, off the UI's event loop.
THREAD_PARSE_ITEMS = 200
# Events parsed ahead of the rest of a listing's first page: more than a tall terminal shows.
_FIRST_ROWS = 60


def check_window(
    start: dt.datetime, end: dt.datetime, *, longest: dt.timedelta | None = MAX_WINDOW
) -> None:
    """ValueError for a calendar view window Graph would refuse; `longest=None` leaves the
    length to the caller (one that asks for a long window in parts)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("calendar window bounds must carry a time zone")
    if end <= start:
        raise ValueError("the window must end after it starts")
    if longest is not None and end - start > longest:
        raise ValueError("Graph shows at most 1825 days at once")


async def parse_events(
    page: Sequence[Item], calendar: CalendarRef, tz: dt.tzinfo
) -> list[Event]:
    """A page's events; a big page is parsed in a worker thread, off the UI's loop."""
    if len(page) > THREAD_PARSE_ITEMS:
        return await threads.in_thread(events_of, page, calendar, tz, True)
    return events_of(page, calendar, tz)


def item_pages(
    transport: Transport, url: str, *, prefer: str | None = None,
    on_attempt: Callable[[], None] | None = None,
) -> AsyncGenerator[paging.Page[Item], None]:
    """The pages of an event listing (see `Transport.pages`), their items decoded strictly
    where they can be (`wire.page_items`); a big page in a worker thread, off the caller's
    event loop. Close it (`aclose`) when stopping early."""

    def fetch(link: str) -> Awaitable[Body]:
        return transport.get_body(link, prefer=prefer, on_attempt=on_attempt)

    async def decode(body: Body) -> paging.Decoded[Item]:
        if len(body.content) > THREAD_PARSE_BYTES:
            return await threads.in_thread(page_items, body, True)
        return page_items(body)

    return paging.follow(url, fetch, decode, transport.policy.max_pages)


class Events:
    """The event listings and reads, through `transport`, as seen in time zone `tz`."""

    def __init__(self, transport: Transport, tz: dt.tzinfo, page_size: int) -> None:
        self.transport = transport
        self.tz = tz
        self.page_size = page_size

    async def calendar_view(
        self, calendar: CalendarRef, start: dt.datetime, end: dt.datetime
    ) -> AsyncIterator[list[Event]]:
        """The events overlapping [start, end), occurrences expanded, one list per page.

        Graph refuses windows longer than 1825 days, measured between the two instants (a
        "1825-day" window of local days that crosses a daylight-saving change is an hour
        longer). A longer window is asked for in consecutive parts; an event that overlaps
        a boundary between parts comes back once.
        """
        check_window(start, end, longest=None)
        start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
        seen: set[str] | None = set() if end - start > MAX_WINDOW else None
        part_start = start
        while part_start < end:
            part_end = min(part_start + MAX_WINDOW, end)
            url = self.calendar_view_url(calendar, part_start, part_end)
            async for page in self.event_pages(calendar, url):
                if seen is not None:
                    page = [e for e in page if e.id not in seen]
                    seen.update(e.id for e in page)
                yield page
            part_start = part_end

    def calendar_view_url(self, calendar: CalendarRef, start: dt.datetime, end: dt.datetime) -> str:
        """The first page's URL of one calendarView window of at most 1825 days; ValueError
        for a window Graph refuses."""
        check_window(start, end)
        return urls.calendar_view_url(calendar, start, end, select=EVENT_SELECT,
                                      top=self.page_size)

    async def event_pages(self, calendar: CalendarRef, url: str) -> AsyncIterator[list[Event]]:
        """The events of `calendar` from `url` (a first page, or a nextLink to go on from),
        one list per page; the first big page comes as two lists, a screenful first.

        A screenful of events is made in about a millisecond, a whole page of 1000 in
        tens: the first rows can be shown that much sooner.
        """
        first = True
        pages = item_pages(self.transport, url)
        try:
            async for found in pages:
                page = found.items
                if first and len(page) > THREAD_PARSE_ITEMS:
                    yield events_of(page[:_FIRST_ROWS], calendar, self.tz)
                    page = page[_FIRST_ROWS:]
                first = False
                yield await parse_events(page, calendar, self.tz)
        finally:
            await pages.aclose()  # now, not when the collector finds it: drops a prefetch

    async def event_page(self, calendar: CalendarRef, url: str) -> tuple[list[Event], str | None]:
        """One page of events from `url` and the nextLink to the rest (None: no more)."""
        return await self.events_in(await self.transport.get_json(url), calendar)

    async def events_in(self, payload: dict[str, Any], calendar: CalendarRef
                        ) -> tuple[list[Event], str | None]:
        """The events of a calendarView page and its nextLink (None: no more)."""
        items, link = page_parts(payload)
        return await parse_events(items, calendar, self.tz), link

    def events_now(self, payload: dict[str, Any], calendar: CalendarRef
                   ) -> tuple[list[Event], str | None]:
        """`events_in` on this thread, for a caller with nothing else to do meanwhile."""
        items, link = page_parts(payload)
        return events_of(items, calendar, self.tz), link

    async def events(self, calendar: CalendarRef) -> AsyncIterator[list[Event]]:
        """Single events and series masters (occurrences not expanded), one list per page."""
        url = urls.events_url(calendar, select=EVENT_SELECT, top=self.page_size)
        async for page in self.event_pages(calendar, url):
            yield page

    async def event(self, ref: EventRef) -> Event:
        obj = await self.transport.get_json(urls.event_url(ref, select=EVENT_SELECT))
        return Event.from_json(obj, ref.mailbox, ref.calendar, self.tz)
