"""Run a program in a real pseudo-terminal and watch what it writes, byte for byte."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence


class PtyProcess:
    """A child process on a pty of a given size; `read_until` collects its output."""

    def __init__(self, argv: Sequence[str], *, columns: int = 120, lines: int = 40,
                 env: Mapping[str, str] | None = None) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        child_env = dict(os.environ if env is None else env)
        child_env.update({"TERM": "xterm-256color", "COLUMNS": str(columns),
                          "LINES": str(lines)})
        child_env.pop("TEXTUAL", None)  # no devtools
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(list(argv), stdin=slave, stdout=slave, stderr=slave,
                                     env=child_env, start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.output = bytearray()

    def read_for(self, seconds: float) -> int:
        """Collect output for `seconds`; the number of bytes read."""
        deadline = time.perf_counter() + seconds
        before = len(self.output)
        while (left := deadline - time.perf_counter()) > 0:
            self._read(left)
        return len(self.output) - before

    def read_until(self, pattern: re.Pattern[bytes], timeout: float,
                   start: int = 0) -> float | None:
        """Seconds since start-up when `pattern` first appears after offset `start`."""
        deadline = time.perf_counter() + timeout
        while True:
            if pattern.search(self.output, start):
                return time.perf_counter() - self.started
            left = deadline - time.perf_counter()
            if left <= 0 or (not self._read(left) and self.proc.poll() is not None):
                return None

    def read_until_quiet(self, quiet: float, timeout: float) -> int:
        """Read until nothing arrives for `quiet` seconds; the number of bytes read."""
        deadline = time.perf_counter() + timeout
        before = len(self.output)
        while time.perf_counter() < deadline:
            if not self._read(quiet):
                break
        return len(self.output) - before

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return False
        self.output += chunk
        return bool(chunk)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        with contextlib.suppress(OSError):
            os.close(self.master)

    def __enter__(self) -> PtyProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
