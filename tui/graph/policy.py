"""How cal365 behaves on the wire: timeouts, retries, waits, and per-mailbox concurrency.

One policy object serves every request the client sends. Graph throttles each app per
mailbox (at most 4 requests at once, 429 with Retry-After past it) and has bad minutes
(503/504), so reads are retried with Graph's own wait or with capped, jittered backoff.
Writes are not retried here unless the server said it did not process them (429): a cancel
notifies every attendee, so an unknown outcome is resolved by the client, not by re-sending.

The clock, the sleep and the random source are injectable so tests never wait for real.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

import httpx

RETRY_STATUSES = frozenset({429, 503, 504})
MAILBOX_CONCURRENCY = 4

WaitReason = Literal["throttled", "unavailable", "network"]


@dataclass(frozen=True, slots=True)
class WaitNotice:
    """The client is about to wait before trying again; the UI may show `message`."""

    mailbox: str  # the mailbox key the request addressed ("me", "user:…", "group:…", "")
    reason: WaitReason
    seconds: float
    attempt: int  # 1 for the first retry
    status: int | None = None  # the HTTP status that caused it, if any
    method: str = "GET"
    timed_out: bool = False  # a network wait because Graph did not answer in time

    @property
    def message(self) -> str:
        wait = f"{self.seconds:.0f} s" if self.seconds >= 1 else "a moment"
        if self.timed_out:
            return f"Graph did not answer in time; retrying in {wait}"
        if self.reason == "throttled":
            return f"Graph is throttling requests; retrying in {wait}"
        if self.reason == "unavailable":
            return f"Graph is unavailable ({self.status}); retrying in {wait}"
        return f"network problem; retrying in {wait}"


WaitObserver = Callable[[WaitNotice], None]
Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], dt.datetime]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class RetryPolicy:
    """Timeouts and retry timing; one instance per client."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    write_timeout: float = 30.0
    max_retries: int = 4  # retries after the first attempt
    base_delay: float = 0.5  # first backoff step when Graph gives no Retry-After
    max_delay: float = 30.0  # cap of one backoff step
    max_retry_after: float = 60.0  # cap of a server-given wait
    settle: float = 1.0  # pause before checking whether a timed-out write went through
    # A batch runs its requests one after another, so it may take this many times longer.
    batch_timeout_factor: float = 4.0
    # The read timeout restarts with every byte, so a body that trickles in would never time
    # out: each request, its answer read whole, must be done within `deadline` seconds.
    deadline: float = 120.0
    # Past this size an answer is not read on (memory stays bounded whatever a server sends).
    max_body_bytes: int = 128 * 1024 * 1024
    # A listing following nextLinks stops with an error past this many pages: more than any
    # window holds at Graph's page sizes (a server sending fresh links forever is bounded).
    max_pages: int = 5000
    sleep: Sleep = asyncio.sleep
    clock: Clock = _utcnow
    rng: random.Random = field(default_factory=random.Random)

    @property
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.write_timeout,
            pool=None,  # waiting for a pooled connection is bounded by the mailbox limiter
        )

    def retry_after(self, value: str | None) -> float | None:
        """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), capped."""
        if not value:
            return None
        value = value.strip()
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            seconds = (when - self.clock()).total_seconds()
        if seconds != seconds:  # NaN
            return None
        return min(max(seconds, 0.0), self.max_retry_after)

    def another_try(self, failures: int) -> bool:
        """Whether something that failed `failures` times in a row without taking effect (a
        request, or one request inside a batch) may be sent once more: the one bound on
        tries that every retry in cal365 keeps."""
        return failures <= self.max_retries

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter for retry number `attempt` (1-based), capped."""
        step = min(self.base_delay * 2.0 ** max(attempt - 1, 0), self.max_delay)
        return step / 2 + self.rng.random() * step / 2

    def delay(self, headers: httpx.Headers | dict[str, str] | None, attempt: int) -> float:
        """Graph's Retry-After when it gave one, else backoff."""
        value: str | None = None
        if headers is not None:
            value = next(
                (str(v) for k, v in headers.items() if k.lower() == "retry-after"), None
            )
        given = self.retry_after(value)
        return given if given is not None else self.backoff(attempt)


class MailboxLimiter:
    """At most `limit` requests in flight per mailbox key, shared by everything a client sends."""

    def __init__(self, limit: int = MAILBOX_CONCURRENCY) -> None:
        self.limit = limit
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._in_flight: dict[str, int] = {}
        self.peak: dict[str, int] = {}

    def slot(self, mailbox: str) -> _Slot:
        """One of `mailbox`'s slots, held while `async with` runs its body."""
        semaphore = self._slots.get(mailbox)
        if semaphore is None:
            semaphore = self._slots[mailbox] = asyncio.Semaphore(self.limit)
        return _Slot(mailbox, semaphore, self._in_flight, self.peak)


class _Slot:
    """A plain object, not a generator-based context manager: a request's slot must not
    leave an async generator for the loop to track and finalize (an interrupt landing in
    that bookkeeping is printed as an ignored exception)."""

    def __init__(self, mailbox: str, semaphore: asyncio.Semaphore,
                 in_flight: dict[str, int], peak: dict[str, int]) -> None:
        self._mailbox = mailbox
        self._semaphore = semaphore
        self._in_flight = in_flight
        self._peak = peak

    async def __aenter__(self) -> None:
        await self._semaphore.acquire()
        count = self._in_flight.get(self._mailbox, 0) + 1
        self._in_flight[self._mailbox] = count
        self._peak[self._mailbox] = max(self._peak.get(self._mailbox, 0), count)

    async def __aexit__(self, *exc: object) -> None:
        self._in_flight[self._mailbox] -= 1
        self._semaphore.release()


# Transport failures after which the server cannot have seen the request.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
