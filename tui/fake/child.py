"""The demo's fake Graph in a child process of its own.

`cal365 --demo` needs a server before its first screen: building the demo mailbox and importing
the HTTP server take about 60 ms of interpreter time, and serving competes with the app for the
interpreter lock. Forked off (`tui.startup.forking`), it runs on another core and the app starts as
it would against a remote Graph. The socket is bound before the fork, so the address is known
at once and early requests wait in its backlog. Where forking is not safe the caller serves
from a thread, as the tests do.

It forks through `tui.startup.forking.spawn`, not a copy of its own: the descriptors each
child must not inherit (its lifeline, kept from the head start's child forked after it) are
one registry for the whole process, and that module imports nothing of cal365, so the fake
stays apart from the Graph client it checks.

A child that cannot serve (its demo mailbox or its server failed to build) says why on its
pipe before it ends, and `ChildGraph.wait_ready` turns that, or its silent end,
into `DemoNotStarted`: one clear message before the app starts, never a screen of refused
connections.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from typing import BinaryIO

from tui.startup.forking import Child, can_fork, spawn

from .token import DEMO_TOKEN

_READY = b"ready\n"
READY_TIMEOUT = 15.0  # seconds; it is ready in about 60 ms on an idle machine


class DemoNotStarted(Exception):
    """The demo's fake Graph could not start; the message says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the demo service did not start: {reason}")
        self.reason = reason


def reason_for(error: BaseException) -> str:
    """An exception in a line a user can read (no traceback: the child has no terminal)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror + (f" ({error.filename})" if error.filename else "")
    text = " ".join(str(error).split())
    return f"{error.__class__.__name__}: {text}" if text else error.__class__.__name__


class ChildGraph:
    """The fake Graph served by a forked child; it ends with `stop()` or with this process."""

    def __init__(self, child: Child, port: int, token: str) -> None:
        self._child = child
        self._checked = False
        self.port = port
        self.token = token

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Return once the child serves; raise DemoNotStarted (the child stopped) if it
        failed, ended, or is still not serving after `timeout` seconds.

        Called at the last moment before the app needs the service, so the child's start-up
        has run beside the app's and this seldom waits."""
        if self._checked:
            return
        self._checked = True
        # The child writes "ready" or why it failed, and closes its end.
        answer = self._child.read(timeout)
        if answer is None:
            self.stop()
            raise DemoNotStarted(f"it did not answer within {timeout:g} s")
        if answer != _READY:  # nothing at all: killed, or out of memory
            self.stop()
            reason = answer.decode("utf-8", "replace").strip()
            raise DemoNotStarted(reason or "it ended before it was ready")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1.0"

    def stop(self) -> None:
        self._child.stop(grace=2.0)


def start_child(today: dt.date | None, token: str = DEMO_TOKEN) -> ChildGraph | None:
    """The demo service in a forked child, or None where forking is not safe here.

    Raises DemoNotStarted when no loopback socket or pipe can be had. Whether the child
    serves is known from `ChildGraph.wait_ready`."""
    if not can_fork():
        return None
    try:
        listening = _listening_socket()
    except OSError as error:
        raise DemoNotStarted(f"no loopback socket for it: {reason_for(error)}") from None
    port = listening.getsockname()[1]
    try:
        # It serves until this process stops it or is gone, killed too.
        child = spawn(lambda answer: _serve(listening, answer, today, token), serve=True)
    except OSError as error:
        raise DemoNotStarted(reason_for(error)) from None
    finally:
        listening.close()  # the child has its own
    return None if child is None else ChildGraph(child, port, token)


def _listening_socket() -> socket.socket:
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(("127.0.0.1", 0))
        listening.listen(128)
    except OSError:
        listening.close()
        raise
    return listening


def _serve(listening: socket.socket, answer: BinaryIO, today: dt.date | None,
           token: str) -> None:
    # It stands in for the network: on a machine with few cores it must not take CPU time
    # from the app it serves while that starts (its requests still get the idle cores).
    with contextlib.suppress(OSError):
        os.nice(10)
    try:
        from .server import FakeGraph

        FakeGraph(today=today, token=token, port=listening.getsockname()[1]).start(listening)
    except BaseException as error:  # whatever it was, the app must hear of it, not a refusal
        _tell(answer, reason_for(error).encode("utf-8", "replace")[:2000] + b"\n")
        raise
    _tell(answer, _READY)
    # Then it serves until the app stops it: gone at once, its serving threads with it; it
    # keeps nothing that needs saving.


def _tell(answer: BinaryIO, line: bytes) -> None:
    with contextlib.suppress(OSError):  # the app is gone: nobody to tell
        answer.write(line)
        answer.flush()
