"""What a warm start reads before the UI: the forked call (the frame's reader) and the
deferred opening."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from tui.startup import forking
from tui.startup.forking import ForkedCall
from tui.startup.opening import StartedOpen

FORKS = sys.platform.startswith(("linux", "freebsd", "openbsd")) and hasattr(os, "fork")


@pytest.fixture(params=["fork", "thread"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "fork":
        if not FORKS:
            pytest.skip("cal365 forks only on Linux and the BSDs")
        # The test runner may have threads of its own: fork all the same (the child only
        # runs the read, which takes no lock another thread could hold).
        monkeypatch.setattr(forking, "can_fork", lambda: True)
    else:
        monkeypatch.setattr(forking, "can_fork", lambda: False)
    return str(request.param)


def test_the_bytes_come_back(way: str) -> None:
    frame = b'{"v":1}' * 20_000  # more than a pipe holds at once
    read = ForkedCall(lambda: frame, limit=30, name="test")
    assert read.result(10) == frame


def test_a_failing_read_is_no_frame(way: str) -> None:
    def read() -> bytes:
        raise RuntimeError("the keyring is locked")

    assert ForkedCall(read, limit=30, name="test").result(10) is None


def test_nothing_is_no_frame(way: str) -> None:
    assert ForkedCall(lambda: None, limit=30, name="test").result(10) is None


def test_a_slow_read_is_given_up_and_its_child_ended(way: str) -> None:
    gate = threading.Event()

    def read() -> bytes:
        gate.wait(30) if way == "thread" else time.sleep(30)
        return b"late"

    reader = ForkedCall(read, limit=30, name="test")
    pid = reader.pid
    assert reader.result(0.2) is None
    if way == "fork":
        assert pid and reader.pid == 0
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # ended and reaped
    gate.set()


def test_the_answer_is_given_once_and_kept(way: str) -> None:
    reader = ForkedCall(lambda: b"frame", limit=30, name="test")
    assert reader.result(10) == b"frame"
    assert reader.result(0) == b"frame"


def test_a_deferred_opening_starts_when_asked() -> None:
    calls: list[str] = []
    opener = StartedOpen(lambda: calls.append("opened") or None, now=False)  # type: ignore[func-returns-value]
    time.sleep(0.05)
    assert calls == [] and not opener.ready()
    assert opener.wait(5) and calls == ["opened"]
    assert opener() is None and calls == ["opened"]
    assert opener.first_frame(0) is None
