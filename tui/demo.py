"""The demo's fake Graph, run as a child process of `cal365 --demo`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys


class DemoServer:
    """Starts the fake at once; `address()` waits for it only when cal365 needs it."""

    def __init__(self, today: dt.date | None) -> None:
        argv = [sys.executable, "-m", "tui.fake.child"]
        if today is not None:
            argv += ["--today", today.isoformat()]
        # stdin stays open while cal365 runs: the child stops when it closes, even if
        # cal365 is killed. Its stderr would scribble over the TUI, so it is dropped.
        self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, text=True)

    def address(self) -> tuple[str, str]:
        """(base URL, token) of the running fake; RuntimeError if it did not start."""
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        try:
            info = json.loads(line)
            return str(info["base_url"]), str(info["token"])
        except (ValueError, KeyError, TypeError) as exc:
            raise RuntimeError("the demo's fake Graph did not start") from exc

    def stop(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
