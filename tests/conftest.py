"""Shared fixtures: a real fake-Graph server on loopback, seeded for a fixed day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tui.fake import FakeGraph

# A fixed "today" keeps seeded data, windows and snapshots stable across runs.
DEMO_TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes drafts, audit lines and config into a fresh folder of its own."""
    home = tmp_path_factory.mktemp("cal365-home")
    monkeypatch.setenv("CAL365_HOME", str(home))
    return home


@pytest.fixture
def fake_graph() -> Iterator[FakeGraph]:
    from tui.fake import FakeGraph

    with FakeGraph(today=DEMO_TODAY) as fake:
        yield fake


@pytest.fixture
def machine_zone() -> Iterator[str]:
    """This machine's zone set to New York (TZ), unlike any zone a test configures: a time
    shown in the machine's zone instead of the configured one then shows."""
    import os
    import time

    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield "America/New_York"
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No usable OS keyring (as in CI or over SSH): every keyring call fails."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    """An OS keyring in memory, for this test alone: its entries, by (service, name)."""
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    entries: dict[tuple[str, str], str] = {}

    class Backend(KeyringBackend):
        priority = 10  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return entries.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            entries[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if entries.pop((service, username), None) is None:
                raise PasswordDeleteError("not found")

    previous = keyring.get_keyring()
    keyring.set_keyring(Backend())
    try:
        yield entries
    finally:
        keyring.set_keyring(previous)
