"""`cal365 --demo` as a whole process on a pty, for tests of how it starts, ends and dies."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DEMO_TODAY

# `cal365 --demo` as the console script runs it; "crash" puts a fault into the app (`?`).
_RUN = """\
import sys
from tui.app import Cal365App
if sys.argv[1] == "crash":
    def boom(self):
        raise RuntimeError("forced crash for the test")
    Cal365App.action_help = boom
from tui.cli import main
sys.exit(main(["--demo", "--date", sys.argv[2]]))
"""


class PtyApp:
    """The app on a 100x30 pty; `output` is everything it wrote so far."""

    def __init__(self, home: Path, mode: str = "plain") -> None:
        if not hasattr(os, "openpty"):
            pytest.skip("needs a pty")
        self.leader, follower = os.openpty()
        env = {**os.environ, "CAL365_HOME": str(home), "TERM": "xterm-256color",
               "COLUMNS": "100", "LINES": "30", "CAL365_TIMEZONE": "Europe/Berlin"}
        env.pop("CAL365_ACCESS_TOKEN", None)
        self.process = subprocess.Popen(
            [sys.executable, "-c", _RUN, mode, DEMO_TODAY.isoformat()], stdin=follower,
            stdout=follower, stderr=follower, env=env, close_fds=True, start_new_session=True)
        os.close(follower)
        self.seen = b""

    @property
    def output(self) -> str:
        return self.seen.decode("utf-8", "replace")

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.leader], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(self.leader, 65536)
        except OSError:
            return False
        self.seen += chunk
        return bool(chunk)

    def wait_for(self, text: bytes, timeout: float = 60) -> None:
        """Read until `text` has been written (after what was seen when called)."""
        start = len(self.seen)
        deadline = time.monotonic() + timeout
        while text not in self.seen[start:]:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"never saw {text!r}: {self.seen[-1500:]!r}")
            self._read(0.1)

    def type(self, *keys: bytes, gap: float = 0.05) -> None:
        for key in keys:
            os.write(self.leader, key)
            self._read(gap)

    def settle(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._read(0.05)

    def ended(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not end: {self.seen[-1500:]!r}")
            if not self._read(0.1):
                break
        while True:  # what it wrote as it ended
            before = len(self.seen)
            if not self._read(0.2) or len(self.seen) == before:
                break
        return self.process.wait(timeout=10)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill()
        os.close(self.leader)
