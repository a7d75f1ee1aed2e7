"""The demo's fake Graph in a child process of its own.

`cal365 --demo` needs a server before its first screen: building the demo mailbox and importing
the HTTP server take about 60 ms of interpreter time, and serving competes with the app for the
interpreter lock. Forked off (`tui.startup.forking`), it runs on another core and the app starts as
it would against a remote Graph. The socket is bound before the fork, so the address is known
at once and early requests wait in its backlog. Where forking is not safe the caller serves
from a thread, as the tests do.

A child that cannot serve (its demo mailbox or its server failed to build) says why on a
pipe of its own before it ends, and `ChildGraph.wait_ready` turns that, or its silent end,
into `DemoNotStarted`: one clear message before the app starts, never a screen of refused
connections.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import select
import signal
import socket
import time

from tui.startup.forking import (
    can_fork,
    end_with_parent,
    forget_private,
    fork,
    keep_private,
    quiet_child,
)

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

    def __init__(self, pid: int, lifeline: int, port: int, token: str, status: int = -1) -> None:
        self._pid = pid
        self._lifeline = lifeline  # its closing, also by the kernel when we die, ends the child
        self._status = status  # the child writes "ready" or why it failed, then closes it
        self.port = port
        self.token = token

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Return once the child serves; raise DemoNotStarted (the child stopped) if it
        failed, ended, or is still not serving after `timeout` seconds.

        Called at the last moment before the app needs the service, so the child's start-up
        has run beside the app's and this seldom waits."""
        if self._status < 0:
            return
        answer = b""
        deadline = time.monotonic() + timeout
        try:
            while not answer.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._status], [], [], left)[0]:
                    raise DemoNotStarted(f"it did not answer within {timeout:g} s")
                chunk = os.read(self._status, 4096)
                if not chunk:
                    break  # it ended without a word: killed, or out of memory
                answer += chunk
        except DemoNotStarted:
            self.stop()
            raise
        finally:
            self._close_status()
        if answer != _READY:
            self.stop()
            reason = answer.decode("utf-8", "replace").strip()
            raise DemoNotStarted(reason or "it ended before it was ready")

    def _close_status(self) -> None:
        if self._status >= 0:
            os.close(self._status)
            forget_private(self._status)
            self._status = -1

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1.0"

    def stop(self) -> None:
        self._close_status()
        if self._lifeline < 0:
            return
        os.close(self._lifeline)
        forget_private(self._lifeline)
        self._lifeline = -1
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(self._pid, os.WNOHANG)[0]:
                    return
            time.sleep(0.01)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)


def start_child(today: dt.date | None, token: str = DEMO_TOKEN) -> ChildGraph | None:
    """The demo service in a forked child, or None where forking is not safe here.

    Raises DemoNotStarted when no loopback socket can be had. Whether the child serves is
    known from `ChildGraph.wait_ready`."""
    if not can_fork():
        return None
    try:
        listening = _listening_socket()
    except OSError as error:
        raise DemoNotStarted(f"no loopback socket for it: {reason_for(error)}") from None
    port = listening.getsockname()[1]
    try:
        read_end, write_end = os.pipe()
    except OSError as error:
        listening.close()
        raise DemoNotStarted(reason_for(error)) from None
    try:
        status_read, status_write = os.pipe()
    except OSError as error:
        for fd in (read_end, write_end):
            os.close(fd)
        listening.close()
        raise DemoNotStarted(reason_for(error)) from None
    pid = fork()
    if pid is None:
        for fd in (read_end, write_end, status_read, status_write):
            os.close(fd)
        listening.close()
        return None
    if pid == 0:  # the child: serve until the lifeline closes, and never return
        code = 1
        try:
            os.close(write_end)
            os.close(status_read)
            _serve(listening, read_end, status_write, today, token)
            code = 0
        finally:
            os._exit(code)
    os.close(read_end)
    os.close(status_write)
    listening.close()
    keep_private(write_end)
    keep_private(status_read)
    return ChildGraph(pid, write_end, port, token, status_read)


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


def _serve(listening: socket.socket, lifeline: int, status: int, today: dt.date | None,
           token: str) -> None:
    quiet_child()
    # It stands in for the network: on a machine with few cores it must not take CPU time
    # from the app it serves while that starts (its requests still get the idle cores).
    with contextlib.suppress(OSError):
        os.nice(10)
    end_with_parent()  # also when the app was killed and a lifeline copy lingers somewhere
    try:
        from .server import FakeGraph

        FakeGraph(today=today, token=token, port=listening.getsockname()[1]).start(listening)
    except BaseException as error:  # whatever it was, the app must hear of it, not a refusal
        _tell(status, reason_for(error).encode("utf-8", "replace")[:2000] + b"\n")
        raise
    _tell(status, _READY)
    while os.read(lifeline, 1):  # blocks until the app's process closes it or dies
        pass
    # Then gone at once, its serving threads with it: it keeps nothing that needs saving.


def _tell(status: int, line: bytes) -> None:
    with contextlib.suppress(OSError):  # the app is gone: nobody to tell
        os.write(status, line)
    with contextlib.suppress(OSError):
        os.close(status)
