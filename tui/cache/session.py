"""What the UI keeps between runs: the calendar tree, the last view, who was signed in and
the sealed last frame. Every record is sealed like the events; the schema's triggers forget
the frame whenever anything it shows is written.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

from tui.cache import codec
from tui.cache.cipher import Cipher
from tui.cache.codec import CachedTree, LastView
from tui.cache.database import BUSY_TIMEOUT_MS, FRAME_BUSY_TIMEOUT_MS, CacheFile, Owner, read_only
from tui.cache.schema import from_epoch
from tui.graph.urls import Mailbox


class SessionRecords:
    """The tree, state and frame tables of one open cache file."""

    def __init__(self, file: CacheFile) -> None:
        self.file = file
        self.cipher = file.cipher

    def _mailbox_key(self, mailbox: Mailbox) -> bytes:
        return self.cipher.digest(b"mailbox\0" + mailbox.path.encode("utf-8"))

    def put_tree(self, mailbox: Mailbox, tree: CachedTree) -> None:
        payload = self.cipher.seal(codec.dumps(codec.tree_json(tree)))

        def body(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR REPLACE INTO tree (mailbox, payload, synced_at) "
                         "VALUES (?, ?, ?)", (self._mailbox_key(mailbox), payload, time.time()))

        self.file.guarded(body, None)

    def tree(self, mailbox: Mailbox) -> tuple[CachedTree, dt.datetime] | None:
        def body(conn: sqlite3.Connection) -> tuple[CachedTree, dt.datetime] | None:
            row = conn.execute("SELECT payload, synced_at FROM tree WHERE mailbox = ?",
                               (self._mailbox_key(mailbox),)).fetchone()
            if row is None:
                return None
            return codec.tree_from(codec.read(self.cipher.open(row[0]))), from_epoch(row[1])

        return self.file.guarded(body, None)

    def save_last_view(self, view: LastView) -> None:
        payload = self.cipher.seal(codec.dumps(codec.view_json(view)))

        def body(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR REPLACE INTO state (key, payload) VALUES ('last_view', ?)",
                         (payload,))

        self.file.guarded(body, None)

    def last_view(self) -> LastView | None:
        def body(conn: sqlite3.Connection) -> LastView | None:
            row = conn.execute("SELECT payload FROM state WHERE key = 'last_view'").fetchone()
            return None if row is None else codec.view_from(codec.read(self.cipher.open(row[0])))

        return self.file.guarded(body, None)

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

        self.file.guarded(body, None)

    def signed_in(self) -> str | None:
        def body(conn: sqlite3.Connection) -> str | None:
            row = conn.execute("SELECT payload FROM state WHERE key = 'signed_in'").fetchone()
            return None if row is None else self.cipher.open(row[0]).decode("utf-8")

        return self.file.guarded(body, None)

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
                    if (conn.execute("PRAGMA data_version").fetchone()[0]
                            == self.file.read_version):
                        conn.execute("INSERT INTO frame (fit, payload) VALUES (?, ?)",
                                     (fit, payload))
                    conn.execute("COMMIT")
                except BaseException:
                    self.file.rollback()
                    raise
            finally:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

        self.file.guarded(body, None)

    def frame(self, fit: str) -> bytes | None:
        """The sealed last frame if it was made for `fit` and nothing it shows changed since."""
        def body(conn: sqlite3.Connection) -> bytes | None:
            return _frame(conn, self.cipher, fit)

        return self.file.guarded(body, None)


def _frame(conn: sqlite3.Connection, cipher: Cipher, fit: str) -> bytes | None:
    row = conn.execute("SELECT payload FROM frame WHERE fit = ?", (fit,)).fetchone()
    return None if row is None else cipher.open(row[0])


def peek_frame(path: Path, cipher: Cipher, owner: Owner, fit: str) -> bytes | None:
    """The sealed last frame for `fit`, read without changing anything. None unless the file
    is a cache of this schema, stored this way, of this account, and holds such a frame."""
    return read_only(path, cipher, owner, lambda conn: _frame(conn, cipher, fit))
