"""Cached events by calendar and time window, and each window's delta link.

A delta round of a window replaces (full) or patches (incremental) its rows in one
transaction; reads decrypt only the rows asked for, in keyset-paged batches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from tui.cache import codec
from tui.cache.cipher import SealBroken
from tui.cache.database import CacheFile
from tui.cache.schema import epoch, from_epoch
from tui.graph.models import Event
from tui.graph.urls import CalendarRef, Mailbox

# Graph's calendarView delta runs on a calendar or on a mailbox (its default calendar).
Target = CalendarRef | Mailbox


def as_calendar(target: Target) -> CalendarRef:
    """The calendar a target means: a mailbox's calendarView is its default calendar's."""
    return target if isinstance(target, CalendarRef) else CalendarRef(target)


class DeltaRoundLike(Protocol):
    """One calendarView delta round as the Graph client returns it."""

    @property
    def upserts(self) -> Sequence[Event]: ...
    @property
    def removed(self) -> Sequence[str]: ...
    @property
    def delta_link(self) -> str: ...
    @property
    def full(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Applied:
    """What a delta round changed in the cache."""

    added: int
    changed: int
    removed: int


@dataclass(frozen=True, slots=True)
class CachedWindow:
    calendar: CalendarRef
    start: dt.datetime
    end: dt.datetime
    synced_at: dt.datetime
    delta_link: str | None


class EventWindows:
    """The events, spans and windows tables of one open cache file."""

    def __init__(self, file: CacheFile) -> None:
        self.file = file
        self.cipher = file.cipher

    # -- keys ---------------------------------------------------------------------------------

    def calendar_key(self, calendar: Target) -> bytes:
        """The calendar's key: its mailbox (user ids and UPNs in any case) and its id, not
        the URL form it was reached through, so `cal365 events --user … --calendar …`
        finds what the app cached from a calendar group's listing."""
        ref = as_calendar(calendar)
        name = f"{ref.mailbox.key}\0{ref.calendar_id or ''}"
        return self.cipher.digest(b"calendar\0" + name.encode("utf-8"))

    def event_key(self, event_id: str) -> bytes:
        return self.cipher.digest(b"event\0" + event_id.encode("utf-8"))

    # -- writing ------------------------------------------------------------------------------

    def put_round(self, calendar: Target, start: dt.datetime, end: dt.datetime,
                  round: DeltaRoundLike) -> Applied:
        """Apply one delta round of `calendar`'s window [start, end) and keep its deltaLink.

        A full round replaces the window's rows; an incremental one upserts and removes.
        """
        rows = []
        for event in round.upserts:
            plain = codec.dumps(codec.event_json(event))
            first = event.start or start
            last = max(event.end or first, first)
            series = event.series_master_id
            rows.append((self.event_key(event.id), self.event_key(series) if series else None,
                         epoch(first), epoch(last), self.cipher.digest(plain),
                         self.cipher.seal(plain)))
        # One row per event even if a round repeats one (the last representation wins).
        rows = list({row[0]: row for row in rows}.values())
        removed_keys = [self.event_key(i) for i in round.removed]
        link = self.cipher.seal(round.delta_link.encode("utf-8")) if round.delta_link else None
        where = self.cipher.seal(codec.dumps(codec.calendar_json(as_calendar(calendar))))

        def body(conn: sqlite3.Connection) -> Applied:
            key = self.calendar_key(calendar)
            lo, hi = epoch(start), epoch(end)
            conn.execute("BEGIN IMMEDIATE")
            try:
                longest = self._longest(conn, key)
                in_window = dict(conn.execute(
                    "SELECT id_hash, digest FROM events WHERE calendar = ? AND start >= ? "
                    "AND start < ? AND (end > ? OR start >= ?)",
                    (key, lo - longest, hi, lo, lo)).fetchall())
                known = dict(in_window)
                wanted = [r[0] for r in rows if r[0] not in known]
                for i in range(0, len(wanted), 500):
                    chunk = wanted[i:i + 500]
                    known.update(conn.execute(
                        "SELECT id_hash, digest FROM events WHERE calendar = ? AND id_hash IN "
                        f"({','.join('?' * len(chunk))})", (key, *chunk)).fetchall())
                new_ids = {r[0] for r in rows}
                gone = ([h for h in in_window if h not in new_ids] if round.full
                        else [h for h in removed_keys if h in in_window and h not in new_ids])
                conn.executemany("DELETE FROM events WHERE calendar = ? AND id_hash = ?",
                                 [(key, h) for h in gone])
                conn.executemany(
                    "INSERT INTO events (calendar, id_hash, series_hash, start, end, digest, "
                    "cancelled, payload) VALUES (?, ?, ?, ?, ?, ?, 0, ?) "
                    "ON CONFLICT (calendar, id_hash) DO UPDATE SET series_hash = "
                    "excluded.series_hash, start = excluded.start, end = excluded.end, digest = "
                    "excluded.digest, cancelled = 0, payload = excluded.payload",
                    [(key, *r) for r in rows])
                span = max((r[3] - r[2] for r in rows), default=0)
                if span > longest:
                    conn.execute("INSERT INTO spans (calendar, longest) VALUES (?, ?) ON "
                                 "CONFLICT (calendar) DO UPDATE SET longest = excluded.longest",
                                 (key, span))
                now = time.time()
                conn.execute(
                    "INSERT INTO windows (calendar, start, end, calendar_ref, delta_link, "
                    "synced_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (calendar, start, end) "
                    "DO UPDATE SET calendar_ref = excluded.calendar_ref, delta_link = "
                    "excluded.delta_link, synced_at = excluded.synced_at",
                    (key, lo, hi, where, link, now))
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_sync', ?)",
                             (str(now).encode(),))
                conn.execute("COMMIT")
            except BaseException:
                self.file.rollback()
                raise
            added = sum(1 for r in rows if r[0] not in known)
            changed = sum(1 for r in rows if r[0] in known and known[r[0]] != r[4])
            return Applied(added, changed, len(gone))

        return self.file.guarded(body, Applied(0, 0, 0))

    @staticmethod
    def _longest(conn: sqlite3.Connection, key: bytes) -> int:
        row = conn.execute("SELECT longest FROM spans WHERE calendar = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def mark_cancelled(self, event_id: str) -> int:
        """Show an event (or a series' occurrences) as cancelled at once, in every calendar.

        Until the next sync says otherwise; returns the number of rows marked.
        """
        key = self.event_key(event_id)

        def body(conn: sqlite3.Connection) -> int:
            cursor = conn.execute(
                "UPDATE events SET cancelled = 1 WHERE id_hash = ? OR series_hash = ?",
                (key, key))
            return cursor.rowcount

        return self.file.guarded(body, 0)

    def remove_event(self, event_id: str) -> int:
        """Forget an event (and a series' occurrences) at once; returns the rows removed."""
        key = self.event_key(event_id)

        def body(conn: sqlite3.Connection) -> int:
            cursor = conn.execute("DELETE FROM events WHERE id_hash = ? OR series_hash = ?",
                                  (key, key))
            return cursor.rowcount

        return self.file.guarded(body, 0)

    def forget_window(self, calendar: Target, start: dt.datetime, end: dt.datetime
                      ) -> None:
        """Drop a window's deltaLink (Graph no longer accepts it): the next sync is full."""
        def body(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM windows WHERE calendar = ? AND start = ? AND end = ?",
                         (self.calendar_key(calendar), epoch(start), epoch(end)))

        self.file.guarded(body, None)

    # -- reading ------------------------------------------------------------------------------

    _RANGE = ("FROM events WHERE calendar = ? AND start >= ? AND start < ? "
              "AND (end > ? OR start >= ?)")

    def _range(self, conn: sqlite3.Connection, calendar: Target, start: dt.datetime,
               end: dt.datetime) -> tuple[bytes, int, int, int, int]:
        key = self.calendar_key(calendar)
        lo = epoch(start)
        return (key, lo - self._longest(conn, key), epoch(end), lo, lo)

    def count(self, calendar: Target, start: dt.datetime, end: dt.datetime) -> int:
        """How many cached events overlap [start, end) — without decrypting any."""
        def body(conn: sqlite3.Connection) -> int:
            args = self._range(conn, calendar, start, end)
            return int(conn.execute(f"SELECT count(*) {self._RANGE}", args).fetchone()[0])

        return self.file.guarded(body, 0)

    def events(self, calendar: Target, start: dt.datetime, end: dt.datetime,
               tz: dt.tzinfo, limit: int | None = None, offset: int = 0) -> list[Event]:
        """The cached events overlapping [start, end), by start; decrypts only `limit` rows."""
        def body(conn: sqlite3.Connection) -> list[Event]:
            args = self._range(conn, calendar, start, end)
            rows = conn.execute(
                f"SELECT payload, cancelled {self._RANGE} ORDER BY start, end, id_hash "
                "LIMIT ? OFFSET ?", (*args, -1 if limit is None else limit, offset)).fetchall()
            return [self._event(payload, cancelled, tz) for payload, cancelled in rows]

        return self.file.guarded(body, [])

    def iter_events(self, calendar: Target, start: dt.datetime, end: dt.datetime,
                    tz: dt.tzinfo, batch: int = 500, first: int | None = None
                    ) -> Iterator[list[Event]]:
        """The same events in batches: the first screen's worth arrives first (`first`
        rows, when given, so that a start decrypts no more than one screen before painting).

        Each batch is its own short query (keyset paging), so no lock or read transaction
        is held while the caller works on a batch.
        """
        after: tuple[int, int, bytes] | None = None
        size = first or batch
        while True:
            none: list[tuple[bytes, int, int, int, bytes]] = []
            rows = self.file.guarded(
                functools.partial(self._page, calendar=calendar, start=start, end=end,
                                  after=after, batch=size), none)
            if not rows:
                return
            nothing: list[Event] = []
            yield self.file.guarded(functools.partial(self._decrypt, rows=rows, tz=tz), nothing)
            if len(rows) < size:
                return
            after = (rows[-1][2], rows[-1][3], rows[-1][4])
            size = batch

    def _page(self, conn: sqlite3.Connection, calendar: Target, start: dt.datetime,
              end: dt.datetime, after: tuple[int, int, bytes] | None, batch: int
              ) -> list[tuple[bytes, int, int, int, bytes]]:
        args = self._range(conn, calendar, start, end)
        columns = f"SELECT payload, cancelled, start, end, id_hash {self._RANGE}"
        order = "ORDER BY start, end, id_hash LIMIT ?"
        if after is None:
            return conn.execute(f"{columns} {order}", (*args, batch)).fetchall()
        return conn.execute(f"{columns} AND (start, end, id_hash) > (?, ?, ?) {order}",
                            (*args, *after, batch)).fetchall()

    def _decrypt(self, _conn: sqlite3.Connection, rows: list[tuple[bytes, int, int, int, bytes]],
                 tz: dt.tzinfo) -> list[Event]:
        return [self._event(row[0], row[1], tz) for row in rows]

    def _event(self, payload: bytes, cancelled: int, tz: dt.tzinfo) -> Event:
        try:
            event = codec.event_from(codec.read(self.cipher.open(payload)), tz)
        except (KeyError, ValueError, TypeError) as error:
            raise SealBroken(f"a cached event cannot be read ({error})") from None
        if cancelled and not event.is_cancelled:
            event = dataclasses.replace(event, is_cancelled=True)
        return event

    def delta_link(self, calendar: Target, start: dt.datetime, end: dt.datetime
                   ) -> str | None:
        """The deltaLink of exactly this window, if it was synced before."""
        def body(conn: sqlite3.Connection) -> str | None:
            row = conn.execute(
                "SELECT delta_link FROM windows WHERE calendar = ? AND start = ? AND end = ?",
                (self.calendar_key(calendar), epoch(start), epoch(end))).fetchone()
            if row is None or row[0] is None:
                return None
            return self.cipher.open(row[0]).decode("utf-8")

        return self.file.guarded(body, None)

    def synced_at(self, calendar: Target, start: dt.datetime, end: dt.datetime
                  ) -> dt.datetime | None:
        """When the freshest synced window covering [start, end) was synced; None if none."""
        def body(conn: sqlite3.Connection) -> dt.datetime | None:
            row = conn.execute(
                "SELECT max(synced_at) FROM windows WHERE calendar = ? AND start <= ? "
                "AND end >= ?",
                (self.calendar_key(calendar), epoch(start), epoch(end))).fetchone()
            return None if row is None or row[0] is None else from_epoch(row[0])

        return self.file.guarded(body, None)

    def windows(self) -> list[CachedWindow]:
        """Every synced window, for `cal365 sync` and for a resync of what was seen."""
        def body(conn: sqlite3.Connection) -> list[CachedWindow]:
            found = []
            for ref, lo, hi, link, synced in conn.execute(
                    "SELECT calendar_ref, start, end, delta_link, synced_at FROM windows "
                    "ORDER BY synced_at DESC").fetchall():
                calendar = codec.calendar_from(codec.read(self.cipher.open(ref)))
                assert calendar is not None
                found.append(CachedWindow(
                    calendar, from_epoch(lo), from_epoch(hi), from_epoch(synced),
                    None if link is None else self.cipher.open(link).decode("utf-8")))
            return found

        return self.file.guarded(body, [])
