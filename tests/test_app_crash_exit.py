"""The app, run as `cal365 --demo` on a terminal, exits non-zero when it crashes and zero
when the user quits."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DEMO_TODAY

# `cal365 --demo` as the console script runs it, with a fault put into the app when asked.
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


def run_on_a_pty(mode: str, keys: list[bytes], home: Path, timeout: float = 60) -> tuple[int, str]:
    """Run the app on a 100x30 pty, type `keys` once it shows events; its exit status and
    everything it wrote."""
    if not hasattr(os, "openpty"):
        pytest.skip("needs a pty")
    leader, follower = os.openpty()
    env = {**os.environ, "CAL365_HOME": str(home), "TERM": "xterm-256color",
           "COLUMNS": "100", "LINES": "30", "CAL365_TIMEZONE": "Europe/Berlin"}
    env.pop("CAL365_ACCESS_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-c", _RUN, mode, DEMO_TODAY.isoformat()], stdin=follower,
        stdout=follower, stderr=follower, env=env, close_fds=True, start_new_session=True)
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + timeout
    typed = False
    try:
        while process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not end: {seen[-2000:]!r}")
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
            if not typed and b"Calendar:" in seen:  # the status line once events show
                time.sleep(0.3)
                for key in keys:
                    os.write(leader, key)
                    time.sleep(0.2)
                typed = True
        while True:  # what is left after it ended
            ready, _, _ = select.select([leader], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        return process.wait(timeout=10), seen.decode("utf-8", "replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)


def test_a_crash_exits_non_zero(tmp_path: Path) -> None:
    code, output = run_on_a_pty("crash", [b"?"], tmp_path)
    assert code != 0
    assert "forced crash for the test" in output
    assert "the app stopped on an unexpected error" in output


def test_quitting_exits_zero(tmp_path: Path) -> None:
    code, output = run_on_a_pty("quit", [b"q"], tmp_path)
    assert code == 0, output[-2000:]
    assert "unexpected error" not in output
