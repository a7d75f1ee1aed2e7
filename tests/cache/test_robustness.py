"""A damaged, foreign or unreadable cache file is moved aside and rebuilt, never a crash."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from tests.cache.conftest import CALENDAR, END, OWNER, START, Round, bulk_events
from tui.cache import CacheStore, Owner
from tui.cache.cipher import FernetCipher, PlainCipher
from tui.cache.database import moved_aside
from tui.cache.schema import APPLICATION_ID, MIGRATIONS, VERSION


def _filled(path: Path, key: bytes, count: int = 60) -> None:
    cache = CacheStore(path, FernetCipher(key), OWNER)
    cache.put_round(CALENDAR, START, END, Round(bulk_events(count)))
    cache.close()


def _reopen(path: Path, key: bytes, owner: Owner = OWNER) -> tuple[CacheStore, list[str]]:
    cache = CacheStore(path, FernetCipher(key), owner)
    return cache, cache.take_notices()


def _assert_rebuilt(path: Path, cache: CacheStore, notices: list[str], reason: str) -> None:
    assert len(notices) == 1, notices
    assert str(path) in notices[0] and "moved to" in notices[0]
    [aside] = moved_aside(path)
    assert aside.name.startswith(f"{path.name}.{reason}-")
    assert aside.name in notices[0]
    # An empty, working cache took its place.
    assert cache.count(CALENDAR, START, END) == 0
    cache.put_round(CALENDAR, START, END, Round(bulk_events(3)))
    assert cache.count(CALENDAR, START, END) == 3


def test_a_file_that_is_not_a_database(db_path: Path, key: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not SQLite at all\n" * 200)
    cache, notices = _reopen(db_path, key)
    _assert_rebuilt(db_path, cache, notices, "corrupt")
    assert "damaged" in notices[0]


def test_a_truncated_database(db_path: Path, key: bytes) -> None:
    _filled(db_path, key, 400)
    data = db_path.read_bytes()
    assert len(data) > 64 * 1024
    db_path.write_bytes(data[: len(data) // 3])
    cache, notices = _reopen(db_path, key)
    if not notices:
        # The header survived: the damage shows on the first read, which rebuilds too.
        assert cache.events(CALENDAR, START, END, dt.UTC) == []
        notices = cache.take_notices()
    _assert_rebuilt(db_path, cache, notices, "corrupt")


def test_damage_found_mid_session_rebuilds_and_answers_empty(db_path: Path, key: bytes) -> None:
    _filled(db_path, key, 400)
    cache = CacheStore(db_path, FernetCipher(key), OWNER)
    # Scribble over the pages after the schema while the store is open.
    with db_path.open("r+b") as handle:
        handle.seek(8 * 4096)
        handle.write(b"\xff" * 64 * 4096)
    cache.file.conn.execute("PRAGMA wal_checkpoint")  # drop any page that SQLite kept
    assert cache.events(CALENDAR, START, END, dt.UTC) == []
    notices = cache.take_notices()
    _assert_rebuilt(db_path, cache, notices, "corrupt")


def test_a_foreign_sqlite_database(db_path: Path, key: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('someone else''s data')")
    conn.commit()
    conn.close()
    cache, notices = _reopen(db_path, key)
    _assert_rebuilt(db_path, cache, notices, "foreign")
    assert "not a cal365 calendar cache" in notices[0]
    aside = moved_aside(db_path)[0]
    assert sqlite3.connect(aside).execute("SELECT body FROM notes").fetchone() == (
        "someone else's data",)


def test_a_cache_from_a_newer_cal365(db_path: Path, key: bytes) -> None:
    _filled(db_path, key)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {VERSION + 1}")
    conn.close()
    cache, notices = _reopen(db_path, key)
    _assert_rebuilt(db_path, cache, notices, "newer")
    assert "newer cal365" in notices[0]


def test_a_cache_of_another_account_is_never_read(db_path: Path, key: bytes) -> None:
    _filled(db_path, key)
    cache, notices = _reopen(db_path, key, Owner("someone-else", "adele@contoso.test", "tenant"))
    _assert_rebuilt(db_path, cache, notices, "other-account")
    assert "another account" in notices[0]


def test_a_cache_whose_key_is_gone(db_path: Path, key: bytes) -> None:
    from cryptography.fernet import Fernet

    _filled(db_path, key)
    cache, notices = _reopen(db_path, Fernet.generate_key())
    _assert_rebuilt(db_path, cache, notices, "unreadable")
    assert "key" in notices[0]


def test_switching_to_encryption_deletes_the_plain_cache(db_path: Path, key: bytes) -> None:
    plain = CacheStore(db_path, PlainCipher(), OWNER)
    plain.put_round(CALENDAR, START, END, Round(bulk_events(5)))
    plain.close()
    cache, notices = _reopen(db_path, key)
    assert len(notices) == 1 and "unencrypted" in notices[0] and "deleted" in notices[0]
    assert moved_aside(db_path) == []
    assert cache.count(CALENDAR, START, END) == 0 and cache.encrypted


def test_only_the_last_few_moved_aside_files_are_kept(db_path: Path, key: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    for _ in range(5):
        db_path.write_bytes(b"garbage" * 1000)
        CacheStore(db_path, FernetCipher(key), OWNER).close()
    assert len(moved_aside(db_path)) == 3


def test_an_old_schema_is_migrated_in_place(
        db_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.cache import schema

    _filled(db_path, key, 10)
    step = "ALTER TABLE events ADD COLUMN colour TEXT; CREATE TABLE extra (x INTEGER)"
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, step))
    monkeypatch.setattr(schema, "VERSION", len(MIGRATIONS) + 1)
    cache, notices = _reopen(db_path, key)
    assert notices == [] and cache.count(CALENDAR, START, END) == 10
    version = cache.file.conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = cache.file.conn.execute("PRAGMA application_id").fetchone()[0]
    assert (version, app_id) == (len(MIGRATIONS) + 1, APPLICATION_ID)
    columns = {row[1] for row in cache.file.conn.execute("PRAGMA table_info(events)")}
    assert "colour" in columns
    cache.close()
    # Once migrated, opening again runs nothing twice (ALTER TABLE would fail if it did).
    again, notices = _reopen(db_path, key)
    assert notices == [] and again.count(CALENDAR, START, END) == 10
