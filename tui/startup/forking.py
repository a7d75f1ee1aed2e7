"""Forking a helper process at start-up, where that is safe: `spawn` a child that answers on
a pipe, or run one `ForkedCall` in it and take its bytes.

Three pieces of start-up work run better in a process of their own than in a thread: the
demo's fake Graph, the head start's first request and the read of the sealed last frame. A
thread shares the interpreter lock with Textual's start-up, and a thread that waits on the
network gets the lock back only every few milliseconds while the UI thread is busy, so a
20 ms request took 300 ms. A forked child runs on another core, inheriting what this
process has imported already.

Forking is safe only while the process has one thread, and only where `fork` is the
platform's own way (not macOS, whose system libraries refuse to run in a forked child, and
not Windows): elsewhere callers use a thread.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import BinaryIO


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


class Child:
    """A forked child and the pipe it answers on (see `spawn`)."""

    def __init__(self, pid: int, answer: int, lifeline: int = -1) -> None:
        self.pid = pid
        self._answer = answer
        self._lifeline = lifeline  # its closing, by us or by the kernel when we die, ends it
        self._chunks: list[bytes] = []

    def read(self, wait: float) -> bytes | None:
        """All the child wrote, once it closes its end of the pipe within `wait` seconds;
        None if it has not by then (what came so far is kept for the next call)."""
        if self._answer < 0:
            return None
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([self._answer], [], [], left)[0]:
                return None
            chunk = os.read(self._answer, 1 << 16)
            if not chunk:  # it wrote it all
                self._close_answer()
                return b"".join(self._chunks)
            self._chunks.append(chunk)
        return None

    def ended_well(self) -> bool:
        """Wait for the child to end (call it once it has answered): whether it exited 0."""
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:  # reaped already (SIGCHLD ignored): judged by its answer
            status = 0
        self.pid = 0
        return status == 0

    def stop(self, grace: float = 0.0) -> None:
        """Close the pipes (which ends a child that serves until then) and, if it still
        runs after `grace` seconds, kill it."""
        self._close_answer()
        if self._lifeline >= 0:
            forget_private(self._lifeline)
            with contextlib.suppress(OSError):
                os.close(self._lifeline)
            self._lifeline = -1
        if not self.pid:
            return
        deadline = time.monotonic() + grace
        with contextlib.suppress(ChildProcessError):
            while not os.waitpid(self.pid, os.WNOHANG)[0]:
                if time.monotonic() >= deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.01)
        self.pid = 0

    def _close_answer(self) -> None:
        if self._answer >= 0:
            forget_private(self._answer)
            with contextlib.suppress(OSError):
                os.close(self._answer)
            self._answer = -1


def spawn(main: Callable[[BinaryIO], None], *, limit: float | None = None,
          serve: bool = False) -> Child | None:
    """Run `main(answer)` in a forked child that prints nothing and ends with this process
    (or after `limit` seconds); what it writes to `answer` comes back through `Child.read`.
    The child exits once `main` returns, 1 if it raised; with `serve`, only once this
    process calls `Child.stop` or is gone (a server's threads go on until then).

    None when forking is not safe here or the system refused (the caller uses a thread);
    OSError when there is no pipe for it."""
    if not can_fork():
        return None
    read_end, write_end = os.pipe()
    held = (-1, -1)
    if serve:
        try:
            held = os.pipe()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
    pid = fork()
    if pid is None:
        for fd in (read_end, write_end, *held):
            if fd >= 0:
                os.close(fd)
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read_end)
            if serve:
                os.close(held[1])
            quiet_child()
            end_with_parent(limit)
            with os.fdopen(write_end, "wb") as answer:
                main(answer)
            if serve:
                while os.read(held[0], 1):  # until this process closes it, or dies
                    pass
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    keep_private(read_end)  # not for a later child to hold
    if serve:
        os.close(held[0])
        keep_private(held[1])
    return Child(pid, read_end, held[1])


class ForkedCall:
    """`call()` run from now on in a forked child, its bytes handed back through a pipe; in
    a thread where forking is not safe. One answer, taken once with `result`."""

    def __init__(self, call: Callable[[], bytes | None], *, limit: float, name: str) -> None:
        self._answer: Future[bytes | None] = Future()
        self._answer.set_running_or_notify_cancel()

        def answer(pipe: BinaryIO) -> None:
            pipe.write(call() or b"")

        try:
            # Past `limit` the child is gone: whoever waits on it does without.
            self._child = spawn(answer, limit=limit)
        except OSError:  # no pipe to spare: a thread does it
            self._child = None
        if self._child is not None:
            atexit.register(self._child.stop)  # the app quit before it answered
            return
        threading.Thread(target=self._run, args=(call,), name=name, daemon=True).start()

    def _run(self, call: Callable[[], bytes | None]) -> None:
        try:
            self._answer.set_result(call())
        except BaseException:  # no answer: the caller goes on without it
            self._answer.set_result(None)

    @property
    def pid(self) -> int:
        """The child's process id until its answer is taken (0: none, or a thread)."""
        return self._child.pid if self._child is not None else 0

    def result(self, wait: float) -> bytes | None:
        """The bytes, if they come within `wait` seconds; None if not, or none came. A
        child that has not answered by then is ended."""
        child, self._child = self._child, None
        if child is not None:
            try:
                data = child.read(wait)
                data = data if data and child.ended_well() else None
            except (OSError, ValueError):  # an odd descriptor or child: no answer, no error
                data = None
            child.stop()
            self._answer.set_result(data)
        try:
            return self._answer.result(timeout=wait)
        except TimeoutError:
            return None
