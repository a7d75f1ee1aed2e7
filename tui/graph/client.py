"""The Graph client: one async method per operation cal365 performs. No UI in here."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
import json
import re
import ssl
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx

from tui.graph import delta, jsonpages, permissions, urls
from tui.graph.batch import BulkCancel, cancel_body
from tui.graph.delta import DeltaRound
from tui.graph.errors import (
    NOT_FOUND_CODES,
    AuthenticationRequired,
    CancelNotSent,
    CancelOutcomeUnknown,
    GraphError,
    GraphUnavailable,
    NotFound,
    RequestOutcomeUnknown,
    error_from_response,
)
from tui.graph.models import EVENT_SELECT, Calendar, CalendarGroup, Event, Group, User
from tui.graph.policy import (
    MAILBOX_CONCURRENCY,
    NOT_SENT,
    RETRY_STATUSES,
    MailboxLimiter,
    RetryPolicy,
    WaitNotice,
    WaitObserver,
    WaitReason,
)
from tui.graph.timezones import zone
from tui.graph.urls import CalendarRef, EventRef, Mailbox, mailbox_key


class TokenProvider(Protocol):
    """Where access tokens come from (the sign-in layer implements this).

    `force_refresh=True` is asked for once after Graph answers 401, so an access token that
    expired mid-session is replaced silently. `scopes` names the delegated permissions the
    request needs beyond the base ones (`tui.graph.permissions`): a provider that signs in
    incrementally asks for them then, not before.
    """

    async def get_token(
        self, *, force_refresh: bool = False, scopes: frozenset[str] = frozenset()
    ) -> str: ...


class StaticToken:
    """A fixed bearer token (from the environment, or the demo's fake Graph)."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def get_token(
        self, *, force_refresh: bool = False, scopes: frozenset[str] = frozenset()
    ) -> str:
        return self._token


# Graph allows windows of at most 1825 days in calendarView.
MAX_WINDOW = dt.timedelta(days=1825)

CancelState = Literal["cancelled", "live"]
# Above these sizes a page is parsed in a worker thread, off the UI's event loop.
_THREAD_PARSE_BYTES = 256 * 1024
_THREAD_PARSE_ITEMS = 200
# Events parsed ahead of the rest of a listing's first page: more than a tall terminal shows.
_FIRST_ROWS = 60
_T = TypeVar("_T")
# What a bearer token may hold: visible ASCII (RFC 6750's b64token is a subset).
_TOKEN = re.compile(r"[\x21-\x7e]+")


class DeadlinePassed(httpx.TimeoutException):
    """A request and the reading of its answer took longer than the policy's deadline, though
    each read came in time (a body that trickles in). A timeout like any other: a read is
    tried again, a write's outcome is unknown (it may have been processed)."""


class _Unreadable(Exception):
    """An answer that came but cannot be read: too large, or its Content-Encoding lies (a
    "gzip" body that is not gzip). Its status is known; what it says is not."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def _too_large(status: int, limit: int) -> _Unreadable:
    size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit} bytes"
    return _Unreadable(status, f"Graph's answer is larger than {size}")


@dataclass(frozen=True, slots=True)
class _Body:
    """A response body as received, before decoding."""

    content: bytes
    status: int
    request_id: str | None


def _drop(task: asyncio.Task[Any]) -> None:
    """Cancel a request nobody will read; an outcome it already had is not reported."""
    task.cancel()
    if task.done() and not task.cancelled():
        task.exception()


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """A cancel that went through; the request-id identifies it in the tenant's logs.

    `checked` is true when Graph's answer was lost and a look at the event proved the cancel
    had taken effect (the event is gone or flagged cancelled).
    """

    event_id: str
    request_id: str | None
    checked: bool = False


async def _in_thread(function: Callable[..., _T], *args: Any) -> _T:
    """`function(*args)` in a worker thread, off the event loop.

    The result travels in a box emptied on arrival: asyncio keeps a finished thread future
    in a reference cycle until the cyclic collector runs, and a page of events must not
    stay alive that long.
    """
    box = await asyncio.to_thread(lambda: [function(*args)])
    return box.pop()


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port, as compared to decide where a token may go."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: no origin of ours
        port = -1
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)


def _page_parts(
    payload: dict[str, Any], status: int = 200, request_id: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page's items (objects only) and its nextLink (None: the last page).

    A page of another shape (`value` not a list, a nextLink that is not a link) is an error
    like a body that is not JSON: taken as empty or as the last page, it would end a listing
    short without a word. An item that is not an object is skipped, as an event without an
    id is: one odd item does not spoil the page; a page of nothing but such items does."""
    value = payload.get("value")
    problem = ""
    if not isinstance(value, list):
        problem = "a page whose value is not a list"
    elif value and not any(isinstance(item, dict) for item in value):
        problem = "a page whose items are not objects"
    link = payload.get("@odata.nextLink")
    if "@odata.nextLink" in payload and not (isinstance(link, str) and link):
        problem = "a page whose nextLink is not a link"
    if problem:
        raise GraphError(status, "InvalidResponse", f"Graph sent {problem}", request_id)
    items = [item for item in value if isinstance(item, dict)]  # type: ignore[union-attr]
    return items, link if isinstance(link, str) else None


def _trusting_nothing() -> Future[ssl.SSLContext]:
    """For a plain-HTTP Graph (loopback only: see the CLI's URL check) no trust store is
    loaded: a TLS context that trusts no certificate (links to other servers are refused
    before any request, see `_send`)."""
    box: Future[ssl.SSLContext] = Future()
    box.set_result(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
    return box


def _tls_context_soon() -> Future[ssl.SSLContext]:
    """The TLS context, built in a thread: loading the trust store takes about 40 ms of C
    code that lets other threads run, so it overlaps the app's start-up instead of delaying
    it. The first request collects it."""
    box: Future[ssl.SSLContext] = Future()

    def build() -> None:
        try:
            box.set_result(httpx.create_ssl_context(trust_env=True))
        except BaseException as error:  # handed to the first request, which reports it
            box.set_exception(error)

    threading.Thread(target=build, name="cal365-tls", daemon=True).start()
    return box


_TRANSPORT = ("httpcore", "h11", "anyio._backends._asyncio", "httpcore._backends.anyio")
_transport_lock = threading.Lock()
_transport: Future[None] | None = None


def _transport_soon() -> Future[None]:
    """httpx loads its transport (httpcore, h11, anyio's asyncio backend: some 75 modules,
    about 50 ms) at the first request, on the caller's event loop, where a UI then stalls.
    They load in a thread from the first client's creation instead, and the first request
    awaits that (the loop stays free meanwhile; the thread's imports interleave with it)."""
    global _transport
    with _transport_lock:
        if _transport is not None:
            return _transport
        box: Future[None] = Future()
        _transport = box

    def load() -> None:
        try:
            for name in _TRANSPORT:
                with contextlib.suppress(ImportError):
                    importlib.import_module(name)
        finally:  # whatever happened, the first request goes ahead (and imports the rest)
            box.set_result(None)

    threading.Thread(target=load, name="cal365-http-modules", daemon=True).start()
    return box


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
        self.base_url = base_url.rstrip("/")
        self.timezone = timezone
        self._tz = zone(timezone) or dt.UTC
        self._tokens: TokenProvider = StaticToken(token) if isinstance(token, str) else token
        self._page_size = page_size
        self.policy = policy or RetryPolicy()
        if timeout is not None:
            self.policy.connect_timeout = self.policy.read_timeout = timeout
            self.policy.write_timeout = timeout
            self.policy.deadline = 4 * timeout
        self.on_wait = on_wait
        self.limiter = MailboxLimiter(mailbox_concurrency)
        self._cancels: dict[tuple[str, str], asyncio.Future[CancelOutcome]] = {}
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._tls: Future[ssl.SSLContext] | None = None
        self._modules: Future[None] | None = None
        if transport is None:
            self._tls = (_trusting_nothing() if self.base_url.lower().startswith("http://")
                         else _tls_context_soon())
            self._modules = _transport_soon()

    @property
    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.policy.timeout,
                transport=self._transport,
                headers={"Accept": "application/json"},
                verify=self._tls.result() if self._tls is not None else True,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- transport -------------------------------------------------------------------------

    async def _headers(
        self, force_refresh: bool = False, scopes: frozenset[str] = frozenset()
    ) -> dict[str, str]:
        token = await self._tokens.get_token(force_refresh=force_refresh, scopes=scopes)
        if _TOKEN.fullmatch(token) is None:
            # A line break would add headers of the server's choosing, non-ASCII fails to
            # encode, and httpx's complaint quotes the header: the token itself would be
            # printed. Refused unsent, in words that do not quote it.
            raise AuthenticationRequired(
                401, "InvalidToken", "the access token holds spaces, control or non-ASCII "
                "characters, which no HTTP header carries; it was not sent", None)
        return {
            "Authorization": f"Bearer {token}",
            "Prefer": f'outlook.timezone="{self.timezone}"',
        }

    async def _wait(self, notice: WaitNotice) -> None:
        if self.on_wait is not None:
            with contextlib.suppress(Exception):  # an observer must never break a request
                self.on_wait(notice)
        await self.policy.sleep(notice.seconds)

    async def _send(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        mailbox: str | None = None,
        read_timeout: float | None = None,
        prefer: str | None = None,
        on_attempt: Callable[[], None] | None = None,
        deadline: float | None = None,
    ) -> httpx.Response:
        """One request under the policy.

        `prefer` adds preferences to the Prefer header; `on_attempt` is called for every
        HTTP request sent, retries included; `deadline` replaces the policy's overall one.

        Reads are retried on 429/503/504 and network errors. A write is retried only when
        the server cannot have processed it (429, or the connection was never made); any
        other failure after sending raises RequestOutcomeUnknown, never a second send.
        """
        if not url.lower().startswith(("http://", "https://")):
            url = self.base_url + url
        refused = self.link_problem(url)
        if refused is not None:
            raise refused
        key = mailbox_key(url) if mailbox is None else mailbox
        scopes = permissions.needed(method, key)
        idempotent = method in ("GET", "HEAD")
        content = None if json_body is None else json.dumps(json_body).encode()
        timeout = self.policy.timeout
        if read_timeout is not None:
            timeout = httpx.Timeout(connect=timeout.connect, read=read_timeout,
                                    write=timeout.write, pool=timeout.pool)
        deadline = self.policy.deadline if deadline is None else deadline
        attempt = 0
        refreshed = force = False
        while True:
            headers = await self._headers(force_refresh=force, scopes=scopes)
            force = False
            if prefer:
                headers["Prefer"] = f"{headers['Prefer']}, {prefer}"
            if on_attempt is not None:
                on_attempt()
            if content is not None:
                headers["Content-Type"] = "application/json"
            failure: httpx.TransportError | None = None
            if self._modules is not None:
                if not self._modules.done():
                    await asyncio.wrap_future(self._modules)
                self._modules = None
            async with self.limiter.slot(key):
                try:
                    response = await self._exchange(method, url, headers, content, timeout,
                                                    deadline)
                except httpx.TransportError as exc:
                    failure = exc
                except _Unreadable as big:
                    if not idempotent:  # processed or not, the answer cannot be read
                        raise RequestOutcomeUnknown(str(big), big.status) from big
                    raise GraphError(big.status, "InvalidResponse", str(big), None) from big
            if failure is not None:
                sent = not isinstance(failure, NOT_SENT)
                if (idempotent or not sent) and attempt < self.policy.max_retries:
                    attempt += 1
                    await self._wait(WaitNotice(
                        key, "network", self.policy.backoff(attempt), attempt, None, method,
                        timed_out=isinstance(failure, httpx.TimeoutException)))
                    continue
                reason = _describe(failure)
                if not idempotent and sent:
                    raise RequestOutcomeUnknown(reason) from failure
                raise GraphUnavailable(reason) from failure
            if response.is_success:
                return response
            status = response.status_code
            # A 401 means the request was not processed, so even a cancel may go once more.
            if status == 401 and not refreshed:
                refreshed = force = True
                continue
            retryable = status in RETRY_STATUSES and (idempotent or status == 429)
            if retryable and attempt < self.policy.max_retries:
                attempt += 1
                seconds = self.policy.delay(response.headers, attempt)
                reason_kind: WaitReason = "throttled" if status == 429 else "unavailable"
                await self._wait(WaitNotice(key, reason_kind, seconds, attempt, status, method))
                continue
            # Only a 4xx says a write was refused unprocessed. A 5xx, or a status no server
            # should answer a cancel with (a redirect, which is never followed: the token
            # would go along), leaves it unknown whether it ran: the caller checks.
            if not idempotent and not 400 <= status < 500:
                raise RequestOutcomeUnknown(
                    f"Graph answered {status} {response.reason_phrase}".rstrip(),
                    status, response.headers.get("request-id"),
                )
            raise error_from_response(
                status,
                response.content,
                {k.lower(): v for k, v in response.headers.items()},
                response.reason_phrase,
            )

    def link_problem(self, url: str) -> GraphError | None:
        """Why a request to `url` (absolute, or a path under Graph's root) may not be sent,
        or None when it may."""
        if not url.lower().startswith(("http://", "https://")):
            url = self.base_url + url
        try:
            # A link from a response, or a path holding an id from one, may be no URL at
            # all (a NUL, an open IPv6 bracket, 100 KB long): refused before anything goes.
            httpx.URL(url)
            origin = _origin(url)
        except (ValueError, httpx.InvalidURL) as bad:
            return GraphError(
                502, "InvalidResponse",
                f"Graph answered with a link or id that is not a usable URL ({bad})", None)
        if origin != _origin(self.base_url):
            # A link from a response (nextLink, deltaLink) to another server: the token
            # would go with it. Graph's own links stay on the server that sent them.
            return GraphError(
                502, "LinkToAnotherServer",
                f"Graph answered with a link to another server ({origin[1]}); cal365 "
                "does not send your sign-in there", None)
        return None

    async def _exchange(
        self, method: str, url: str, headers: dict[str, str], content: bytes | None,
        timeout: httpx.Timeout, deadline: float,
    ) -> httpx.Response:
        """Send one request and read its answer whole, within `deadline` seconds overall
        (a DeadlinePassed, as a timeout, past it) and `policy.max_body_bytes` (_Unreadable,
        as for a body its Content-Encoding cannot undo)."""
        request = self._http.build_request(method, url, headers=headers, content=content,
                                           timeout=timeout)
        chunks: list[bytes] = []
        try:
            async with asyncio.timeout(deadline):
                response = await self._http.send(request, stream=True)
                try:
                    size = 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > self.policy.max_body_bytes:
                            raise _too_large(response.status_code, self.policy.max_body_bytes)
                        chunks.append(chunk)
                except httpx.DecodingError as broken:
                    raise _Unreadable(response.status_code, "Graph sent a body that its "
                                      "Content-Encoding does not decode") from broken
                finally:
                    await response.aclose()
        except TimeoutError:
            raise DeadlinePassed(f"no whole answer within {deadline:g} s",
                                 request=request) from None
        # The body is decoded already (gzip undone): the copy must not claim an encoding.
        # Raw bytes: a header value outside ASCII (Latin-1 on the wire) must pass unchanged.
        kept = [(name, value) for name, value in response.headers.raw
                if name.lower() not in (b"content-encoding", b"content-length",
                                        b"transfer-encoding")]
        return httpx.Response(response.status_code, headers=kept, content=b"".join(chunks),
                              request=request, extensions=dict(response.extensions))

    async def _get_json(self, url: str) -> dict[str, Any]:
        payload, _size = await self._get_json_sized(url)
        return payload

    async def _get_json_sized(
        self, url: str, *, prefer: str | None = None, on_attempt: Callable[[], None] | None = None
    ) -> tuple[dict[str, Any], int]:
        """The JSON object Graph answered and the size of its body in bytes."""
        body = await self._get_body(url, prefer=prefer, on_attempt=on_attempt)
        return await self._decode(body), len(body.content)

    async def _get_body(
        self, url: str, *, prefer: str | None = None, on_attempt: Callable[[], None] | None = None
    ) -> _Body:
        response = await self._send("GET", url, prefer=prefer, on_attempt=on_attempt)
        content = response.content
        # httpx links a response and its (finished) stream both ways, so the body would wait
        # for the cyclic collector; unlinking lets a megabyte page go as soon as it is parsed.
        response.stream = httpx.ByteStream(b"")
        return _Body(content, response.status_code, response.headers.get("request-id"))

    async def _decode(self, body: _Body) -> dict[str, Any]:
        content = body.content
        try:
            # A page of events is megabytes of JSON: decoding it on the event loop would
            # freeze the UI for tens of milliseconds, so big bodies are decoded in a thread,
            # item by item so that the UI thread gets the interpreter lock in between.
            if len(content) > _THREAD_PARSE_BYTES:
                payload = await _in_thread(jsonpages.loads, content)
            else:
                payload = jsonpages.decode(content)
        except ValueError as exc:
            raise GraphError(
                body.status, "InvalidResponse", "Graph sent a body that is not JSON",
                body.request_id,
            ) from exc
        if not isinstance(payload, dict):
            raise GraphError(
                body.status, "InvalidResponse", "Graph sent an unexpected JSON value",
                body.request_id,
            )
        return payload

    async def _payloads(
        self, url: str, *, prefer: str | None = None, on_attempt: Callable[[], None] | None = None
    ) -> AsyncGenerator[tuple[dict[str, Any], int], None]:
        """Each page's JSON object and body size, following `@odata.nextLink` exactly as
        given until there is none.

        The next page is asked for as soon as its link is known, so the server prepares it
        while this one is decoded and parsed: the link is looked for in the raw body first
        (`jsonpages.peek_next_link`, a few kilobytes at either end) and checked against the
        decoded page, which wins; a wrong guess is dropped unread.
        """

        def fetch(link: str) -> asyncio.Task[_Body]:
            return asyncio.ensure_future(
                self._get_body(link, prefer=prefer, on_attempt=on_attempt))

        pending: asyncio.Task[_Body] | None = fetch(url)
        # Links followed: one met again would go round forever (A -> B -> A).
        followed = {url}
        try:
            while pending is not None:
                body = await pending
                pending = None
                early = jsonpages.peek_next_link(body.content)
                if early is not None and early not in followed:
                    pending = fetch(early)
                    await asyncio.sleep(0)  # let the request go out before the decoding
                payload = await self._decode(body)
                size = len(body.content)
                status, request_id = body.status, body.request_id
                del body
                _items, link = _page_parts(payload, status, request_id)
                stop: GraphError | None = None
                if link is not None and link in followed:
                    stop = GraphError(status, "InvalidResponse",
                                      f"Graph's link to the next page repeats one followed "
                                      f"already (after page {len(followed)}): the listing "
                                      "would never end, so it stops here", request_id)
                elif link is not None and len(followed) >= self.policy.max_pages:
                    stop = GraphError(status, "InvalidResponse",
                                      f"Graph sent more than {self.policy.max_pages} pages "
                                      "for one listing: more than it can hold, so it stops "
                                      "here", request_id)
                if stop is not None:
                    link = None
                elif link is not None:
                    followed.add(link)
                if link != early:
                    if pending is not None:
                        _drop(pending)
                    pending = fetch(link) if link is not None else None
                    await asyncio.sleep(0)  # let the request go out before the parsing
                yield payload, size
                if stop is not None:
                    raise stop
        finally:
            if pending is not None:
                _drop(pending)  # the caller stopped early: nobody wants this page

    async def _pages(self, url: str) -> AsyncIterator[list[dict[str, Any]]]:
        """Each page's items, following `@odata.nextLink` until there is none (the next
        page on its way while the caller parses and shows this one)."""
        payloads = self._payloads(url)
        try:
            async for payload, _size in payloads:
                yield _page_parts(payload)[0]  # the shape is checked in `_payloads`
        finally:
            await payloads.aclose()  # now, not when the collector finds it: drops a prefetch

    async def _all(self, url: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        async for page in self._pages(url):
            items.extend(page)
        return items

    # -- operations ------------------------------------------------------------------------

    async def me(self) -> User:
        return User.from_json(await self._get_json("/me"))

    async def member_groups(self) -> list[Group]:
        """The Microsoft 365 groups the signed-in user is a direct member of.

        `/me/memberOf` also lists directory roles, administrative units and security or
        distribution groups; only "Unified" groups have a calendar, so the rest is skipped
        here. The `/microsoft.graph.group` cast would still list non-Unified groups and is
        an advanced query (ConsistencyLevel: eventual, an index that may lag), so the plain
        list is asked for. It needs only User.Read.
        """
        query = httpx.QueryParams({"$select": "id,displayName,mail,groupTypes", "$top": "999"})
        items = await self._all(f"/me/memberOf?{query}")
        return [g for g in (Group.from_json(obj) for obj in items) if g is not None]

    async def calendar_groups(self, mailbox: Mailbox = urls.ME) -> list[CalendarGroup]:
        items = await self._all(f"{urls.calendar_groups_path(mailbox)}?$top=100")
        return [CalendarGroup.from_json(obj) for obj in items if _has_id(obj)]

    async def calendars_in_group(self, mailbox: Mailbox, calendar_group_id: str) -> list[Calendar]:
        path = urls.group_calendars_path(mailbox, calendar_group_id)
        items = await self._all(f"{path}?$top=100")
        return [Calendar.from_json(obj) for obj in items if _has_id(obj)]

    async def calendars(self, mailbox: Mailbox = urls.ME) -> list[Calendar]:
        items = await self._all(f"{urls.calendars_path(mailbox)}?$top=100")
        return [Calendar.from_json(obj) for obj in items if _has_id(obj)]

    async def calendar(self, calendar: CalendarRef) -> Calendar:
        return Calendar.from_json(await self._get_json(calendar.path))

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
        query = httpx.QueryParams(
            {
                "startDateTime": start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "endDateTime": end.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "$select": EVENT_SELECT,
                "$orderby": "start/dateTime",
                "$top": str(self._page_size),
            }
        )
        return f"{urls.calendar_view_path(calendar)}?{query}"

    async def event_pages(self, calendar: CalendarRef, url: str) -> AsyncIterator[list[Event]]:
        """The events of `calendar` from `url` (a first page, or a nextLink to go on from),
        one list per page; the first big page comes as two lists, a screenful first.

        A screenful of events is parsed in about a millisecond, a whole page of 1000 in
        tens: the first rows can be shown that much sooner.
        """
        first = True
        async for page in self._pages(url):
            if first and len(page) > _THREAD_PARSE_ITEMS:
                yield self._events_of(page[:_FIRST_ROWS], calendar)
                page = page[_FIRST_ROWS:]
            first = False
            yield await self._parse_events(page, calendar)

    async def _parse_events(self, page: list[dict[str, Any]], calendar: CalendarRef) -> list[Event]:
        """A page's events; a big page is parsed in a worker thread, off the UI's loop."""
        if len(page) > _THREAD_PARSE_ITEMS:
            return await _in_thread(self._events_of, page, calendar, True)
        return self._events_of(page, calendar)

    async def event_page(self, calendar: CalendarRef, url: str) -> tuple[list[Event], str | None]:
        """One page of events from `url` and the nextLink to the rest (None: no more)."""
        return await self.events_in(await self._get_json(url), calendar)

    async def page_json(self, url: str) -> dict[str, Any]:
        """The JSON object at `url`, as Graph sent it (for a caller that hands it on)."""
        return await self._get_json(url)

    async def events_in(self, payload: dict[str, Any], calendar: CalendarRef
                        ) -> tuple[list[Event], str | None]:
        """The events of a calendarView page and its nextLink (None: no more)."""
        items, link = _page_parts(payload)
        return await self._parse_events(items, calendar), link

    def events_now(self, payload: dict[str, Any], calendar: CalendarRef
                   ) -> tuple[list[Event], str | None]:
        """`events_in` on this thread, for a caller with nothing else to do meanwhile."""
        items, link = _page_parts(payload)
        return self._events_of(items, calendar), link

    def _events_of(
        self, page: list[dict[str, Any]], calendar: CalendarRef, in_thread: bool = False
    ) -> list[Event]:
        events: list[Event] = []
        for index, obj in enumerate(page, 1):
            if _has_id(obj):
                events.append(Event.from_json(obj, calendar.mailbox, calendar, self._tz))
            if in_thread and index % jsonpages.YIELD_EVERY == 0:
                time.sleep(0)  # let a waiting UI thread have the lock now
        return events

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
        check_window(start, end)
        return await delta.calendar_view_delta(
            self, target, start, end, delta_link, page_size or self._page_size, on_page
        )

    async def events(self, calendar: CalendarRef) -> AsyncIterator[list[Event]]:
        """Single events and series masters (occurrences not expanded), one list per page."""
        query = httpx.QueryParams({"$select": EVENT_SELECT, "$top": str(self._page_size)})
        async for page in self._pages(f"{urls.events_path(calendar)}?{query}"):
            yield [
                Event.from_json(obj, calendar.mailbox, calendar, self._tz)
                for obj in page
                if _has_id(obj)
            ]

    async def event(self, ref: EventRef) -> Event:
        query = httpx.QueryParams({"$select": EVENT_SELECT})
        obj = await self._get_json(f"{ref.path}?{query}")
        return Event.from_json(obj, ref.mailbox, ref.calendar, self._tz)

    async def cancel_event(self, ref: EventRef, comment: str | None) -> CancelOutcome:
        """Cancel a meeting the user organizes; attendees get a notice with the comment.

        Returns when the cancel went through (`checked=True` if that was established by
        looking at the event after Graph's answer was lost). Raises OrganizerRequired,
        NotFound or another GraphError when Graph refused; CancelNotSent when it certainly
        did not happen (safe to offer "send again"); CancelOutcomeUnknown when even the
        check failed (never re-send blindly). Asking again while the same cancel is in
        flight waits for that one: pressing send twice sends once.
        """
        key = (ref.mailbox.key, ref.event_id)
        running = self._cancels.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[CancelOutcome] = asyncio.get_running_loop().create_future()
        self._cancels[key] = future
        try:
            outcome = await self._cancel_once(ref, comment)
        except asyncio.CancelledError:
            # Abandoned mid-flight: whoever else waits cannot know whether it went.
            future.set_exception(CancelOutcomeUnknown(ref.event_id, "the request was abandoned"))
            future.exception()  # mark retrieved: nobody else may be waiting
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()
            raise
        else:
            future.set_result(outcome)
            return outcome
        finally:
            del self._cancels[key]

    async def _cancel_once(self, ref: EventRef, comment: str | None) -> CancelOutcome:
        try:
            response = await self._send("POST", ref.cancel_path, json_body=cancel_body(comment))
        except RequestOutcomeUnknown as unknown:
            reason = str(unknown)
            await self.policy.sleep(self.policy.settle)
            state = await self.cancel_state(ref)
            if state == "cancelled":
                return CancelOutcome(ref.event_id, unknown.request_id, checked=True)
            if state == "live":
                raise CancelNotSent(ref.event_id, reason, checked=True) from unknown
            raise CancelOutcomeUnknown(ref.event_id, reason) from unknown
        except GraphUnavailable as unavailable:
            raise CancelNotSent(ref.event_id, str(unavailable), checked=False) from unavailable
        return CancelOutcome(ref.event_id, response.headers.get("request-id"))

    async def cancel_state(self, ref: EventRef) -> CancelState | None:
        """Look at the event: "cancelled" if it is gone (404) or flagged cancelled, "live" if
        it is still there, None if that cannot be told (the check itself failed).

        A cancelled meeting moves to Deleted Items, where its default id no longer resolves,
        so a 404 for the id a cancel was sent to means the cancel went through.
        """
        query = httpx.QueryParams({"$select": "id,isCancelled"})
        try:
            obj = await self._get_json(f"{ref.path}?{query}")
        except NotFound as missing:
            return "cancelled" if missing.code in NOT_FOUND_CODES else None
        except (GraphError, GraphUnavailable):
            return None
        if obj.get("isCancelled") is True:
            return "cancelled"
        return "live" if isinstance(obj.get("id"), str) else None

    def cancel_many(
        self, refs: Iterable[EventRef], comment: str | None, *, check_first: bool = False
    ) -> BulkCancel:
        """Cancel many meetings through JSON batching.

        Iterate the returned BulkCancel for each event's outcome as it becomes known; its
        `stats` hold the figures. See `tui.graph.batch` for the rules (at most 20 per batch,
        4 batches at once per mailbox, per-item retries of throttled items only, nothing
        sent twice without a check). `check_first` looks at each event before sending, for
        retrying items whose outcome was unknown."""
        return BulkCancel(self, refs, comment, check_first=check_first)


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


def _has_id(obj: dict[str, Any]) -> bool:
    value = obj.get("id")
    return isinstance(value, str) and bool(value)


def _describe(failure: httpx.TransportError) -> str:
    if isinstance(failure, httpx.TimeoutException):
        return "Graph did not answer in time"
    if isinstance(failure, NOT_SENT):
        return f"cannot reach Graph: {failure}" if str(failure) else "cannot reach Graph"
    detail = str(failure) or failure.__class__.__name__
    return f"the connection to Graph failed: {detail}"

