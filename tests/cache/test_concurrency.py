"""Two cal365 instances at once: both write, neither fails, nothing is lost."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

from tests.cache.conftest import CALENDAR, END, OWNER, START, Round, bulk_events
from tui.cache import CacheStore
from tui.cache.cipher import FernetCipher
from tui.graph.urls import ME, CalendarRef

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 15

WRITER = """
import sys, dataclasses
from pathlib import Path
from tests.cache.conftest import START, END, OWNER, Round, bulk_events
from tui.cache import CacheStore
from tui.cache.cipher import FernetCipher
from tui.graph.urls import ME, CalendarRef

path, key, name, rounds = Path(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], int(sys.argv[4])
events = bulk_events(40)
cache = CacheStore(path, FernetCipher(key), OWNER)
print("ready", flush=True)
sys.stdin.readline()
for n in range(rounds):
    calendar = CalendarRef(ME, f"{name}-{n}")
    cache.put_round(calendar, START, END, Round(events))
    cache.put_round(calendar, START, END, Round(events[:5], removed=[events[10].id], full=False))
print("done", cache.take_notices(), flush=True)
"""


def test_two_processes_write_at_the_same_time(db_path: Path, key: bytes) -> None:
    procs = [subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), key.decode(), name, str(ROUNDS)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True) for name in ("first", "second")]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:  # both are connected and checked; now let them write at once
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "done []", (out, err)
    cache = CacheStore(db_path, FernetCipher(key), OWNER)
    assert cache.take_notices() == []
    for name in ("first", "second"):
        for n in range(ROUNDS):
            assert cache.count(CalendarRef(ME, f"{name}-{n}"), START, END) == 39
    assert len(cache.windows()) == 2 * ROUNDS


def test_a_reader_sees_whole_rounds_while_another_connection_writes(
        db_path: Path, key: bytes) -> None:
    events = bulk_events(80)
    writer = CacheStore(db_path, FernetCipher(key), OWNER)
    reader = CacheStore(db_path, FernetCipher(key), OWNER)
    writer.put_round(CALENDAR, START, END, Round(events))
    stop = threading.Event()
    seen: set[int] = set()

    def read() -> None:
        while not stop.is_set():
            seen.add(len(reader.events(CALENDAR, START, END, dt.UTC)))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for _ in range(20):
            writer.put_round(CALENDAR, START, END, Round(events[:30]))
            writer.put_round(CALENDAR, START, END, Round(events))
    finally:
        stop.set()
        thread.join()
    assert seen <= {30, 80} and seen
    assert reader.take_notices() == [] and writer.take_notices() == []
