"""Scenario 1: `cal365 --demo` from process start to its first event rows on a 120x40 pty,
against a minimal Textual app's first paint in the same run.

Timed two ways, which must agree: on a pty of the benchmark's own (the time from starting
the process to the bytes that paint the rows), and as a user sees it in tmux (the time from
tmux starting the command in a 120x40 pane to the rows in `tmux capture-pane`, polled)."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

from tui.bench.empty_app import MARK
from tui.bench.pty import PtyProcess
from tui.paths import private_dir

# The events pane's subtitle ("297 events") changes from "0 events" in the frame that paints
# the first page of rows.
FIRST_ROWS = re.compile(rb"[1-9][0-9]* events")
EMPTY_PAINT = re.compile(re.escape(MARK.encode()))


def _env() -> dict[str, str]:
    """Both programs start from compiled bytecode, as an installed copy does (pip compiles
    a package when it installs it). Where PYTHONDONTWRITEBYTECODE is set, cal365's modules
    in a checkout would otherwise be compiled again on every start while Textual's come
    precompiled: that measures the checkout, not the program. The bytecode goes to a cache
    of the benchmark's own, so the source tree stays clean."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(private_dir("cache") / "bench" / "pycache")
    return env


def _time(argv: list[str], pattern: re.Pattern[bytes], timeout: float = 30) -> float:
    with PtyProcess(argv, env=_env()) as proc:
        seconds = proc.read_until(pattern, timeout)
    if seconds is None:
        raise RuntimeError(f"{' '.join(argv[1:])}: nothing painted within {timeout:.0f} s")
    return seconds


# The same marks in the pane's text (capture-pane gives the screen as text, not bytes).
FIRST_ROWS_TEXT = re.compile(FIRST_ROWS.pattern.decode())
EMPTY_PAINT_TEXT = re.compile(re.escape(MARK))
COLUMNS, LINES = 120, 40
POLL = 0.005  # seconds between looks at the pane: each look is a tmux client process


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


def _tmux(socket: str, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["tmux", "-S", socket, "-f", os.devnull, *args], env=env,
                   capture_output=True, timeout=10, check=True)


class _Control:
    """One tmux client in control mode, asked for the pane's text again and again: a new
    `tmux capture-pane` process per look would take the CPU the program being timed needs."""

    def __init__(self, socket: str) -> None:
        self.proc = subprocess.Popen(
            ["tmux", "-S", socket, "-f", os.devnull, "-C", "attach-session", "-t", "bench",
             "-f", "ignore-size,no-output"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def screen(self) -> str:
        """The pane's text now (`capture-pane -p`)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("capture-pane -p -t bench\n")
        self.proc.stdin.flush()
        lines: list[str] = []
        inside = False
        for line in self.proc.stdout:
            if line.startswith("%begin"):
                inside, lines = True, []
            elif line.startswith(("%end", "%error")) and inside:
                return "".join(lines)
            elif inside:
                lines.append(line)
        raise RuntimeError("the tmux control client ended")

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _tmux_time(argv: list[str], pattern: re.Pattern[str], timeout: float = 30) -> float:
    """Seconds from tmux starting `argv` in a 120x40 pane to `pattern` on its screen.

    A tmux server of the run's own holds a pane that waits; the clock starts as the pane is
    respawned with the command, as when a shell starts it (the server's own start-up is not
    counted), and stops when a control-mode client sees the rows in the pane's text. The
    pane's TERM is the pty method's."""
    folder = tempfile.mkdtemp(prefix="cal365-bench-tmux-")  # the server's socket, removed
    socket = os.path.join(folder, "socket")
    env = dict(_env(), TERM="xterm-256color")
    env.pop("TMUX", None)  # a server of its own, even when the benchmark runs inside tmux
    control = None
    try:
        _tmux(socket, "new-session", "-d", "-x", str(COLUMNS), "-y", str(LINES), "-s", "bench",
              "sleep 600", env=env)
        _tmux(socket, "set-option", "-g", "default-terminal", "xterm-256color")
        control = _Control(socket)
        control.screen()  # attached and answering before the clock starts
        started = time.perf_counter()
        _tmux(socket, "respawn-pane", "-k", "-t", "bench", shlex.join(argv))
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if pattern.search(control.screen()):
                return time.perf_counter() - started
            time.sleep(POLL)
    finally:
        if control is not None:
            control.close()
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            _tmux(socket, "kill-server")
        shutil.rmtree(folder, ignore_errors=True)
    raise RuntimeError(f"{' '.join(argv[1:])}: nothing shown in tmux within {timeout:.0f} s")


def tmux_pair() -> tuple[float, float]:
    """`pair`, timed in tmux as a user sees it."""
    empty = _tmux_time([sys.executable, "-m", "tui.bench.empty_app"], EMPTY_PAINT_TEXT)
    cal365 = _tmux_time([sys.executable, "-m", "tui.cli", "--demo"], FIRST_ROWS_TEXT)
    return empty, cal365


def pair() -> tuple[float, float]:
    """(empty app first paint, cal365 --demo first rows), seconds since each process start."""
    empty = _time([sys.executable, "-m", "tui.bench.empty_app"], EMPTY_PAINT)
    cal365 = _time([sys.executable, "-m", "tui.cli", "--demo"], FIRST_ROWS)
    return empty, cal365


def warm_up() -> None:
    """One unmeasured start of each: writes the bytecode cache and warms the file cache."""
    pair()
