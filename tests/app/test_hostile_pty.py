"""The real app in a pseudo-terminal against `python -m tui.fake --hostile`: the
bytes that reach the terminal carry none of the server's escapes (an OSC 52 clipboard write),
C1 controls or bidi overrides, while its events are shown."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest

# What the hostile fake puts in every text field, as UTF-8 on the wire to the terminal.
FORBIDDEN = {
    "OSC 52 clipboard write": b"\x1b]52;c;ZXZpbA==",
    "U+202E right-to-left override": "\u202e".encode(),
    "U+009B CSI": "\x9b".encode(),
    "U+0085 NEL": "\x85".encode(),
}


def _read(fd: int, until: Callable[[bytes], bool], seconds: float, seen: bytearray) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                return until(bytes(seen))
            if not chunk:
                return until(bytes(seen))
            seen.extend(chunk)
        if until(bytes(seen)):
            return True
    return until(bytes(seen))


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_the_terminal_receives_no_hostile_bytes(tmp_path: Path) -> None:
    fake = subprocess.Popen(
        [sys.executable, "-m", "tui.fake", "--today", "2026-11-23", "--hostile"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert fake.stdout is not None
        words = fake.stdout.readline().split()  # cal365 fake Graph at URL token=TOKEN
        url, token = words[4], words[5].removeprefix("token=")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CAL365_")}
        env.update(CAL365_ACCESS_TOKEN=token, CAL365_GRAPH_URL=url, CAL365_HOME=str(tmp_path),
                   CAL365_TIMEZONE="America/New_York", TERM="xterm-256color",
                   HOME=str(tmp_path), COLUMNS="140", LINES="45")
        pid, fd = pty.fork()
        if pid == 0:  # the app, in the pty
            with contextlib.suppress(BaseException):
                os.execvpe(sys.executable, [sys.executable, "-m", "tui", "--date",
                                            "2026-11-23"], env)
            os._exit(127)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 140, 0, 0))
        seen = bytearray()
        try:
            assert _read(fd, lambda b: b"Daily stand-up" in b and b"could not be read" in b,
                         60, seen), bytes(seen)[-2000:]
            for key in (b"j", b"j", b"\r", b"j", b"o", b"\x1b", b"G", b"o"):
                os.write(fd, key)
                _read(fd, lambda b: False, 0.4, seen)
            os.write(fd, b"q")
            _read(fd, lambda b: False, 5, seen)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)
    finally:
        fake.terminate()
        fake.wait(10)
    data = bytes(seen)
    assert b"Traceback" not in data
    for name, sequence in FORBIDDEN.items():
        assert sequence not in data, f"{name} reached the terminal"
    assert b"evil" in data  # the hostile text itself was on screen, made inert
