"""Scenario 7's measurement on a small window: the figures are what crossed the wire."""

from __future__ import annotations

import datetime as dt

from tui.bench import sync
from tui.bench.__main__ import Suite


async def test_incremental_round_is_counted_against_the_listing() -> None:
    figures = await sync.measure(events=300, changes=7, days=10)
    assert figures.window_events > 300  # the demo's own events share the window
    assert (figures.upserts, figures.removed) == (5, 2)
    assert figures.incremental_requests == 1
    # An empty first page, then pages of up to 1000 events, the last with the deltaLink.
    assert figures.full_round_requests == 2 + figures.window_events // 1000
    assert 0 < figures.incremental_bytes < figures.listing_bytes < figures.full_round_bytes
    assert figures.bytes_ratio == figures.incremental_bytes / figures.listing_bytes


def test_scenario_rows_carry_targets(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = sync.measure

    async def small(events: int, changes: int) -> sync.SyncFigures:
        return await real(200, changes, days=5)

    monkeypatch.setattr(sync, "measure", small)
    suite = Suite(quick=True, log=lambda text: None)
    suite.incremental_sync()
    rows = {row.metric: row for row in suite.rows}
    requests = rows["requests, incremental round (10 changes)"]
    assert requests.values == [1.0] and requests.ok is True
    share = rows["bytes, incremental / full listing"]
    assert share.target == "≤ 5 %" and share.values[0] > 0


def test_the_warm_start_benchmark_cache_holds_the_demo_window() -> None:
    import shutil

    from tui.bench import warmstart
    from tui.bench.cache import CALENDAR
    from tui.cache import CacheStore, cache_path
    from tui.cache.cipher import PlainCipher
    from tui.sync import DEMO_OWNER
    from tui.window import Window

    today = dt.date(2026, 11, 23)
    home = warmstart.prepare(300, today)
    try:
        store = CacheStore(cache_path("demo", home / "cache" / "demo"), PlainCipher(), DEMO_OWNER)
        view = store.last_view()
        assert view is not None and (view.calendar, view.start, view.view) == (
            CALENDAR, today, "agenda")
        start, end = Window("agenda", today, warmstart.DAYS).bounds(dt.UTC)
        assert store.count(CALENDAR, start, end) == 300
        store.close()
    finally:
        shutil.rmtree(home)
