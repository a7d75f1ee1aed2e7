"""Fixtures for the calendar cache: realistic events, a store, an in-memory keyring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tui.cache import CacheStore, Owner
from tui.cache.cipher import FernetCipher
from tui.fake import seed
from tui.fake.bulk import add_bulk_events
from tui.fake.render import event_json
from tui.graph.models import Event
from tui.graph.urls import ME, CalendarRef

TODAY = dt.date(2026, 11, 23)
START = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
END = START + dt.timedelta(days=14)
CALENDAR = CalendarRef(ME)
OWNER = Owner("00000000-0000-0000-0000-00000000000a.tenant", "megan@contoso.test", "tenant")


@dataclass
class Round:
    """A delta round as the Graph client hands it over."""

    upserts: Sequence[Event] = ()
    removed: Sequence[str] = ()
    delta_link: str = "https://graph.test/v1.0/me/calendarView/delta?$deltatoken=abc"
    full: bool = True
    extra: dict[str, str] = field(default_factory=dict)


def bulk_events(count: int, days: int = 14, tz: dt.tzinfo = dt.UTC) -> list[Event]:
    """`count` realistic events (the fake's bulk generator), parsed by our models."""
    store = seed.build(TODAY)
    calendar = add_bulk_events(store, count, first_day=TODAY, days=days)
    with store.lock:
        found = [e for e in calendar.events.values() if "#" in e.subject]
    return [Event.from_json(event_json(e), ME, CALENDAR, tz) for e in found]


@pytest.fixture
def events() -> list[Event]:
    return bulk_events(120)


@pytest.fixture
def key() -> bytes:
    from cryptography.fernet import Fernet

    return Fernet.generate_key()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "calendar.default.sqlite3"


@pytest.fixture
def store(db_path: Path, key: bytes) -> Iterator[CacheStore]:
    cache = CacheStore(db_path, FernetCipher(key), OWNER)
    yield cache
    cache.close()
