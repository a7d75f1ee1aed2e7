"""Scenario 6: bytes cal365 writes to a real 120x40 pty per cursor move and per page-down."""

from __future__ import annotations

import os
import re
import statistics
import sys

from tui.bench.coldstart import FIRST_ROWS
from tui.bench.procs import Server
from tui.bench.pty import PtyProcess

DOWN = b"\x1b[B"
PAGE_DOWN = b"\x1b[6~"
QUIET = 0.25


def measure(server: Server, days: int, presses: int,
            module: str = "tui.cli") -> dict[str, float]:
    """Median bytes per down-arrow and per page-down, and the bytes of the first screen."""
    # No calendar cache: the token's account would have one (its claims name it), and this
    # scenario measures the painting of events streamed from Graph, as it always has.
    env = dict(os.environ, CAL365_ACCESS_TOKEN=server.token, CAL365_CACHE="off")
    argv = [sys.executable, "-m", module, "--graph-url", server.base_url, "--timezone", "UTC",
            "--date", server.today.isoformat(), "--days", str(days)]
    with PtyProcess(argv, env=env) as proc:
        if proc.read_until(FIRST_ROWS, 30) is None:
            raise RuntimeError("cal365 painted no events")
        proc.read_until_quiet(QUIET * 2, 30)
        startup = len(proc.output)
        downs, pages = [], []
        for _ in range(presses):
            proc.send(DOWN)
            downs.append(proc.read_until_quiet(QUIET, 5))
        for _ in range(presses):
            proc.send(PAGE_DOWN)
            pages.append(proc.read_until_quiet(QUIET, 5))
        if not re.search(rb"\x1b\[", proc.output):
            raise RuntimeError("no terminal output seen")
    return {"startup": float(startup), "down": statistics.median(downs),
            "page_down": statistics.median(pages)}
