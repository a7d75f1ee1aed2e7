"""The cache file's life: opening, the account binding, migrations, damage and recovery.

Two cal365 instances may share the file: WAL mode lets readers and a writer work at once,
every write is one `BEGIN IMMEDIATE` transaction, and a busy timeout makes the second writer
wait instead of failing. A damaged, foreign or unreadable file never stops the app: it is
moved aside, an empty cache takes its place, and `take_notices()` says so in one sentence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from tui.cache import schema
from tui.cache.cipher import Cipher, SealBroken

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
        """The owner for a signed-in user (a sign-in's Identity, read offline)."""
        return cls(identity.home_account_id, identity.username, identity.tenant_id)


class Unusable(Exception):
    """The open file is not a cache we may use; `reason` names the moved-aside suffix."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


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


def verify(meta: dict[str, bytes], cipher: Cipher, account: bytes) -> None:
    """Raise Unusable unless the cache's binding says: stored this way, this key, this
    account."""
    mode = b"encrypted" if cipher.encrypted else b"plain"
    if bytes(meta.get("mode", b"")) != mode:
        raise Unusable("switched", "the calendar cache {path} was stored "
                       + ("unencrypted" if mode == b"encrypted" else "encrypted")
                       + ", unlike what is chosen now")
    try:
        ok = cipher.open(bytes(meta.get("key_check", b""))) == _KEY_CHECK
    except SealBroken:
        ok = False
    if not ok:
        raise Unusable("unreadable", "the calendar cache {path} does not open with the key "
                                     "in the keyring (the key was replaced or removed)")
    if bytes(meta.get("account", b"")) != account:
        raise Unusable("other-account", "the calendar cache {path} belongs to another "
                                        "account")


def read_only(path: Path, cipher: Cipher, owner: Owner,
              read: Callable[[sqlite3.Connection], T]) -> T | None:
    """`read` on the file at `path`, opened without changing anything (no schema step, no
    moving aside: the app's own opening does those, and says so). None unless the file is
    a cache of this schema, stored this way, of this account, and `read` succeeds."""
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
        verify(meta, cipher, cipher.digest(owner.identity))
        return read(conn)
    except (sqlite3.Error, Unusable, SealBroken):
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


class CacheFile:
    """The open cache of one account: its connection, its lock and what befell the file.

    Thread-safe: `guarded` holds one lock. `path=None` is the session-only cache: the same
    tables in memory, gone at exit.
    """

    def __init__(self, path: Path | None, cipher: Cipher, owner: Owner) -> None:
        self.path = path
        self.cipher = cipher
        self.owner = owner
        self.lock = threading.RLock()
        self._notices: list[str] = []
        try:
            self.conn = self._open()
        except OSError as error:
            raise CacheError(f"the calendar cache {path} cannot be used: {error}") from error
        self.read_version = self._data_version()

    @property
    def persistent(self) -> bool:
        return self.path is not None

    @property
    def encrypted(self) -> bool:
        return self.cipher.encrypted

    def take_notices(self) -> list[str]:
        """Messages for the user about what happened to the cache (moved aside, rebuilt)."""
        with self.lock:
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
        except Unusable as problem:
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
        except (Unusable, sqlite3.Error) as error:
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
                raise Unusable("foreign", "{path} is not a cal365 calendar cache")
        elif app_id != schema.APPLICATION_ID:
            raise Unusable("foreign", "{path} is not a cal365 calendar cache")
        elif version > schema.VERSION:
            raise Unusable("newer", f"the calendar cache {{path}} was written by a newer "
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
        verify(meta, self.cipher, account)

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

    def guarded(self, body: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        """Run `body` under the lock; if the file turns out damaged, rebuild and answer
        `fallback`."""
        with self.lock:
            try:
                return body(self.conn)
            except sqlite3.DatabaseError as error:
                if not is_damage(error) or self.path is None:
                    raise CacheError(f"the calendar cache failed: {error}") from error
                self.rollback()
                self.conn.close()
                self._discard("corrupt", "the calendar cache {path} was damaged")
                self._reopen()
                return fallback
            except SealBroken:
                self.rollback()
                if self.path is None:
                    raise
                self.conn.close()
                self._discard("unreadable", "the calendar cache {path} holds data that does "
                                            "not open with the key in the keyring")
                self._reopen()
                return fallback

    def _reopen(self) -> None:
        try:
            self.conn = self._open()
        except OSError as error:
            raise CacheError(f"the calendar cache {self.path} cannot be used: {error}") from error
        self.read_version = self._data_version()

    def _data_version(self) -> int:
        """Changes whenever another connection commits (SQLite's `data_version`): what this
        one read may then be behind the file."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def rollback(self) -> None:
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        with self.lock:
            self.conn.close()

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
                self.rollback()
                raise

        self.guarded(body, None)


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
