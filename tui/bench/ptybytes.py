"""Scenario 6: bytes cal365 writes to a real 120x40 pty per cursor move and per page-down."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field

from tui.bench.coldstart import FIRST_ROWS
from tui.bench.procs import Server
from tui.bench.pty import PtyProcess

DOWN = b"\x1b[B"
UP = b"\x1b[A"
PAGE_DOWN = b"\x1b[6~"
QUIET = 0.25
# A held key: terminals repeat it every 30-40 ms (xterm's and the Linux console's default).
REPEAT = 0.033


@dataclass
class Moves:
    """What cal365 wrote: the first screen, each single move and page-down, and per move
    of a held key (the bytes of the whole burst and its settling, over its moves)."""

    startup: int
    downs: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    held: float | None = None
    scrolls: list[int] = field(default_factory=list)


def measure(server: Server, days: int, presses: int, module: str = "tui.cli",
            held: int = 0, scrolls: int = 0, size: tuple[int, int] = (120, 40)) -> Moves:
    """`presses` single down-arrows, each read until the screen is quiet, then `scrolls`
    more (past the first page, the table scrolls on each), then `held` up-arrows at a
    key's repeat rate (back up within the page, as far as it goes: the table does not
    scroll, what is measured is the details pane's share), then `presses` page-downs.
    `size`: the pty's columns and lines."""
    # No calendar cache: the token's account would have one (its claims name it), and this
    # scenario measures the painting of events streamed from Graph, as it always has.
    env = dict(os.environ, CAL365_ACCESS_TOKEN=server.token, CAL365_CACHE="off")
    argv = [sys.executable, "-m", module, "--graph-url", server.base_url, "--timezone", "UTC",
            "--date", server.today.isoformat(), "--days", str(days)]
    with PtyProcess(argv, env=env, columns=size[0], lines=size[1]) as proc:
        if proc.read_until(FIRST_ROWS, 30) is None:
            raise RuntimeError("cal365 painted no events")
        proc.read_until_quiet(QUIET * 2, 30)
        moves = Moves(len(proc.output))
        for _ in range(presses):
            proc.send(DOWN)
            moves.downs.append(proc.read_until_quiet(QUIET, 5))
        for _ in range(scrolls):
            proc.send(DOWN)
            moves.scrolls.append(proc.read_until_quiet(QUIET, 5))
        if held:
            burst = 0
            for _ in range(held):
                proc.send(UP)
                burst += proc.read_for(REPEAT)
            burst += proc.read_until_quiet(QUIET, 5)
            moves.held = burst / held
        for _ in range(presses):
            proc.send(PAGE_DOWN)
            moves.pages.append(proc.read_until_quiet(QUIET, 5))
        if not re.search(rb"\x1b\[", proc.output):
            raise RuntimeError("no terminal output seen")
    return moves
