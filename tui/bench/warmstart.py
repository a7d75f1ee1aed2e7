"""Scenario 9: `cal365 --demo` starting warm from a cache with a big window, on a 120x40 pty,
from process start to its first event rows, against a minimal Textual app's first paint.

The cache is made once (realistic events through the real store) and copied for each run:
the run's own sync replaces the window with the demo's events afterwards. It is stored with
`--cache plaintext`, an explicit choice, because a benchmark machine has no OS keyring; the
decryption of the one screen read first is measured in scenario 8 (a few milliseconds).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

from tui.bench.cache import CALENDAR, _Round, realistic_events
from tui.bench.coldstart import EMPTY_PAINT, FIRST_ROWS, _time
from tui.bench.pty import PtyProcess
from tui.cache import CacheStore, LastView, cache_path
from tui.cache.cipher import PlainCipher
from tui.graph.models import Event
from tui.sync import DEMO_OWNER
from tui.window import Window

DAYS = 14


def prepare(events: int, today: dt.date) -> Path:
    """A CAL365_HOME whose demo cache holds `events` events in the window the demo shows."""
    home = Path(tempfile.mkdtemp(prefix="cal365-bench-warm-"))
    path = cache_path("demo", home / "cache" / "demo")  # the demo's own cache directory
    path.parent.mkdir(mode=0o700, parents=True)
    store = CacheStore(path, PlainCipher(), DEMO_OWNER)
    start, end = Window("agenda", today, DAYS).bounds(dt.UTC)
    found: list[Event] = []
    asked = events
    while len(found) < events:
        # The bulk generator spills a busy fortnight into the days after: ask for more.
        found = [e for e in realistic_events(asked, today, DAYS)
                 if e.start is not None and e.end is not None and e.start < end
                 and e.end > start][:events]
        asked = asked * 5 // 4
    store.put_round(CALENDAR, start, end, _Round(found, delta_link=""))
    store.save_last_view(LastView(CALENDAR, today, DAYS, "agenda"))
    if store.count(CALENDAR, start, end) != len(found):
        raise RuntimeError("the benchmark cache does not hold the whole window")
    store.close()
    return home


def _warm(template: Path, today: dt.date) -> float:
    home = Path(tempfile.mkdtemp(prefix="cal365-bench-run-"))
    try:
        shutil.copytree(template, home, dirs_exist_ok=True)
        env = dict(os.environ, CAL365_HOME=str(home))
        # No --date: the window is the one the cache remembers, as on a user's warm start.
        argv = [sys.executable, "-m", "tui.cli", "--demo", "--timezone", "UTC",
                "--cache", "plaintext"]
        with PtyProcess(argv, env=env) as proc:
            seconds = proc.read_until(FIRST_ROWS, 30)
        if seconds is None:
            raise RuntimeError("cal365 --demo painted no rows from its cache within 30 s")
        return seconds
    finally:
        shutil.rmtree(home, ignore_errors=True)


def pair(template: Path, today: dt.date) -> tuple[float, float]:
    """(empty app first paint, warm cal365 first rows), seconds since each process start."""
    empty = _time([sys.executable, "-m", "tui.bench.empty_app"], EMPTY_PAINT)
    return empty, _warm(template, today)
