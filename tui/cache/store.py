"""The calendar cache: one SQLite database per profile, bound to one account.

Two cal365 instances may share it: WAL mode lets readers and a writer work at once, every
write is one `BEGIN IMMEDIATE` transaction, and a busy timeout makes the second writer wait
instead of failing. A damaged, foreign or unreadable file never stops the app: it is moved
aside, an empty cache takes its place, and `take_notices()` says so in one sentence.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import os
import sqlite3
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from tui.cache import codec, schema
from tui.cache.cipher import Cipher, SealBroken
from tui.cache.codec import CachedTree, LastView
from tui.graph.models import Event
from tui.graph.urls import CalendarRef, Mailbox

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000
FRAME_BUSY_TIMEOUT_MS = 200
# Moved-aside files kept per profile; older ones are deleted (they only help a diagnosis).
KEEP_MOVED_ASIDE = 3
# SQLite's primary result codes for "this is no (longer a) database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_KEY_CHECK = b"cal365 calendar cache"


class CacheError(Exception):
    """The cache cannot be used at all (disk full, no permission); the message says why."""


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


class _SignedIn(Protocol):
    @property
    def username(self) -> str: ...
    @property
    def tenant_id(self) -> str: ...
    @property
    def home_account_id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Owner:
    """The account a cache belongs to; a cache of another one is never read."""

    account_id: str
    username: str = ""
    tenant: str = ""

    @property
    def identity(self) -> bytes:
        return f"{self.tenant.lower()}|{self.account_id.lower()}".encode()

    @classmethod
    def of(cls, identity: _SignedIn) -> Owner:
        """The owner for a signed-in user (tui.auth.provider.Identity, read offline)."""
        return cls(identity.home_account_id, identity.username, identity.tenant_id)


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


class _Unusable(Exception):
    """The open file is not a cache we may use; `reason` names the moved-aside suffix."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def _epoch(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("cache window bounds and event times must carry a time zone")
    return int(moment.timestamp())


def _when(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def is_damage(error: sqlite3.Error) -> bool:
    """True for "the file is damaged or not a database", not for "busy" or "disk full"."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


def sidecars(path: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
            path.with_name(path.name + "-journal")]


def moved_aside(path: Path) -> list[Path]:
    """Earlier caches of this profile that were moved aside, oldest first."""
    if not path.parent.is_dir():
        return []
    found = [p for p in path.parent.glob(path.name + ".*-*")
             if not p.name.endswith(("-wal", "-shm", "-journal"))]
    return sorted(found, key=lambda p: p.name.rsplit("-", 1)[-1])


def _tighten(path: Path) -> None:
    if sys.platform == "win32" or not path.exists():
        return
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)


def _verify(meta: dict[str, bytes], cipher: Cipher, account: bytes) -> None:
    """Raise _Unusable unless the cache's binding says: stored this way, this key, this
    account."""
    mode = b"encrypted" if cipher.encrypted else b"plain"
    if bytes(meta.get("mode", b"")) != mode:
        raise _Unusable("switched", "the calendar cache {path} was stored "
                        + ("unencrypted" if mode == b"encrypted" else "encrypted")
                        + ", unlike what is chosen now")
    try:
        ok = cipher.open(bytes(meta.get("key_check", b""))) == _KEY_CHECK
    except SealBroken:
        ok = False
    if not ok:
        raise _Unusable("unreadable", "the calendar cache {path} does not open with the key "
                                      "in the keyring (the key was replaced or removed)")
    if bytes(meta.get("account", b"")) != account:
        raise _Unusable("other-account", "the calendar cache {path} belongs to another "
                                         "account")


def peek_frame(path: Path, cipher: Cipher, owner: Owner, fit: str) -> bytes | None:
    """The sealed last frame for `fit`, read without changing anything (no schema step, no
    moving aside: the app's own opening does those, and says so). None unless the file is
    a cache of this schema, stored this way, of this account, and holds such a frame."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        app_id, = conn.execute("PRAGMA application_id").fetchone()
        version, = conn.execute("PRAGMA user_version").fetchone()
        if (app_id, version) != (schema.APPLICATION_ID, schema.VERSION):
            return None
        meta = {k: bytes(v) for k, v in conn.execute("SELECT key, value FROM meta")}
        _verify(meta, cipher, cipher.digest(owner.identity))
        row = conn.execute("SELECT payload FROM frame WHERE fit = ?", (fit,)).fetchone()
        return None if row is None else cipher.open(row[0])
    except (sqlite3.Error, _Unusable, SealBroken):
        return None
    finally:
        conn.close()


def _create_private(path: Path) -> None:
    """Create the database file 0600 before SQLite does (it copies that mode to -wal/-shm)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    for each in sidecars(path):
        _tighten(each)


class CacheStore:
    """The calendar cache of one account. Thread-safe: every call holds one lock.

    `path=None` is the session-only cache: the same tables in memory, gone at exit.
    """

    def __init__(self, path: Path | None, cipher: Cipher, owner: Owner) -> None:
        self.path = path
        self.cipher = cipher
        self.owner = owner
        self._lock = threading.RLock()
        self._notices: list[str] = []
        try:
            self._conn = self._open()
        except OSError as error:
            raise CacheError(f"the calendar cache {path} cannot be used: {error}") from error
        self._read_version = self._data_version()

    # -- opening, checking, moving aside ----------------------------------------------------

    @property
    def persistent(self) -> bool:
        return self.path is not None

    @property
    def encrypted(self) -> bool:
        return self.cipher.encrypted

    def take_notices(self) -> list[str]:
        """Messages for the user about what happened to the cache (moved aside, rebuilt)."""
        with self._lock:
            notices, self._notices = self._notices, []
            return notices

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            return sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        _create_private(self.path)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn

    def _open(self) -> sqlite3.Connection:
        """Connect and check the file; move it aside and start afresh if it is not usable."""
        conn = self._connect()
        try:
            self._prepare(conn)
            return conn
        except _Unusable as problem:
            conn.close()
            self._discard(problem.reason, problem.message)
        except sqlite3.DatabaseError as error:
            conn.close()
            if not is_damage(error):
                raise CacheError(f"the calendar cache {self.path} cannot be opened: {error}"
                                 ) from error
            self._discard("corrupt", "the calendar cache {path} was damaged")
        conn = self._connect()
        try:
            self._prepare(conn)
        except (_Unusable, sqlite3.Error) as error:
            conn.close()
            raise CacheError(f"the calendar cache {self.path} cannot be rebuilt: {error}"
                             ) from error
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id == 0 and version == 0:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise _Unusable("foreign", "{path} is not a cal365 calendar cache")
        elif app_id != schema.APPLICATION_ID:
            raise _Unusable("foreign", "{path} is not a cal365 calendar cache")
        elif version > schema.VERSION:
            raise _Unusable("newer", f"the calendar cache {{path}} was written by a newer "
                                     f"cal365 (schema {version}, this one reads {schema.VERSION})")
        if self.path is not None:
            _wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in schema.MIGRATIONS[version:]:
                for statement in schema.statements(step):
                    conn.execute(statement)
            if version < schema.VERSION:
                conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {schema.VERSION}")
            self._check_meta(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if self.path is not None:
            for each in sidecars(self.path):
                _tighten(each)

    def _check_meta(self, conn: sqlite3.Connection) -> None:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        mode = b"encrypted" if self.cipher.encrypted else b"plain"
        account = self.cipher.digest(self.owner.identity)
        if not meta:
            rows = {
                "mode": mode,
                "account": account,
                "key_check": self.cipher.seal(_KEY_CHECK),
                "username": self.cipher.seal(self.owner.username.encode("utf-8")),
                "created": str(time.time()).encode(),
            }
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", rows.items())
            return
        _verify(meta, self.cipher, account)

    def _discard(self, reason: str, message: str) -> None:
        """Move the file aside (or, on a switch of encryption, delete it) and say so."""
        assert self.path is not None
        path = self.path
        if reason == "switched":
            for each in sidecars(path):
                each.unlink(missing_ok=True)
            self._notices.append(message.format(path=path)
                                 + "; it was deleted and an empty one started")
            return
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = path.with_name(f"{path.name}.{reason}-{stamp}")
        os.replace(path, target)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            os.replace(wal, target.with_name(target.name + "-wal"))
        for each in sidecars(path)[2:]:
            each.unlink(missing_ok=True)
        for old in moved_aside(path)[:-KEEP_MOVED_ASIDE]:
            for each in sidecars(old):
                each.unlink(missing_ok=True)
        self._notices.append(message.format(path=path)
                             + f"; it was moved to {target.name} and an empty cache started "
                               "(the next sync fills it again)")

    def _guarded(self, body: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        """Run `body`; if the file turns out damaged, rebuild and answer `fallback`."""
        with self._lock:
            try:
                return body(self._conn)
            except sqlite3.DatabaseError as error:
                if not is_damage(error) or self.path is None:
                    raise CacheError(f"the calendar cache failed: {error}") from error
                self._rollback()
                self._conn.close()
                self._discard("corrupt", "the calendar cache {path} was damaged")
                self._reopen()
                return fallback
            except SealBroken:
                self._rollback()
                if self.path is None:
                    raise
                self._conn.close()
                self._discard("unreadable", "the calendar cache {path} holds data that does "
                                            "not open with the key in the keyring")
                self._reopen()
                return fallback

    def _reopen(self) -> None:
        try:
            self._conn = self._open()
        except OSError as error:
            raise CacheError(f"the calendar cache {self.path} cannot be used: {error}") from error
        self._read_version = self._data_version()

    def _data_version(self) -> int:
        """Changes whenever another connection commits (SQLite's `data_version`): what this
        one read may then be behind the file."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def info(self) -> CacheInfo | None:
        """Where the cache is, how big and old, what it holds; None for a session cache."""
        return None if self.path is None else inspect(self.path)

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

    def _mailbox_key(self, mailbox: Mailbox) -> bytes:
        return self.cipher.digest(b"mailbox\0" + mailbox.path.encode("utf-8"))

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
                         _epoch(first), _epoch(last), self.cipher.digest(plain),
                         self.cipher.seal(plain)))
        # One row per event even if a round repeats one (the last representation wins).
        rows = list({row[0]: row for row in rows}.values())
        removed_keys = [self.event_key(i) for i in round.removed]
        link = self.cipher.seal(round.delta_link.encode("utf-8")) if round.delta_link else None
        where = self.cipher.seal(codec.dumps(codec.calendar_json(as_calendar(calendar))))

        def body(conn: sqlite3.Connection) -> Applied:
            key = self.calendar_key(calendar)
            lo, hi = _epoch(start), _epoch(end)
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
                self._rollback()
                raise
            added = sum(1 for r in rows if r[0] not in known)
            changed = sum(1 for r in rows if r[0] in known and known[r[0]] != r[4])
            return Applied(added, changed, len(gone))

        return self._guarded(body, Applied(0, 0, 0))

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

        return self._guarded(body, 0)

    def remove_event(self, event_id: str) -> int:
        """Forget an event (and a series' occurrences) at once; returns the rows removed."""
        key = self.event_key(event_id)

        def body(conn: sqlite3.Connection) -> int:
            cursor = conn.execute("DELETE FROM events WHERE id_hash = ? OR series_hash = ?",
                                  (key, key))
            return cursor.rowcount

        return self._guarded(body, 0)

    def put_tree(self, mailbox: Mailbox, tree: CachedTree) -> None:
        payload = self.cipher.seal(codec.dumps(codec.tree_json(tree)))

        def body(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR REPLACE INTO tree (mailbox, payload, synced_at) "
                         "VALUES (?, ?, ?)", (self._mailbox_key(mailbox), payload, time.time()))

        self._guarded(body, None)

    def save_last_view(self, view: LastView) -> None:
        payload = self.cipher.seal(codec.dumps(codec.view_json(view)))

        def body(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR REPLACE INTO state (key, payload) VALUES ('last_view', ?)",
                         (payload,))

        self._guarded(body, None)

    def clear(self) -> None:
        """Empty every table but the account binding."""
        def body(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for table in ("events", "spans", "windows", "tree", "state", "frame"):
                    conn.execute(f"DELETE FROM {table}")
                conn.execute("DELETE FROM meta WHERE key = 'last_sync'")
                conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

        self._guarded(body, None)

    def save_signed_in(self, label: str) -> None:
        """Who is signed in, as the title bar names them, for a start that is offline or
        shows the cache before Graph answers. Written only when it changed: a write forgets
        the sealed frame."""
        if self.signed_in() == label:
            return
        payload = self.cipher.seal(label.encode("utf-8"))

        def body(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR REPLACE INTO state (key, payload) VALUES ('signed_in', ?)",
                         (payload,))

        self._guarded(body, None)

    def signed_in(self) -> str | None:
        def body(conn: sqlite3.Connection) -> str | None:
            row = conn.execute("SELECT payload FROM state WHERE key = 'signed_in'").fetchone()
            return None if row is None else self.cipher.open(row[0]).decode("utf-8")

        return self._guarded(body, None)

    def save_frame(self, fit: str, frame: bytes) -> None:
        """Keep the screen the app showed last, sealed like every other payload, for the
        next start of the same `fit` (terminal size, day, settings) to paint at once. Any
        later write to what it shows forgets it (the schema's triggers)."""
        payload = self.cipher.seal(frame)

        def body(conn: sqlite3.Connection) -> None:
            # At quit, on the UI thread: another writer gets a moment, not the usual wait.
            conn.execute(f"PRAGMA busy_timeout = {FRAME_BUSY_TIMEOUT_MS}")
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # Another program wrote since this one read (a sync from cron, a second
                    # instance): the screen may show less than the cache holds. No frame.
                    conn.execute("DELETE FROM frame")
                    if conn.execute("PRAGMA data_version").fetchone()[0] == self._read_version:
                        conn.execute("INSERT INTO frame (fit, payload) VALUES (?, ?)",
                                     (fit, payload))
                    conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
            finally:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

        self._guarded(body, None)

    def frame(self, fit: str) -> bytes | None:
        """The sealed last frame if it was made for `fit` and nothing it shows changed since."""
        def body(conn: sqlite3.Connection) -> bytes | None:
            row = conn.execute("SELECT payload FROM frame WHERE fit = ?", (fit,)).fetchone()
            return None if row is None else self.cipher.open(row[0])

        return self._guarded(body, None)

    # -- reading ------------------------------------------------------------------------------

    _RANGE = ("FROM events WHERE calendar = ? AND start >= ? AND start < ? "
              "AND (end > ? OR start >= ?)")

    def _range(self, conn: sqlite3.Connection, calendar: Target, start: dt.datetime,
               end: dt.datetime) -> tuple[bytes, int, int, int, int]:
        key = self.calendar_key(calendar)
        lo = _epoch(start)
        return (key, lo - self._longest(conn, key), _epoch(end), lo, lo)

    def count(self, calendar: Target, start: dt.datetime, end: dt.datetime) -> int:
        """How many cached events overlap [start, end) — without decrypting any."""
        def body(conn: sqlite3.Connection) -> int:
            args = self._range(conn, calendar, start, end)
            return int(conn.execute(f"SELECT count(*) {self._RANGE}", args).fetchone()[0])

        return self._guarded(body, 0)

    def events(self, calendar: Target, start: dt.datetime, end: dt.datetime,
               tz: dt.tzinfo, limit: int | None = None, offset: int = 0) -> list[Event]:
        """The cached events overlapping [start, end), by start; decrypts only `limit` rows."""
        def body(conn: sqlite3.Connection) -> list[Event]:
            args = self._range(conn, calendar, start, end)
            rows = conn.execute(
                f"SELECT payload, cancelled {self._RANGE} ORDER BY start, end, id_hash "
                "LIMIT ? OFFSET ?", (*args, -1 if limit is None else limit, offset)).fetchall()
            return [self._event(payload, cancelled, tz) for payload, cancelled in rows]

        return self._guarded(body, [])

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
            rows = self._guarded(
                functools.partial(self._page, calendar=calendar, start=start, end=end,
                                  after=after, batch=size), none)
            if not rows:
                return
            nothing: list[Event] = []
            yield self._guarded(functools.partial(self._decrypt, rows=rows, tz=tz), nothing)
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
                (self.calendar_key(calendar), _epoch(start), _epoch(end))).fetchone()
            if row is None or row[0] is None:
                return None
            return self.cipher.open(row[0]).decode("utf-8")

        return self._guarded(body, None)

    def synced_at(self, calendar: Target, start: dt.datetime, end: dt.datetime
                  ) -> dt.datetime | None:
        """When the freshest synced window covering [start, end) was synced; None if none."""
        def body(conn: sqlite3.Connection) -> dt.datetime | None:
            row = conn.execute(
                "SELECT max(synced_at) FROM windows WHERE calendar = ? AND start <= ? "
                "AND end >= ?",
                (self.calendar_key(calendar), _epoch(start), _epoch(end))).fetchone()
            return None if row is None or row[0] is None else _when(row[0])

        return self._guarded(body, None)

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
                    calendar, _when(lo), _when(hi), _when(synced),
                    None if link is None else self.cipher.open(link).decode("utf-8")))
            return found

        return self._guarded(body, [])

    def forget_window(self, calendar: Target, start: dt.datetime, end: dt.datetime
                      ) -> None:
        """Drop a window's deltaLink (Graph no longer accepts it): the next sync is full."""
        def body(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM windows WHERE calendar = ? AND start = ? AND end = ?",
                         (self.calendar_key(calendar), _epoch(start), _epoch(end)))

        self._guarded(body, None)

    def tree(self, mailbox: Mailbox) -> tuple[CachedTree, dt.datetime] | None:
        def body(conn: sqlite3.Connection) -> tuple[CachedTree, dt.datetime] | None:
            row = conn.execute("SELECT payload, synced_at FROM tree WHERE mailbox = ?",
                               (self._mailbox_key(mailbox),)).fetchone()
            if row is None:
                return None
            return codec.tree_from(codec.read(self.cipher.open(row[0]))), _when(row[1])

        return self._guarded(body, None)

    def last_view(self) -> LastView | None:
        def body(conn: sqlite3.Connection) -> LastView | None:
            row = conn.execute("SELECT payload FROM state WHERE key = 'last_view'").fetchone()
            return None if row is None else codec.view_from(codec.read(self.cipher.open(row[0])))

        return self._guarded(body, None)


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
            return None if raw is None else _when(float(bytes(raw).decode()))

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


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. Two instances opening a new file at once race for this switch, and
    SQLite answers "locked" at once here rather than through the busy timeout: wait ourselves."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
