"""The benchmark suite runs and reports; no assertion here is about how fast anything is."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from tui.bench.fakegraph import BenchGraph
from tui.bench.stats import Row, percentile, table
from tui.fake import FakeGraph
from tui.fake.bulk import add_bulk_events
from tui.graph import ME, CalendarRef, GraphClient


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([3.0], 99) == 3.0


def test_table_shows_median_spread_target_and_verdict() -> None:
    rows = [Row("1 x", "ratio", "×", [1.0, 2.0, 3.0], "≤ 1.3", False),
            Row("5 y", "batch", "", [], note="not available yet")]
    text = table(rows)
    assert "2.00 ×" in text and "1.00–3.00" in text and "MISSED" in text
    assert "not available yet" in text


def test_bulk_events_have_realistic_shape() -> None:
    fake = FakeGraph(today=dt.date(2026, 11, 23))
    before = len(fake.store.find_events())
    add_bulk_events(fake.store, 30, first_day=dt.date(2026, 11, 23), days=3)
    found = fake.store.find_events()
    assert len(found) == before + 30
    bulk = [e for e in found if "#" in e["subject"]]
    assert len({e["id"] for e in bulk}) == 30
    assert all(len(e["id"]) >= 140 for e in bulk)
    assert all(len(e["attendees"]) >= 2 and e["bodyPreview"] for e in bulk)
    assert sum(e["isOrganizer"] for e in bulk) == 10


async def test_bench_graph_pages_match_the_plain_fake() -> None:
    """The listing cache serves exactly what the fake itself would, page for page."""
    today = dt.date(2026, 11, 23)
    start = dt.datetime.combine(today, dt.time(), dt.UTC)
    end = start + dt.timedelta(days=20)

    async def listing(fake: FakeGraph) -> list[list[str]]:
        async with GraphClient(fake.base_url, fake.token, page_size=40) as client:
            return [[e.id for e in page]
                    async for page in client.calendar_view(CalendarRef(ME), start, end)]

    plain = FakeGraph(today=today)
    add_bulk_events(plain.store, 200, first_day=today, days=20)
    with plain, BenchGraph(today, events=200, days=20) as cached:
        expected = await listing(plain)
        assert len(expected) > 3
        assert await listing(cached) == expected
        assert await listing(cached) == expected  # served from the cache this time


def test_quick_run_prints_its_table() -> None:
    done = subprocess.run([sys.executable, "-m", "tui.bench", "--quick", "--only", "4,5"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "scenario" in done.stdout and "median" in done.stdout
    assert "4 network floor" in done.stdout
    assert "5 bulk cancel 100" in done.stdout


def test_json_output_is_machine_readable() -> None:
    done = subprocess.run([sys.executable, "-m", "tui.bench", "--quick", "--json", "--only", "5"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["quick"] is True
    assert report["rows"][0]["scenario"].startswith("5 bulk cancel")


def test_bulk_cancel_scenario_measures_the_whole_command_and_its_requests() -> None:
    """`cal365 cancel` of 100 meetings, look-ups included: 5 batches of look-ups, who is
    signed in, 5 batches of cancels; the baseline a GET and a POST per meeting."""
    from tui.bench.__main__ import Suite

    suite = Suite(quick=True, log=lambda text: None)
    suite.bulk_cancel()
    rows = {row.metric.strip(): row for row in suite.rows}
    assert rows["HTTP requests, whole command"].values == [11.0]
    assert rows["of which look-up batches"].values == [5.0]
    assert rows["HTTP requests, one by one"].values == [200.0]
    assert rows["whole command (cal365 cancel --yes)"].values and rows["one by one"].values


def test_cache_scenario_parts_measure_what_they_say(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cryptography.fernet import Fernet

    from tui.bench import cache

    today = dt.date(2026, 11, 23)
    start = dt.datetime.combine(today, dt.time(), dt.UTC)
    events = cache.realistic_events(150, today, 5)
    assert len(events) == 150 and all(e.attendees and e.body_preview for e in events)
    big = cache.many(events, 3, 5)
    assert len({e.id for e in big}) == 450
    key = Fernet.generate_key()
    _seconds, size = cache.full_round(big, start, start + dt.timedelta(days=15), key, tmp_path)
    assert size > 0
    [path] = [p for p in tmp_path.glob("round-*.sqlite3")]
    warm = cache.warm_start(path, key, start, start + dt.timedelta(days=15))
    assert (warm.rows, warm.events) == (cache.SCREEN, 450)
    assert cache.whole_window(path, key, start, start + dt.timedelta(days=15))[1] == 450
