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
