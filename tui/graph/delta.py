"""Change tracking of a calendar view through Graph's `calendarView/delta`.

A round follows `@odata.nextLink` exactly as given (the first page is often empty) until a
page carries `@odata.deltaLink`; the caller stores that link and sends it next time, and
Graph answers with only what changed since: full representations of added or changed
events, and `@removed` entries for deleted or cancelled ones. Delta accepts no `$select`,
`$top` or `$orderby`, so the page size goes in `Prefer: odata.maxpagesize` and the events
come in full; they are parsed with the same model code as a listing.

Graph forgets sync states after some days and answers 410 (`SyncStateNotFound`) to a stale
link: the round then starts over from the window, silently, and says so with `full=True`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from tui.graph import urls
from tui.graph.errors import GraphError
from tui.graph.events import item_pages, parse_events
from tui.graph.models import Event
from tui.graph.transport import Transport
from tui.graph.urls import CalendarRef, Mailbox
from tui.graph.wire import Item, is_removed, item_id


@dataclass(frozen=True, slots=True)
class DeltaRound:
    """What one round brought.

    `full` means the round listed the whole window (a first sync, or a resync after Graph
    dropped the old state): the caller replaces what it holds for the window with `upserts`.
    Otherwise it applies `upserts` (added or changed) and `removed` (ids) to what it holds.
    `requests` counts HTTP requests sent (retries included), `bytes` the bodies of the
    pages received (error answers not counted).
    """

    upserts: list[Event]
    removed: list[str]
    delta_link: str
    full: bool
    requests: int
    bytes: int


class _Tally:
    def __init__(self) -> None:
        self.requests = 0
        self.bytes = 0

    def sent(self) -> None:
        self.requests += 1


async def calendar_view_delta(
    transport: Transport,
    target: CalendarRef | Mailbox,
    start: dt.datetime,
    end: dt.datetime,
    delta_link: str | None,
    page_size: int,
    tz: dt.tzinfo,
    on_page: Callable[[list[Event]], None] | None = None,
) -> DeltaRound:
    """One round for `target` (see `GraphClient.calendar_view_delta`), its events seen in
    time zone `tz`.

    `on_page` sees the events of each page of a full round as it arrives, so a window never
    seen before can be painted from the first page instead of after the whole round.
    """
    if page_size < 1:
        raise ValueError("the page size must be at least 1")
    calendar = target if isinstance(target, CalendarRef) else CalendarRef(target)
    tally = _Tally()
    start_url = urls.calendar_view_delta_url(target, start, end)
    url, full = (delta_link, False) if delta_link else (start_url, True)
    if delta_link and transport.link_problem(delta_link) is not None:
        # A link kept from an older round that cannot be followed (another server, no URL):
        # a sync state lost, as after a 410, not an error every sync from now on.
        url, full = start_url, True
    resynced = False
    while True:
        try:
            return await _round(transport, url, calendar, full, page_size, tz, tally, on_page)
        except GraphError as error:
            # 410: Graph no longer holds that sync state (expired, or reset on its side).
            if error.status != 410 or resynced:
                raise
            resynced = full = True
            url = start_url


async def _round(
    transport: Transport, url: str, calendar: CalendarRef, full: bool, page_size: int,
    tz: dt.tzinfo, tally: _Tally, on_page: Callable[[list[Event]], None] | None = None,
) -> DeltaRound:
    prefer = f"odata.maxpagesize={page_size}"
    upserts: dict[str, Event] = {}
    removed: dict[str, None] = {}
    final_link = ""
    # The next page is on its way while this one is parsed (see `paging.follow`), which
    # has checked each page's shape: its items are objects, its nextLink a link or None.
    pages = item_pages(transport, url, prefer=prefer, on_attempt=tally.sent)
    try:
        async for found in pages:
            tally.bytes += found.size
            if found.next_link is None:  # the round's last page
                delta_link = found.payload.get("@odata.deltaLink")
                if not (isinstance(delta_link, str) and delta_link):
                    raise GraphError(200, "InvalidResponse",
                                     "Graph ended a sync round without a deltaLink")
                problem = transport.link_problem(delta_link)
                if problem is not None:  # kept, it would break every later sync
                    raise GraphError(200, "InvalidResponse", "Graph ended a sync round with "
                                     f"a deltaLink cal365 cannot follow: {problem.message}")
                final_link = delta_link
            items: list[tuple[str, Item]] = [
                (event_id, item) for item in found.items
                if (event_id := item_id(item)) is not None]
            parsed = iter(await parse_events(
                [item for _, item in items if not is_removed(item)], calendar, tz))
            page: list[Event] = []
            # In Graph's order: an event sent again later in the round wins.
            for event_id, item in items:
                upserts.pop(event_id, None)
                removed.pop(event_id, None)
                if is_removed(item):
                    removed[event_id] = None
                else:
                    upserts[event_id] = next(parsed)
                    page.append(upserts[event_id])
            if full and on_page is not None and page:
                on_page(page)
    finally:
        await pages.aclose()  # a page asked for ahead is dropped
    return DeltaRound(list(upserts.values()), list(removed), final_link, full,
                      tally.requests, tally.bytes)
