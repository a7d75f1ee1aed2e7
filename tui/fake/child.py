"""The demo's fake Graph in a child process of its own.

`cal365 --demo` needs a server before its first screen: building the demo mailbox and importing
the HTTP server take about 60 ms of interpreter time, and serving competes with the app for the
interpreter lock. Forked off (see `tui.forking`), it runs on another core and the app starts as
it would against a remote Graph. The socket is bound before the fork, so the address is known
at once and early requests wait in its backlog. Where forking is not safe the caller serves
from a thread, as the tests do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import time

from tui.forking import can_fork, end_with_parent, forget_private, fork, keep_private, quiet_child

from .token import DEMO_TOKEN


class ChildGraph:
    """The fake Graph served by a forked child; it ends with `stop()` or with this process."""

    def __init__(self, pid: int, lifeline: int, port: int, token: str) -> None:
        self._pid = pid
        self._lifeline = lifeline  # its closing, also by the kernel when we die, ends the child
        self.port = port
        self.token = token

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1.0"

    def stop(self) -> None:
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
    """The demo service in a forked child, or None where forking is not safe here."""
    if not can_fork():
        return None
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    listening.listen(128)
    port = listening.getsockname()[1]
    read_end, write_end = os.pipe()
    pid = fork()
    if pid is None:
        for fd in (read_end, write_end):
            os.close(fd)
        listening.close()
        return None
    if pid == 0:  # the child: serve until the lifeline closes, and never return
        code = 1
        try:
            os.close(write_end)
            _serve(listening, read_end, today, token)
            code = 0
        finally:
            os._exit(code)
    os.close(read_end)
    listening.close()
    keep_private(write_end)
    return ChildGraph(pid, write_end, port, token)


def _serve(listening: socket.socket, lifeline: int, today: dt.date | None, token: str) -> None:
    quiet_child()
    end_with_parent()  # also when the app was killed and a lifeline copy lingers somewhere
    from .server import FakeGraph

    FakeGraph(today=today, token=token, port=listening.getsockname()[1]).start(listening)
    while os.read(lifeline, 1):  # blocks until the app's process closes it or dies
        pass
    # Then gone at once, its serving threads with it: it keeps nothing that needs saving.
