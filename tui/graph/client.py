"""The Graph client: one async method per operation cal365 performs. No UI in here."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import httpx

from tui.graph import jsonpages, urls
from tui.graph.errors import GraphError, GraphUnavailable, error_from_response
from tui.graph.models import EVENT_SELECT, Calendar, CalendarGroup, Event, User
from tui.graph.timezones import zone
from tui.graph.urls import CalendarRef, EventRef, Mailbox


class TokenProvider(Protocol):
    """Where access tokens come from (the sign-in layer implements this).

    `force_refresh=True` is asked for once after Graph answers 401, so an access token that
    expired mid-session is replaced silently.
    """

    async def get_token(self, *, force_refresh: bool = False) -> str: ...


class StaticToken:
    """A fixed bearer token (from the environment, or the demo's fake Graph)."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def get_token(self, *, force_refresh: bool = False) -> str:
        return self._token

GLOBAL_GRAPH_URL = "https://graph.microsoft.com/v1.0"
# Graph allows windows of at most 1825 days in calendarView.
MAX_WINDOW = dt.timedelta(days=1825)
_RETRY_STATUSES = frozenset({429, 503, 504})
_MAX_RETRIES = 3
_MAX_RETRY_WAIT = 60.0
# Above these sizes a page is parsed in a worker thread, off the UI's event loop.
_THREAD_PARSE_BYTES = 256 * 1024
_THREAD_PARSE_ITEMS = 200
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """A cancel Graph accepted (202); the request-id identifies it in the tenant's logs."""

    event_id: str
    request_id: str | None


def _retry_after(headers: httpx.Headers, attempt: int) -> float:
    value = headers.get("retry-after", "")
    if value.isdigit():
        return min(float(value), _MAX_RETRY_WAIT)
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
            wait = (when - dt.datetime.now(dt.UTC)).total_seconds()
            return min(max(wait, 0.0), _MAX_RETRY_WAIT)
        except (TypeError, ValueError):
            pass
    return float(min(2**attempt, _MAX_RETRY_WAIT))


async def _in_thread(function: Callable[..., _T], *args: Any) -> _T:
    """`function(*args)` in a worker thread, off the event loop.

    The result travels in a box emptied on arrival: asyncio keeps a finished thread future
    in a reference cycle until the cyclic collector runs, and a page of events must not
    stay alive that long.
    """
    box = await asyncio.to_thread(lambda: [function(*args)])
    return box.pop()


class GraphClient:
    """Talks to Graph over httpx; every method raises GraphError or GraphUnavailable."""

    def __init__(
        self,
        base_url: str,
        token: str | TokenProvider,
        *,
        timezone: str = "UTC",
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        page_size: int = 1000,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timezone = timezone
        self._tz = zone(timezone) or dt.UTC
        self._tokens: TokenProvider = StaticToken(token) if isinstance(token, str) else token
        self._page_size = page_size
        self._http = httpx.AsyncClient(
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json"},
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- transport -------------------------------------------------------------------------

    async def _headers(self, force_refresh: bool = False) -> dict[str, str]:
        token = await self._tokens.get_token(force_refresh=force_refresh)
        return {
            "Authorization": f"Bearer {token}",
            "Prefer": f'outlook.timezone="{self.timezone}"',
        }

    async def _send(
        self, method: str, url: str, *, json_body: Any = None, retry: bool = False
    ) -> httpx.Response:
        """One request; GETs (retry=True) are retried on throttling and outages, never a POST."""
        if not url.startswith(("http://", "https://")):
            url = self.base_url + url
        attempt = 0
        refreshed = force = False
        while True:
            headers = await self._headers(force_refresh=force)
            force = False
            content = None
            if json_body is not None:
                headers["Content-Type"] = "application/json"
                content = json.dumps(json_body).encode()
            try:
                response = await self._http.request(method, url, headers=headers, content=content)
            except httpx.TimeoutException as exc:
                raise GraphUnavailable("Graph did not answer in time") from exc
            except httpx.HTTPError as exc:
                raise GraphUnavailable(f"cannot reach Graph: {exc}") from exc
            if response.is_success:
                return response
            # A 401 means the request was not processed, so even a cancel may go once more.
            if response.status_code == 401 and not refreshed:
                refreshed = force = True
                continue
            if retry and response.status_code in _RETRY_STATUSES and attempt < _MAX_RETRIES:
                await asyncio.sleep(_retry_after(response.headers, attempt))
                attempt += 1
                continue
            raise error_from_response(
                response.status_code,
                response.content,
                {k.lower(): v for k, v in response.headers.items()},
                response.reason_phrase,
            )

    async def _get_json(self, url: str) -> dict[str, Any]:
        response = await self._send("GET", url, retry=True)
        content = response.content
        # httpx links a response and its (finished) stream both ways, so the body would wait
        # for the cyclic collector; unlinking lets a megabyte page go as soon as it is parsed.
        response.stream = httpx.ByteStream(b"")
        try:
            # A page of events is megabytes of JSON: decoding it on the event loop would
            # freeze the UI for tens of milliseconds, so big bodies are decoded in a thread,
            # item by item so that the UI thread gets the interpreter lock in between.
            if len(content) > _THREAD_PARSE_BYTES:
                payload = await _in_thread(jsonpages.loads, content)
            else:
                payload = json.loads(content)
        except ValueError as exc:
            raise GraphError(
                response.status_code,
                "InvalidResponse",
                "Graph sent a body that is not JSON",
                response.headers.get("request-id"),
            ) from exc
        if not isinstance(payload, dict):
            raise GraphError(
                response.status_code,
                "InvalidResponse",
                "Graph sent an unexpected JSON value",
                response.headers.get("request-id"),
            )
        return payload

    async def _pages(self, url: str) -> AsyncIterator[list[dict[str, Any]]]:
        """Each page's items, following `@odata.nextLink` exactly as given until there is none.

        The next page is requested before this one is handed over, so the server prepares
        it while the caller parses and shows the current one.
        """
        pending: asyncio.Task[dict[str, Any]] | None = asyncio.ensure_future(
            self._get_json(url)
        )
        try:
            while pending is not None:
                payload = await pending
                pending = None
                link = payload.get("@odata.nextLink")
                if isinstance(link, str) and link:
                    pending = asyncio.ensure_future(self._get_json(link))
                    await asyncio.sleep(0)  # let the request go out before the parsing
                value = payload.get("value")
                yield (
                    [item for item in value if isinstance(item, dict)]
                    if isinstance(value, list)
                    else []
                )
        finally:
            if pending is not None:
                pending.cancel()
                if pending.done() and not pending.cancelled():
                    pending.exception()  # the caller stopped early: nobody wants this page

    async def _all(self, url: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        async for page in self._pages(url):
            items.extend(page)
        return items

    # -- operations ------------------------------------------------------------------------

    async def me(self) -> User:
        return User.from_json(await self._get_json("/me"))

    async def calendar_groups(self, mailbox: Mailbox = urls.ME) -> list[CalendarGroup]:
        items = await self._all(f"{urls.calendar_groups_path(mailbox)}?$top=100")
        return [CalendarGroup.from_json(obj) for obj in items if obj.get("id")]

    async def calendars_in_group(self, mailbox: Mailbox, calendar_group_id: str) -> list[Calendar]:
        path = urls.group_calendars_path(mailbox, calendar_group_id)
        items = await self._all(f"{path}?$top=100")
        return [Calendar.from_json(obj) for obj in items if obj.get("id")]

    async def calendars(self, mailbox: Mailbox = urls.ME) -> list[Calendar]:
        items = await self._all(f"{urls.calendars_path(mailbox)}?$top=100")
        return [Calendar.from_json(obj) for obj in items if obj.get("id")]

    async def calendar(self, calendar: CalendarRef) -> Calendar:
        return Calendar.from_json(await self._get_json(calendar.path))

    async def calendar_view(
        self, calendar: CalendarRef, start: dt.datetime, end: dt.datetime
    ) -> AsyncIterator[list[Event]]:
        """The events overlapping [start, end), occurrences expanded, one list per page."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("calendar window bounds must carry a time zone")
        if end <= start:
            raise ValueError("the window must end after it starts")
        if end - start > MAX_WINDOW:
            raise ValueError("Graph shows at most 1825 days at once")
        query = httpx.QueryParams(
            {
                "startDateTime": start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "endDateTime": end.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "$select": EVENT_SELECT,
                "$orderby": "start/dateTime",
                "$top": str(self._page_size),
            }
        )
        url = f"{urls.calendar_view_path(calendar)}?{query}"
        async for page in self._pages(url):
            if len(page) > _THREAD_PARSE_ITEMS:
                yield await _in_thread(self._events_of, page, calendar, True)
            else:
                yield self._events_of(page, calendar)

    def _events_of(
        self, page: list[dict[str, Any]], calendar: CalendarRef, in_thread: bool = False
    ) -> list[Event]:
        events: list[Event] = []
        for index, obj in enumerate(page, 1):
            if isinstance(obj.get("id"), str) and obj["id"]:
                events.append(Event.from_json(obj, calendar.mailbox, calendar, self._tz))
            if in_thread and index % jsonpages.YIELD_EVERY == 0:
                time.sleep(0)  # let a waiting UI thread have the lock now
        return events

    async def events(self, calendar: CalendarRef) -> AsyncIterator[list[Event]]:
        """Single events and series masters (occurrences not expanded), one list per page."""
        query = httpx.QueryParams({"$select": EVENT_SELECT, "$top": str(self._page_size)})
        async for page in self._pages(f"{urls.events_path(calendar)}?{query}"):
            yield [
                Event.from_json(obj, calendar.mailbox, calendar, self._tz)
                for obj in page
                if isinstance(obj.get("id"), str) and obj["id"]
            ]

    async def event(self, ref: EventRef) -> Event:
        query = httpx.QueryParams({"$select": EVENT_SELECT})
        obj = await self._get_json(f"{ref.path}?{query}")
        return Event.from_json(obj, ref.mailbox, ref.calendar, self._tz)

    async def cancel_event(self, ref: EventRef, comment: str | None) -> CancelOutcome:
        """Cancel a meeting the user organizes; attendees get a notice with the comment.

        An empty comment would make Graph send no notice at all, so blank text means
        "no comment": the field is omitted and attendees get the default notice.
        """
        body: dict[str, str] = {}
        if comment is not None and comment.strip():
            body["Comment"] = comment
        response = await self._send("POST", ref.cancel_path, json_body=body)
        return CancelOutcome(ref.event_id, response.headers.get("request-id"))
