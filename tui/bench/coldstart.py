"""Scenario 1: `cal365 --demo` from process start to its first event rows on a 120x40 pty,
against a minimal Textual app's first paint in the same run."""

from __future__ import annotations

import os
import re
import sys

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


def pair() -> tuple[float, float]:
    """(empty app first paint, cal365 --demo first rows), seconds since each process start."""
    empty = _time([sys.executable, "-m", "tui.bench.empty_app"], EMPTY_PAINT)
    cal365 = _time([sys.executable, "-m", "tui.cli", "--demo"], FIRST_ROWS)
    return empty, cal365


def warm_up() -> None:
    """One unmeasured start of each: writes the bytecode cache and warms the file cache."""
    pair()
