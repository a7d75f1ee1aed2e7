"""`cal365 cache info`: what a cache file holds, read without its key or changing it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tui.cache import schema
from tui.cache.database import CacheError, is_damage, moved_aside, sidecars


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """What `cal365 cache info` shows; read without the key (nothing sealed is opened)."""

    path: Path
    exists: bool
    size: int = 0
    """Bytes on disk: the database with its -wal and -shm files."""
    state: str = "ok"
    """ok, damaged (moved aside at the next start) or foreign (not a cal365 cache)."""
    encrypted: bool | None = None
    schema: int = 0
    created: dt.datetime | None = None
    last_sync: dt.datetime | None = None
    events: int = 0
    calendars: int = 0
    windows: int = 0
    moved_aside: tuple[Path, ...] = ()


def inspect(path: Path) -> CacheInfo:
    """Describe the cache file at `path` without changing its content or asking for its key.

    Raises CacheError if the file is busy beyond the timeout or cannot be read at all.
    """
    aside = tuple(moved_aside(path))
    if not path.exists():
        return CacheInfo(path, False, moved_aside=aside)
    size = sum(p.stat().st_size for p in sidecars(path) if p.exists())
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error as error:
        raise CacheError(f"cannot open the calendar cache {path}: {error}") from error
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != schema.APPLICATION_ID:
            return CacheInfo(path, True, size, "foreign", moved_aside=aside)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())

        def moment(name: str) -> dt.datetime | None:
            raw = meta.get(name)
            return None if raw is None else schema.from_epoch(float(bytes(raw).decode()))

        events, calendars = conn.execute(
            "SELECT count(*), count(DISTINCT calendar) FROM events").fetchone()
        windows = conn.execute("SELECT count(*) FROM windows").fetchone()[0]
        return CacheInfo(path, True, size, "ok", bytes(meta.get("mode", b"")) == b"encrypted",
                         version, moment("created"), moment("last_sync"), events, calendars,
                         windows, aside)
    except sqlite3.Error as error:
        if not is_damage(error):
            raise CacheError(f"cannot read the calendar cache {path}: {error}") from error
        return CacheInfo(path, True, size, "damaged", moved_aside=aside)
    except ValueError:
        return CacheInfo(path, True, size, "damaged", moved_aside=aside)
    finally:
        conn.close()
