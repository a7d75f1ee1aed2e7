"""The Graph client: one async method per operation cal365 performs. No UI in here.

A facade: the requests go through one `Transport` (`tui.graph.transport`), the operations
live with their resource (`events`, `calendars`, `cancel`, `delta`, `batch`). Only `events`
loads with the client: the others load on their first call, so `cal365 events` (one listing,
then exit) pays for nothing it does not use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Any

import httpx

from tui.graph import urls
from tui.graph.events import MAX_WINDOW, Events, check_window
from tui.graph.policy import MAILBOX_CONCURRENCY, MailboxLimiter, RetryPolicy, WaitObserver
from tui.graph.timezones import zone
from tui.graph.transport import StaticToken, TokenProvider, Transport
from tui.graph.urls import CalendarRef, EventRef, Mailbox

if TYPE_CHECKING:
    from tui.graph.batch import BulkCancel, BulkWrite
    from tui.graph.cancel import CancelOutcome, Cancels, CancelState
    from tui.graph.delta import DeltaRound
    from tui.graph.errors import GraphError
    from tui.graph.lookups import EventLookup
    from tui.graph.models import Calendar, CalendarGroup, Event, Group, User
    from tui.graph.replies import Reply, TimeSlot
    from tui.graph.writes import WriteOutcome

__all__ = ["MAX_WINDOW", "CancelOutcome", "CancelState", "GraphClient", "StaticToken",
           "TokenProvider", "check_window"]


if not TYPE_CHECKING:  # type checkers see the names imported above instead

    def __getattr__(name: str) -> Any:
        """`CancelOutcome` and `CancelState` from `tui.graph.cancel`, loaded when asked for."""
        if name in ("CancelOutcome", "CancelState"):
            from tui.graph import cancel

            return getattr(cancel, name)
        raise AttributeError(f"module 'tui.graph.client' has no attribute {name!r}")


class GraphClient:
    """Talks to Graph over httpx; every method raises GraphError or GraphUnavailable.

    Every request goes through one policy (`tui.graph.policy`): timeouts, retries of reads
    on 429/503/504 and network errors with Graph's Retry-After or jittered backoff, and at
    most four requests in flight per mailbox. `on_wait` is called (no UI in here) before
    each wait, so a status bar can say "throttled, retrying in 3 s".
    """

    def __init__(
        self,
        base_url: str,
        token: str | TokenProvider,
        *,
        timezone: str = "UTC",
        timeout: float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        page_size: int = 1000,
        policy: RetryPolicy | None = None,
        on_wait: WaitObserver | None = None,
        mailbox_concurrency: int = MAILBOX_CONCURRENCY,
    ) -> None:
        policy = policy or RetryPolicy()
        if timeout is not None:
            policy.connect_timeout = policy.read_timeout = timeout
            policy.write_timeout = timeout
            policy.deadline = 4 * timeout
        self.transport = Transport(base_url, token, timezone=timezone, transport=transport,
                                   policy=policy, on_wait=on_wait,
                                   mailbox_concurrency=mailbox_concurrency)
        self.timezone = timezone
        self.page_size = page_size
        self._events = Events(self.transport, zone(timezone) or dt.UTC, page_size)
        self._cancels: Cancels | None = None  # made on the first write

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    @property
    def policy(self) -> RetryPolicy:
        return self.transport.policy

    @policy.setter
    def policy(self, policy: RetryPolicy) -> None:
        self.transport.policy = policy

    @property
    def on_wait(self) -> WaitObserver | None:
        return self.transport.on_wait

    @on_wait.setter
    def on_wait(self, observer: WaitObserver | None) -> None:
        self.transport.on_wait = observer

    @property
    def limiter(self) -> MailboxLimiter:
        return self.transport.limiter

    def link_problem(self, url: str) -> GraphError | None:
        """Why a request to `url` may not be sent, or None when it may."""
        return self.transport.link_problem(url)

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- people, groups, calendars ----------------------------------------------------------

    async def me(self) -> User:
        from tui.graph import calendars

        return await calendars.me(self.transport)

    async def member_groups(self) -> list[Group]:
        """The Microsoft 365 groups the signed-in user is a direct member of."""
        from tui.graph import calendars

        return await calendars.member_groups(self.transport)

    async def calendar_groups(self, mailbox: Mailbox = urls.ME) -> list[CalendarGroup]:
        from tui.graph import calendars

        return await calendars.calendar_groups(self.transport, mailbox)

    async def calendars_in_group(self, mailbox: Mailbox, calendar_group_id: str) -> list[Calendar]:
        from tui.graph import calendars

        return await calendars.calendars_in_group(self.transport, mailbox, calendar_group_id)

    async def calendars(self, mailbox: Mailbox = urls.ME) -> list[Calendar]:
        from tui.graph import calendars

        return await calendars.calendars(self.transport, mailbox)

    async def calendar(self, calendar: CalendarRef) -> Calendar:
        from tui.graph import calendars

        return await calendars.calendar(self.transport, calendar)

    # -- events -----------------------------------------------------------------------------

    def calendar_view(
        self, calendar: CalendarRef, start: dt.datetime, end: dt.datetime
    ) -> AsyncIterator[list[Event]]:
        """The events overlapping [start, end), occurrences expanded, one list per page
        (see `Events.calendar_view`)."""
        return self._events.calendar_view(calendar, start, end)

    def calendar_view_url(self, calendar: CalendarRef, start: dt.datetime, end: dt.datetime) -> str:
        """The first page's URL of one calendarView window of at most 1825 days; ValueError
        for a window Graph refuses."""
        return self._events.calendar_view_url(calendar, start, end)

    def event_pages(self, calendar: CalendarRef, url: str) -> AsyncIterator[list[Event]]:
        """The events of `calendar` from `url` (a first page, or a nextLink to go on from),
        one list per page; the first big page comes as two lists, a screenful first."""
        return self._events.event_pages(calendar, url)

    async def event_page(self, calendar: CalendarRef, url: str) -> tuple[list[Event], str | None]:
        """One page of events from `url` and the nextLink to the rest (None: no more)."""
        return await self._events.event_page(calendar, url)

    async def page_json(self, url: str) -> dict[str, Any]:
        """The JSON object at `url`, as Graph sent it (for a caller that hands it on)."""
        return await self.transport.get_json(url)

    async def events_in(self, payload: dict[str, Any], calendar: CalendarRef
                        ) -> tuple[list[Event], str | None]:
        """The events of a calendarView page and its nextLink (None: no more)."""
        return await self._events.events_in(payload, calendar)

    def events_now(self, payload: dict[str, Any], calendar: CalendarRef
                   ) -> tuple[list[Event], str | None]:
        """`events_in` on this thread, for a caller with nothing else to do meanwhile."""
        return self._events.events_now(payload, calendar)

    def events(self, calendar: CalendarRef) -> AsyncIterator[list[Event]]:
        """Single events and series masters (occurrences not expanded), one list per page."""
        return self._events.events(calendar)

    async def event(self, ref: EventRef) -> Event:
        return await self._events.event(ref)

    async def get_events(
        self, refs: Iterable[EventRef], select: str | None = None
    ) -> list[EventLookup]:
        """Many events read at once through JSON batching, for a bulk action: each with the
        properties `select` names, or the error that says why not, in the order asked (see
        `tui.graph.lookups`: 20 per batch, 4 batches at once per mailbox, throttled items
        asked again under the policy). Raises AuthenticationRequired or GraphUnavailable
        when Graph cannot be asked at all. `select` None: `lookups.LOOKUP_SELECT`."""
        from tui.graph.lookups import LOOKUP_SELECT, get_events

        return await get_events(self.transport, refs, self._events.tz, select or LOOKUP_SELECT)

    async def calendar_view_delta(
        self,
        target: CalendarRef | Mailbox,
        start: dt.datetime,
        end: dt.datetime,
        delta_link: str | None = None,
        *,
        page_size: int | None = None,
        on_page: Callable[[list[Event]], None] | None = None,
    ) -> DeltaRound:
        """One round of change tracking over a calendar view; see `tui.graph.delta`.

        Without `delta_link` (or when Graph no longer accepts it) this is a full round of
        the window [start, end); with it, only what changed since the round that gave it.
        """
        from tui.graph import delta

        check_window(start, end)
        return await delta.calendar_view_delta(
            self.transport, target, start, end, delta_link, page_size or self.page_size,
            self._events.tz, on_page)

    # -- cancelling --------------------------------------------------------------------------

    def _writes(self) -> Cancels:
        if self._cancels is None:
            from tui.graph.cancel import Cancels

            self._cancels = Cancels(self.transport)
        return self._cancels

    async def cancel_event(self, ref: EventRef, comment: str | None) -> CancelOutcome:
        """Cancel a meeting the user organizes; see `Cancels.cancel_event` (pressing send
        twice sends once; an unknown outcome is checked, never re-sent)."""
        return await self._writes().cancel_event(ref, comment)

    async def reply(self, ref: EventRef, reply: Reply, comment: str | None, *,
                    send_response: bool = True, proposed: TimeSlot | None = None
                    ) -> WriteOutcome:
        """Accept, tentatively accept or decline an invitation, as `cancel_event` sends
        (once; a lost answer settled by a look at the user's response). ValueError, nothing
        sent, for a body Graph refuses (see `replies.reply_body`); Graph's refusals as
        OrganizerCannotRespond, MeetingCancelled, ResponseNotRequested or another
        GraphError; WriteNotSent / WriteOutcomeUnknown as for a cancel."""
        from tui.graph.writes import Write

        write = Write.reply(reply, comment, send_response=send_response, proposed=proposed)
        return await self._writes().send(ref, write)

    async def delete_event(self, ref: EventRef) -> WriteOutcome:
        """Delete an event (for a meeting the user organizes, Graph tells the attendees);
        sent once, a lost answer settled by a look (gone: done)."""
        from tui.graph.writes import Write

        return await self._writes().send(ref, Write.delete())

    async def cancel_state(self, ref: EventRef) -> CancelState | None:
        """"cancelled", "live", or None when that cannot be told (see `cancel.cancel_state`)."""
        from tui.graph.cancel import cancel_state

        return await cancel_state(self.transport, ref)

    def cancel_many(
        self, refs: Iterable[EventRef], comment: str | None, *, check_first: bool = False
    ) -> BulkCancel:
        """Cancel many meetings through JSON batching.

        Iterate the returned BulkCancel for each event's outcome as it becomes known; its
        `stats` hold the figures. See `tui.graph.batch` for the rules (at most 20 per batch,
        4 batches at once per mailbox, per-item retries of throttled items only, nothing
        sent twice without a check). `check_first` looks at each event before sending, for
        retrying items whose outcome was unknown."""
        from tui.graph.batch import BulkCancel

        return BulkCancel(self.transport, refs, comment, check_first=check_first)

    def reply_many(
        self, refs: Iterable[EventRef], reply: Reply, comment: str | None, *,
        send_response: bool = True, check_first: bool = False,
    ) -> BulkWrite:
        """Reply to many invitations through JSON batching, as `cancel_many` cancels.
        ValueError, nothing sent, for a body Graph refuses (see `replies.reply_body`)."""
        from tui.graph.batch import BulkWrite
        from tui.graph.writes import Write

        write = Write.reply(reply, comment, send_response=send_response)
        return BulkWrite(self.transport, refs, write, check_first=check_first)

    def delete_many(self, refs: Iterable[EventRef], *, check_first: bool = False) -> BulkWrite:
        """Delete many events through JSON batching, as `cancel_many` cancels."""
        from tui.graph.batch import BulkWrite
        from tui.graph.writes import Write

        return BulkWrite(self.transport, refs, Write.delete(), check_first=check_first)
