"""The one way cal365 talks to Graph: send a request under the policy, read JSON, follow
pages. Operations (`tui.graph.events`, `calendars`, `cancel`, `delta`, `batch`) build on
its public methods only.

Every request goes through one policy (`tui.graph.policy`): timeouts and an overall
deadline, retries of reads on 429/503/504 and network errors with Graph's Retry-After or
jittered backoff, writes retried only when the server cannot have processed them, and at
most four requests in flight per mailbox. Tokens go only to the Graph root the transport
was made for, in headers they cannot break out of.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import httpx

from tui.graph import paging, permissions, threads
from tui.graph.errors import (
    AuthenticationRequired,
    GraphError,
    GraphUnavailable,
    RequestOutcomeUnknown,
    error_from_response,
)
from tui.graph.paging import Body, Page
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
from tui.graph.urls import mailbox_key

if TYPE_CHECKING:
    import ssl

# Above this size a body is decoded in a worker thread, off the caller's event loop.
THREAD_PARSE_BYTES = 256 * 1024
# What a bearer token may hold: visible ASCII (RFC 6750's b64token is a subset).
_TOKEN = re.compile(r"[\x21-\x7e]+")


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


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port, as compared to decide where a token may go."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: no origin of ours
        port = -1
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)


class Transport:
    """Sends requests to one Graph root over httpx; every method raises GraphError or
    GraphUnavailable (RequestOutcomeUnknown for a write that may have been processed).

    `on_wait` is called (no UI in here) before each wait, so a status bar can say
    "throttled, retrying in 3 s".
    """

    def __init__(
        self,
        base_url: str,
        token: str | TokenProvider,
        *,
        timezone: str = "UTC",
        transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
        on_wait: WaitObserver | None = None,
        mailbox_concurrency: int = MAILBOX_CONCURRENCY,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timezone = timezone
        self.policy = policy or RetryPolicy()
        self.on_wait = on_wait
        self.limiter = MailboxLimiter(mailbox_concurrency)
        self._tokens: TokenProvider = StaticToken(token) if isinstance(token, str) else token
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        # The TLS context being built (None: a test's own httpx transport needs none).
        self.tls: Future[ssl.SSLContext] | None = None
        self._modules: Future[None] | None = None
        if transport is None:
            self.tls = (threads.trusting_nothing() if self.base_url.lower().startswith("http://")
                        else threads.tls_context_soon())
            self._modules = threads.http_modules_soon()

    @property
    def http(self) -> httpx.AsyncClient:
        """The httpx client (made at the first request; a benchmark hooks its events)."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.policy.timeout,
                transport=self._transport,
                headers={"Accept": "application/json"},
                verify=self.tls.result() if self.tls is not None else True,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def headers(
        self, force_refresh: bool = False, scopes: frozenset[str] = frozenset()
    ) -> dict[str, str]:
        """The headers every request carries: the bearer token, the time zone wanted."""
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

    async def wait(self, notice: WaitNotice) -> None:
        """Tell the observer, then wait `notice.seconds` (the policy's sleep)."""
        if self.on_wait is not None:
            with contextlib.suppress(Exception):  # an observer must never break a request
                self.on_wait(notice)
        await self.policy.sleep(notice.seconds)

    async def send(
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
        reads: bool = False,
    ) -> httpx.Response:
        """One request under the policy.

        `mailbox` is the key it counts against (default: the one its path addresses);
        `prefer` adds preferences to the Prefer header; `on_attempt` is called for every
        HTTP request sent, retries included; `deadline` replaces the policy's overall one;
        `reads`: a POST that only reads (a `$batch` of GETs), retried and permitted as a read.

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
        scopes = permissions.needed("GET" if reads else method, key)
        idempotent = reads or method in ("GET", "HEAD")
        content = None if json_body is None else json.dumps(json_body).encode()
        timeout = self.policy.timeout
        if read_timeout is not None:
            timeout = httpx.Timeout(connect=timeout.connect, read=read_timeout,
                                    write=timeout.write, pool=timeout.pool)
        deadline = self.policy.deadline if deadline is None else deadline
        attempt = 0
        refreshed = force = False
        while True:
            headers = await self.headers(force_refresh=force, scopes=scopes)
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
                    # Shielded: every request waits on the same import, and wrap_future hands
                    # a waiter's cancel back to it. A request given up (a series load the
                    # cursor left) cancelled it, and with it the profile and calendar loads.
                    await asyncio.shield(asyncio.wrap_future(self._modules))
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
                if (idempotent or not sent) and self.policy.another_try(attempt + 1):
                    attempt += 1
                    await self.wait(WaitNotice(
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
            if retryable and self.policy.another_try(attempt + 1):
                attempt += 1
                seconds = self.policy.delay(response.headers, attempt)
                reason_kind: WaitReason = "throttled" if status == 429 else "unavailable"
                await self.wait(WaitNotice(key, reason_kind, seconds, attempt, status, method))
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
        request = self.http.build_request(method, url, headers=headers, content=content,
                                          timeout=timeout)
        chunks: list[bytes] = []
        try:
            async with asyncio.timeout(deadline):
                response = await self.http.send(request, stream=True)
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

    # -- reading JSON ----------------------------------------------------------------------

    async def get_json(self, url: str) -> dict[str, Any]:
        """The JSON object Graph answered to a GET of `url`."""
        return await self.decode(await self.get_body(url))

    async def get_body(
        self, url: str, *, prefer: str | None = None, on_attempt: Callable[[], None] | None = None
    ) -> Body:
        """The body Graph answered to a GET of `url`, not yet decoded."""
        response = await self.send("GET", url, prefer=prefer, on_attempt=on_attempt)
        content = response.content
        # httpx links a response and its (finished) stream both ways, so the body would wait
        # for the cyclic collector; unlinking lets a megabyte page go as soon as it is parsed.
        response.stream = httpx.ByteStream(b"")
        return Body(content, response.status_code, response.headers.get("request-id"))

    async def decode(self, body: Body) -> dict[str, Any]:
        """A body as the JSON object it must be; GraphError for anything else."""
        # A page of events is megabytes of JSON: decoding it on the event loop would
        # freeze the UI for tens of milliseconds, so big bodies are decoded in a thread,
        # item by item so that the UI thread gets the interpreter lock in between.
        if len(body.content) > THREAD_PARSE_BYTES:
            return await threads.in_thread(paging.payload_of, body, True)
        return paging.payload_of(body)

    # -- listings --------------------------------------------------------------------------

    def pages(
        self, url: str, *, prefer: str | None = None, on_attempt: Callable[[], None] | None = None
    ) -> AsyncGenerator[Page[dict[str, Any]], None]:
        """Each page of the listing at `url`, following nextLinks (see `paging.follow`),
        the next page on its way while the caller handles this one. Close it (`aclose`)
        when stopping early: a page asked for ahead is then dropped at once."""

        def fetch(link: str) -> Awaitable[Body]:
            return self.get_body(link, prefer=prefer, on_attempt=on_attempt)

        async def decode(body: Body) -> paging.Decoded[dict[str, Any]]:
            payload = await self.decode(body)
            items, link = paging.page_parts(payload, body.status, body.request_id)
            return items, link, payload

        return paging.follow(url, fetch, decode, self.policy.max_pages)

    async def items(self, url: str) -> AsyncIterator[list[dict[str, Any]]]:
        """Each page's items (objects only) of the listing at `url`."""
        pages = self.pages(url)
        try:
            async for page in pages:
                yield page.items
        finally:
            await pages.aclose()  # now, not when the collector finds it: drops a prefetch

    async def all_items(self, url: str) -> list[dict[str, Any]]:
        """Every item of the listing at `url`, all pages."""
        found: list[dict[str, Any]] = []
        async for items in self.items(url):
            found.extend(items)
        return found


def _describe(failure: httpx.TransportError) -> str:
    if isinstance(failure, httpx.TimeoutException):
        return "Graph did not answer in time"
    if isinstance(failure, NOT_SENT):
        return f"cannot reach Graph: {failure}" if str(failure) else "cannot reach Graph"
    detail = str(failure) or failure.__class__.__name__
    return f"the connection to Graph failed: {detail}"
