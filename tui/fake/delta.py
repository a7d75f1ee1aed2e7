"""`calendarView/delta`: change tracking for a calendar view, as Graph documents it.

A round starts with `…/calendarView/delta?startDateTime=…&endDateTime=…`. Its first page is
empty and carries only an `@odata.nextLink` (`$skiptoken`), as Graph's often is; later pages
carry events, and the last one an `@odata.deltaLink` (`$deltatoken`). A request with that
deltaLink starts the next round, which returns only what changed since: the full
representation of added or changed events (occurrences and exceptions as calendarView shows
them) and `{"@odata.type": "#microsoft.graph.event", "id": …, "@removed": {"reason":
"deleted"}}` for events that were deleted, cancelled or moved out of the window.

Tokens are random strings naming state kept here, so they encode nothing a client could read.
A token this service no longer holds (expired by `expire`, evicted, or made up) is HTTP 410
`SyncStateNotFound`, as Graph answers for an expired sync state. Skip tokens stay valid for
retries: asking for the same page twice answers it twice. Page size comes from `Prefer:
odata.maxpagesize`; `$select`, `$filter`, `$orderby`, `$top`, `$expand`, `$search` (and
`$skip`, `$count`) are refused with 400, as change tracking supports none of them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from . import render
from .errors import GraphError
from .model import Calendar, Event
from .odata import DEFAULT_PAGE_SIZE, MAX_TOP, Prefer, Query
from .render import Json, View

if TYPE_CHECKING:
    from .store import Store

# Sync states kept at once (deltaLinks and skip tokens each); older ones answer 410.
MAX_STATES = 256
_UNSUPPORTED = ("select", "filter", "orderby", "top", "expand", "search", "skip", "count")
_UNSUPPORTED_MESSAGE = (
    "The following parameters are not supported with change tracking over the 'CalendarView'"
    " resource: '$orderby, $filter, $select, $expand, $search, $top'."
)
_GONE_MESSAGE = "The sync state could not be found or has expired. Start a new sync round."

_S = TypeVar("_S")
Fingerprint = tuple[str, dt.datetime, dt.datetime, bool]


def _fingerprint(ev: Event) -> Fingerprint:
    # Every change the store makes bumps the change key; times and the flag are belt and braces.
    return (ev.change_key, ev.start, ev.end, ev.is_cancelled)


@dataclass
class _Sync:
    """What a client holding a deltaLink has seen: the state the next round compares to."""

    calendar: str
    start: dt.datetime
    end: dt.datetime
    tz: dt.tzinfo
    seen: dict[str, Fingerprint]


@dataclass
class _Round:
    """One round's answer, fixed when it starts so that its pages are consistent."""

    sync: _Sync  # the state reached at the end of the round
    items: list[Event | str]  # an event to send in full, or the id of a removed one
    page_tokens: dict[int, str] = field(default_factory=dict)
    delta_token: str | None = None


def sync_key(calendar: Calendar) -> str:
    """The calendar a sync state belongs to, whichever URL form reached it."""
    target = calendar.target
    return f"{target.mailbox.key}/{target.id}"


class DeltaStates:
    """Sync states by token. Guarded by the store's lock (the service holds it per request)."""

    def __init__(self) -> None:
        self._rounds: OrderedDict[str, tuple[_Round, int]] = OrderedDict()
        self._syncs: OrderedDict[str, _Sync] = OrderedDict()

    def expire(self) -> None:
        """Forget every token: the next request with one gets 410 SyncStateNotFound."""
        self._rounds.clear()
        self._syncs.clear()

    def __len__(self) -> int:
        return len(self._syncs)

    def page_token(self, round_: _Round, offset: int) -> str:
        token = round_.page_tokens.get(offset)
        if token is None or token not in self._rounds:
            token = round_.page_tokens[offset] = _token()
            self._rounds[token] = (round_, offset)
            _trim(self._rounds)
        return token

    def delta_token(self, round_: _Round) -> str:
        token = round_.delta_token
        if token is None or token not in self._syncs:
            token = round_.delta_token = _token()
            self._syncs[token] = round_.sync
            _trim(self._syncs)
        return token

    def page(self, token: str) -> tuple[_Round, int]:
        found = self._rounds.get(token)
        if found is None:
            raise _gone()
        self._rounds.move_to_end(token)
        return found

    def sync(self, token: str) -> _Sync:
        found = self._syncs.get(token)
        if found is None:
            raise _gone()
        self._syncs.move_to_end(token)
        return found


def _token() -> str:
    return secrets.token_urlsafe(24)


def _trim(states: OrderedDict[str, _S]) -> None:
    while len(states) > MAX_STATES:
        states.popitem(last=False)


def _gone() -> GraphError:
    return GraphError(410, "SyncStateNotFound", _GONE_MESSAGE)


Window = Callable[[Query], tuple[dt.datetime, dt.datetime]]


@dataclass
class DeltaPage:
    """What the service renders: the page's JSON items and the link that ends it."""

    items: list[Json]
    next_token: str | None
    delta_token: str | None
    size_applied: int | None


def answer(store: Store, states: DeltaStates, calendar: Calendar, query: Query, prefer: Prefer,
           view: View, window: Window) -> DeltaPage:
    """One page of a delta round for `calendar` (its events live in `calendar.target`)."""
    refused = [name for name in _UNSUPPORTED if query.get(name) is not None]
    if refused:
        raise GraphError(400, "ErrorInvalidUrlQuery", _UNSUPPORTED_MESSAGE)
    size, applied = DEFAULT_PAGE_SIZE, None
    if prefer.max_page_size is not None:
        size = applied = min(prefer.max_page_size, MAX_TOP)
    key = sync_key(calendar)
    skip = query.get("skiptoken")
    delta = query.get("deltatoken")
    if skip is not None:
        round_, offset = states.page(skip)
        if round_.sync.calendar != key:
            raise _gone()
    elif delta is not None:
        previous = states.sync(delta)
        if previous.calendar != key:
            raise _gone()
        round_ = _changes(store, calendar, previous)
        offset = 0
    else:
        # Graph reads the window only here; later requests carry it inside their tokens.
        start, end = window(query)
        events = store.expanded([calendar], start, end, view.tz)
        seen = {ev.id: _fingerprint(ev) for ev in events}
        round_ = _Round(_Sync(key, start, end, view.tz, seen), list(events))
        # The first answer of a round holds no events, only the way on.
        return DeltaPage([], states.page_token(round_, 0), None, applied)
    chunk = round_.items[offset: offset + size]
    items = [_removed(item) if isinstance(item, str) else _full(item, view) for item in chunk]
    if offset + size < len(round_.items):
        return DeltaPage(items, states.page_token(round_, offset + size), None, applied)
    return DeltaPage(items, None, states.delta_token(round_), applied)


def _changes(store: Store, calendar: Calendar, previous: _Sync) -> _Round:
    events = store.expanded([calendar], previous.start, previous.end, previous.tz)
    seen = {ev.id: _fingerprint(ev) for ev in events}
    items: list[Event | str] = [ev for ev in events if previous.seen.get(ev.id) != seen[ev.id]]
    items.extend(event_id for event_id in previous.seen if event_id not in seen)
    return _Round(_Sync(previous.calendar, previous.start, previous.end, previous.tz, seen), items)


def _full(ev: Event, view: View) -> Json:
    return {"@odata.type": "#microsoft.graph.event", **render.event_json(ev, view)}


def _removed(event_id: str) -> Json:
    return {"@odata.type": "#microsoft.graph.event", "id": event_id,
            "@removed": {"reason": "deleted"}}
