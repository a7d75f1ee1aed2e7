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
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tui.bench.cache import CALENDAR, _Round, realistic_events
from tui.bench.coldstart import EMPTY_PAINT, FIRST_ROWS, _env, _time
from tui.bench.pty import PtyProcess
from tui.cache import CacheStore, LastView, cache_path
from tui.cache.cipher import PlainCipher
from tui.graph.models import Event
from tui.sync import DEMO_OWNER
from tui.window import Window

DAYS = 14
COLUMNS, LINES = 120, 40
HELP_SHOWN = re.compile(re.escape("cal365 — keys".encode()))


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


def prime(template: Path) -> Path:
    """A copy of `template` whose last session ended with q, sealing its screen; that
    session ran offline so the big window stays (see tui/bench/prime.py)."""
    primed = Path(tempfile.mkdtemp(prefix="cal365-bench-primed-"))
    shutil.copytree(template, primed, dirs_exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "tui.bench.prime", str(primed), str(COLUMNS),
                           str(LINES)], env=_env(), capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"sealing a frame failed: {done.stderr.strip()[-300:]}")
    return primed


def _warm(template: Path) -> tuple[float, float]:
    """(first rows, first key answered): seconds since process start."""
    home = Path(tempfile.mkdtemp(prefix="cal365-bench-run-"))
    try:
        shutil.copytree(template, home, dirs_exist_ok=True)
        # The copy (110 MB at 100,000 events) written out first, as a user's cache is: its
        # write-back must not run beside the start being measured.
        os.sync()
        env = dict(_env(), CAL365_HOME=str(home))  # compiled bytecode, as for the cold start
        # No --date: the window is the one the cache remembers, as on a user's warm start.
        argv = [sys.executable, "-m", "tui.cli", "--demo", "--timezone", "UTC",
                "--cache", "plaintext"]
        with PtyProcess(argv, env=env, columns=COLUMNS, lines=LINES) as proc:
            seconds = proc.read_until(FIRST_ROWS, 30)
            if seconds is None:
                raise RuntimeError("cal365 --demo painted no rows from its cache within 30 s")
            # Typed at once, as a user who knows the app does: answered once the main
            # screen is up (a key typed while the sealed frame shows waits for it).
            seen = len(proc.output)
            proc.send(b"?")
            answered = proc.read_until(HELP_SHOWN, 30, start=seen)
        if answered is None:
            raise RuntimeError("cal365 --demo did not answer ? within 30 s")
        return seconds, answered
    finally:
        shutil.rmtree(home, ignore_errors=True)


@dataclass(frozen=True)
class Run:
    empty: float
    """The minimal Textual app's first paint."""
    sealed: float
    """First rows, from the frame the last session sealed (the usual warm start)."""
    sealed_key: float
    """The same start's answer to the first key."""
    built: float
    """First rows when the cache changed since that frame (a sync from cron, say): the
    main screen is built before anything is painted."""


def run(primed: Path, template: Path) -> Run:
    empty = _time([sys.executable, "-m", "tui.bench.empty_app"], EMPTY_PAINT)
    sealed, key = _warm(primed)
    built, _ = _warm(template)
    return Run(empty, sealed, key, built)
