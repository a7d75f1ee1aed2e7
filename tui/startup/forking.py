"""Forking a helper process at start-up, where that is safe.

Two pieces of start-up work run better in a process of their own than in a thread: the
demo's fake Graph and the head start's first request. A thread shares the interpreter lock
with Textual's start-up, and a thread that waits on the network gets the lock back only
every few milliseconds while the UI thread is busy, so a 20 ms request took 300 ms. A
forked child runs on another core, inheriting what this process has imported already.

Forking is safe only while the process has one thread, and only where `fork` is the
platform's own way (not macOS, whose system libraries refuse to run in a forked child, and
not Windows): elsewhere callers use a thread.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time


def can_fork() -> bool:
    return (hasattr(os, "fork") and sys.platform.startswith(("linux", "freebsd", "openbsd"))
            and threading.active_count() == 1)


def quiet_child() -> None:
    """In a forked child: nothing it prints may reach the app's terminal, and a Ctrl+C
    there is the app's to handle."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# Descriptors this process keeps for itself (a child's lifeline): a later child must not
# hold them, or it would keep the first child alive after this process is gone.
_private: set[int] = set()


def keep_private(fd: int) -> None:
    _private.add(fd)


def forget_private(fd: int) -> None:
    _private.discard(fd)


def fork() -> int | None:
    """`os.fork()`; None when the system refused (the caller then uses a thread)."""
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:
        for fd in _private:
            with contextlib.suppress(OSError):
                os.close(fd)
        _private.clear()
    return pid


def end_with_parent(limit: float | None = None) -> None:
    """In a forked child: end it when the process that forked it is gone (killed too, so no
    clean-up of its ran), or after `limit` seconds."""
    parent = os.getppid()
    deadline = None if limit is None else time.monotonic() + limit

    def watch() -> None:
        while os.getppid() == parent and (deadline is None or time.monotonic() < deadline):
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="cal365-parent-watch", daemon=True).start()
