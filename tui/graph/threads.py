"""Work the Graph layer does in threads, off the caller's event loop: the TLS trust store,
httpx's transport modules, and decoding or parsing big pages."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import ssl
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import httpx

_T = TypeVar("_T")


async def in_thread(function: Callable[..., _T], *args: Any) -> _T:
    """`function(*args)` in a worker thread, off the event loop.

    The result travels in a box emptied on arrival: asyncio keeps a finished thread future
    in a reference cycle until the cyclic collector runs, and a page of events must not
    stay alive that long.
    """
    box = await asyncio.to_thread(lambda: [function(*args)])
    return box.pop()


def trusting_nothing() -> Future[ssl.SSLContext]:
    """For a plain-HTTP Graph (loopback only: see the CLI's URL check) no trust store is
    loaded: a TLS context that trusts no certificate (links to other servers are refused
    before any request, see `Transport.send`)."""
    box: Future[ssl.SSLContext] = Future()
    box.set_result(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
    return box


def tls_context_soon() -> Future[ssl.SSLContext]:
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


_MODULES = ("httpcore", "h11", "anyio._backends._asyncio", "httpcore._backends.anyio")
_modules_lock = threading.Lock()
_modules: Future[None] | None = None


def http_modules_soon() -> Future[None]:
    """httpx loads its transport (httpcore, h11, anyio's asyncio backend: some 75 modules,
    about 50 ms) at the first request, on the caller's event loop, where a UI then stalls.
    They load in a thread from the first client's creation instead, and the first request
    awaits that (the loop stays free meanwhile; the thread's imports interleave with it)."""
    global _modules
    with _modules_lock:
        if _modules is not None:
            return _modules
        box: Future[None] = Future()
        _modules = box

    def load() -> None:
        try:
            for name in _MODULES:
                with contextlib.suppress(ImportError):
                    importlib.import_module(name)
        finally:  # whatever happened, the first request goes ahead (and imports the rest)
            box.set_result(None)

    threading.Thread(target=load, name="cal365-http-modules", daemon=True).start()
    return box
