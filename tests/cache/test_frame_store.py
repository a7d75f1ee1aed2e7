"""The sealed last frame in the store: kept for one fit, forgotten by any later write."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cache.conftest import CALENDAR, END, OWNER, START, Round
from tui.cache import CachedTree, CacheStore, LastView
from tui.cache.cipher import FernetCipher
from tui.graph.models import Event
from tui.graph.urls import ME

FIT = "0.1.0 120x40 2026-11-23 Europe/Berlin 14"
FRAME = b'{"v":1,"lines":[["Quarterly review",0]]}'


def test_a_frame_is_kept_for_its_fit_only(store: CacheStore) -> None:
    store.save_frame(FIT, FRAME)
    assert store.frame(FIT) == FRAME
    assert store.frame(FIT.replace("120x40", "80x24")) is None
    store.save_frame("another fit", b"{}")  # one frame at a time: the last screen shown
    assert store.frame(FIT) is None
    assert store.frame("another fit") == b"{}"


def test_the_frame_is_sealed_like_every_payload(store: CacheStore, db_path: Path) -> None:
    store.save_frame(FIT, FRAME)
    raw = sqlite3.connect(db_path).execute("SELECT payload FROM frame").fetchone()[0]
    assert b"Quarterly review" not in raw


def _writes(events: list[Event]) -> dict[str, Callable[[CacheStore], object]]:
    return {
        "a delta round": lambda s: s.put_round(CALENDAR, START, END, Round(events[:3])),
        "a cancel shown at once": lambda s: s.mark_cancelled(events[0].id),
        "an event removed": lambda s: s.remove_event(events[1].id),
        "the calendars pane": lambda s: s.put_tree(ME, CachedTree(())),
        "the last view": lambda s: s.save_last_view(LastView(CALENDAR, START.date(), 7, "week")),
        "a stale delta link": lambda s: s.forget_window(CALENDAR, START, END),
        "cache clear": lambda s: s.clear(),
    }


@pytest.mark.parametrize("write", list(_writes([])))
def test_any_write_to_what_it_shows_forgets_the_frame(
        store: CacheStore, events: list[Event], write: str) -> None:
    store.put_round(CALENDAR, START, END, Round(events))
    store.save_frame(FIT, FRAME)
    assert store.frame(FIT) == FRAME
    _writes(events)[write](store)
    assert store.frame(FIT) is None, write


def test_a_write_by_another_program_forgets_it_too(
        db_path: Path, key: bytes, events: list[Event]) -> None:
    """`cal365 sync` from cron, or a second instance, writes through its own connection."""
    app = CacheStore(db_path, FernetCipher(key), OWNER)
    app.put_round(CALENDAR, START, END, Round(events))
    app.save_frame(FIT, FRAME)
    cron = CacheStore(db_path, FernetCipher(key), OWNER)
    cron.put_round(CALENDAR, START, END, Round(events[:5]))
    cron.close()
    assert app.frame(FIT) is None
    app.close()


def test_reading_the_frame_writes_nothing(store: CacheStore, events: list[Event]) -> None:
    store.put_round(CALENDAR, START, END, Round(events))
    store.save_frame(FIT, FRAME)
    store.events(CALENDAR, START, END, dt.UTC)
    store.last_view()
    store.tree(ME)
    store.windows()
    assert store.frame(FIT) == FRAME


def test_a_cache_of_the_first_schema_gains_the_frame_and_keeps_its_events(
        db_path: Path, key: bytes, events: list[Event], monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.cache import schema

    with monkeypatch.context() as patch:  # as the cal365 before the sealed frame wrote it
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        patch.setattr(schema, "VERSION", 1)
        old = CacheStore(db_path, FernetCipher(key), OWNER)
        old.put_round(CALENDAR, START, END, Round(events))
        old.close()
    cache = CacheStore(db_path, FernetCipher(key), OWNER)
    assert cache.take_notices() == []
    assert cache.count(CALENDAR, START, END) == len(events)
    cache.save_frame(FIT, FRAME)
    assert cache.frame(FIT) == FRAME
    cache.mark_cancelled(events[0].id)
    assert cache.frame(FIT) is None
    cache.close()


def test_the_signed_in_name_is_kept_and_rewritten_only_when_it_changes(
        store: CacheStore) -> None:
    assert store.signed_in() is None
    store.save_signed_in("Avery Quinn <avery@contoso.test>")
    store.save_frame(FIT, FRAME)
    store.save_signed_in("Avery Quinn <avery@contoso.test>")  # the same: nothing written
    assert store.frame(FIT) == FRAME
    store.save_signed_in("Avery Q. <avery@contoso.test>")
    assert store.signed_in() == "Avery Q. <avery@contoso.test>"
    assert store.frame(FIT) is None


def test_the_peek_reads_the_frame_only_of_this_account_and_key(
        db_path: Path, key: bytes, events: list[Event]) -> None:
    from cryptography.fernet import Fernet

    from tui.cache.cipher import PlainCipher
    from tui.cache.database import Owner
    from tui.cache.session import peek_frame

    cache = CacheStore(db_path, FernetCipher(key), OWNER)
    cache.put_round(CALENDAR, START, END, Round(events))
    cache.save_frame(FIT, FRAME)
    cache.close()
    before = db_path.read_bytes()
    assert peek_frame(db_path, FernetCipher(key), OWNER, FIT) == FRAME
    assert peek_frame(db_path, FernetCipher(key), OWNER, "another fit") is None
    other = Owner("someone-else.tenant", "someone@contoso.test", "tenant")
    assert peek_frame(db_path, FernetCipher(key), other, FIT) is None  # another account
    assert peek_frame(db_path, FernetCipher(Fernet.generate_key()), OWNER, FIT) is None
    assert peek_frame(db_path, PlainCipher(), OWNER, FIT) is None  # stored encrypted
    assert peek_frame(db_path.with_name("missing.sqlite3"), FernetCipher(key), OWNER,
                      FIT) is None
    assert not db_path.with_name("missing.sqlite3").exists()  # nothing created
    assert db_path.read_bytes() == before  # nothing changed


def test_the_peek_reads_nothing_from_another_schema(
        db_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.cache import schema
    from tui.cache.session import peek_frame

    with monkeypatch.context() as patch:  # a cache the app will migrate: not peeked at
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        patch.setattr(schema, "VERSION", 1)
        CacheStore(db_path, FernetCipher(key), OWNER).close()
    assert peek_frame(db_path, FernetCipher(key), OWNER, FIT) is None
    db_path.write_bytes(b"not a database at all, but long enough to look like one" * 100)
    assert peek_frame(db_path, FernetCipher(key), OWNER, FIT) is None
