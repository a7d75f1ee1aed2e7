"""Scenario 7: the local calendar cache on disk and on a warm start.

Realistic events (the fake's bulk generator, parsed by our models) go through the real
store with the real envelope (a Fernet key, as the keyring would hand it over; the keyring
lookup itself is not timed). Measured: bytes on disk per 10,000 events, the time to apply a
full initial round of 10,000, and a warm start's first screen from a big cache — open and
check the file, count the window, read and decrypt the rows one screen shows — next to the
alternative of decrypting the whole window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.cache import CacheStore, Owner
from tui.cache.cipher import FernetCipher
from tui.cache.database import sidecars
from tui.graph.models import Event
from tui.graph.urls import ME, CalendarRef

CALENDAR = CalendarRef(ME)
OWNER = Owner("bench-account", "bench@contoso.test", "bench-tenant")
SCREEN = 40


@dataclass
class _Round:
    upserts: Sequence[Event]
    removed: Sequence[str] = ()
    delta_link: str = "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x"
    full: bool = True


def realistic_events(count: int, first_day: dt.date, days: int) -> list[Event]:
    """`count` events as a busy mailbox's, rendered as Graph JSON and parsed by our models."""
    from tui.fake import seed
    from tui.fake.bulk import add_bulk_events
    from tui.fake.render import event_json

    store = seed.build(first_day)
    calendar = add_bulk_events(store, count, first_day=first_day, days=days)
    with store.lock:
        found = [e for e in calendar.events.values() if "#" in e.subject]
    return [Event.from_json(event_json(e), ME, CALENDAR, dt.UTC) for e in found]


def _disk_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in sidecars(path) if p.exists())


def _checkpointed(cache: CacheStore) -> None:
    # What stays on disk once the -wal is folded in (SQLite does this at close).
    cache.file.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def full_round(events: list[Event], start: dt.datetime, end: dt.datetime, key: bytes,
               folder: Path) -> tuple[float, int]:
    """Seconds to apply one full round of `events` to an empty cache, and bytes on disk."""
    path = folder / f"round-{time.monotonic_ns()}.sqlite3"
    cache = CacheStore(path, FernetCipher(key), OWNER)
    began = time.perf_counter()
    cache.put_round(CALENDAR, start, end, _Round(events))
    seconds = time.perf_counter() - began
    _checkpointed(cache)
    size = _disk_bytes(path)
    cache.close()
    return seconds, size


@dataclass
class WarmStart:
    open_s: float
    count_s: float
    screen_s: float
    total_s: float
    rows: int
    events: int


def warm_start(path: Path, key: bytes, start: dt.datetime, end: dt.datetime) -> WarmStart:
    """What the app does first on a warm start: open, count, read one screen."""
    began = time.perf_counter()
    cache = CacheStore(path, FernetCipher(key), OWNER)
    opened = time.perf_counter()
    total = cache.count(CALENDAR, start, end)
    counted = time.perf_counter()
    rows = cache.events(CALENDAR, start, end, dt.UTC, limit=SCREEN)
    done = time.perf_counter()
    cache.close()
    return WarmStart(opened - began, counted - opened, done - counted, done - began,
                     len(rows), total)


def whole_window(path: Path, key: bytes, start: dt.datetime, end: dt.datetime
                 ) -> tuple[float, int]:
    """The alternative: decrypt every cached event of the window before painting."""
    began = time.perf_counter()
    cache = CacheStore(path, FernetCipher(key), OWNER)
    rows = cache.events(CALENDAR, start, end, dt.UTC)
    seconds = time.perf_counter() - began
    cache.close()
    return seconds, len(rows)


def many(events: list[Event], copies: int, days: int) -> list[Event]:
    """`copies` shifted copies of `events` (new ids, `days` later each): a big cache fast."""
    out = list(events)
    for n in range(1, copies):
        shift = dt.timedelta(days=days * n)
        out += [dataclasses.replace(
            e, ref=dataclasses.replace(e.ref, event_id=f"{e.id[:-4]}{n:03d}="),
            start=None if e.start is None else e.start + shift,
            end=None if e.end is None else e.end + shift) for e in events]
    return out


@dataclass
class Figures:
    bytes_per_10k: list[float]
    round_10k_s: list[float]
    big_events: int
    warm: list[WarmStart]
    whole_s: list[float]


def measure(quick: bool, today: dt.date) -> Figures:
    from cryptography.fernet import Fernet

    key = Fernet.generate_key()
    days = 30
    start = dt.datetime.combine(today, dt.time(), dt.UTC)
    base = realistic_events(10_000, today, days)
    with tempfile.TemporaryDirectory(prefix="cal365-bench-cache-") as tmp:
        folder = Path(tmp)
        sizes, rounds = [], []
        for _ in range(1 if quick else 3):
            seconds, size = full_round(base, start, start + dt.timedelta(days=days), key, folder)
            rounds.append(seconds)
            sizes.append(size * 10_000 / len(base))
        # The big cache: ten shifted copies of the realistic month (100,000 events).
        copies = 2 if quick else 10
        big = many(base, copies, days)
        end = start + dt.timedelta(days=days * copies)
        path = folder / "big.sqlite3"
        cache = CacheStore(path, FernetCipher(key), OWNER)
        cache.put_round(CALENDAR, start, end, _Round(big))
        _checkpointed(cache)
        cache.close()
        warm = [warm_start(path, key, start, end) for _ in range(3 if quick else 7)]
        whole = [whole_window(path, key, start, end)[0] for _ in range(1 if quick else 2)]
    return Figures(sizes, rounds, len(big), warm, whole)
