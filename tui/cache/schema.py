"""The cache database's schema and its migrations.

`PRAGMA user_version` is the schema version; `MIGRATIONS[n]` takes a database from version
n to n + 1. `PRAGMA application_id` marks the file as cal365's, so a foreign SQLite file is
told apart from an old or damaged cache.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

APPLICATION_ID = 0x63616C33  # "cal3"

MIGRATIONS: tuple[str, ...] = (
    # 0 → 1: the first schema. Only what range queries and lookups need is in the clear:
    # keyed hashes of calendar and event ids, and times as UTC epoch seconds. Everything
    # else (the event, the tree, delta links, the last view) is a sealed payload.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
    CREATE TABLE tree (
        mailbox BLOB PRIMARY KEY, payload BLOB NOT NULL, synced_at REAL NOT NULL);
    CREATE TABLE events (
        calendar BLOB NOT NULL,
        id_hash BLOB NOT NULL,
        series_hash BLOB,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        digest BLOB NOT NULL,
        cancelled INTEGER NOT NULL DEFAULT 0,
        payload BLOB NOT NULL,
        UNIQUE (calendar, id_hash));
    CREATE INDEX events_by_start ON events (calendar, start, end, id_hash);
    CREATE INDEX events_by_id ON events (id_hash);
    CREATE INDEX events_by_series ON events (series_hash) WHERE series_hash IS NOT NULL;
    CREATE TABLE spans (calendar BLOB PRIMARY KEY, longest INTEGER NOT NULL);
    CREATE TABLE windows (
        calendar BLOB NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        calendar_ref BLOB NOT NULL,
        delta_link BLOB,
        synced_at REAL NOT NULL,
        PRIMARY KEY (calendar, start, end));
    CREATE TABLE state (key TEXT PRIMARY KEY, payload BLOB NOT NULL);
    """,
    # 1 → 2: the sealed last frame (see tui/startup/sealed_frame.py). The triggers forget it
    # whenever what it shows may have changed, by whichever program writes: the app, a
    # `cal365 sync` from cron or a second instance.
    "CREATE TABLE frame (fit TEXT PRIMARY KEY, payload BLOB NOT NULL);\n" + "\n".join(
        f"CREATE TRIGGER frame_{table}_{op.lower()} AFTER {op} ON {table} "
        "BEGIN DELETE FROM frame; END;"
        for table in ("events", "windows", "tree", "state")
        for op in ("INSERT", "UPDATE", "DELETE")),
)

VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """`script` cut into whole statements: a trigger's body holds semicolons of its own."""
    found: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                found.append(pending.strip())
            pending = ""
    return found


def epoch(moment: dt.datetime) -> int:
    """A moment as the clear columns keep it: UTC epoch seconds."""
    if moment.tzinfo is None:
        raise ValueError("cache window bounds and event times must carry a time zone")
    return int(moment.timestamp())


def from_epoch(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)
