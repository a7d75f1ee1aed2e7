"""`cal365 sync` and `cal365 events --offline`, with the demo's cache."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.cli.conftest import Cal365
from tests.conftest import DEMO_TODAY
from tui.cache import Owner, open_cache
from tui.config import Settings
from tui.fake import FakeGraph
from tui.graph import ME, CalendarRef, GraphClient
from tui.script.exits import Exit
from tui.sync import SyncController

DEMO = ("--demo", "--date", "2026-11-23", "--cache", "plaintext", "--timezone", "Europe/Berlin")
WINDOW = ("--from", "2026-11-23", "--to", "2026-11-29")


def test_sync_with_nothing_seen_says_so(run_cli: Cal365, home: Path) -> None:
    run = run_cli(*DEMO, "sync")
    assert run.code == Exit.OK
    assert run.out == ""
    assert "nothing to sync yet" in run.err


def test_sync_a_window_then_answer_offline(run_cli: Cal365, home: Path) -> None:
    first = run_cli(*DEMO, "sync", *WINDOW)
    assert first.code == Exit.OK, first.err
    [row] = first.rows
    assert row[0] == "me" and row[1:3] == ["2026-11-23", "2026-11-29"]
    added = int(row[3].split()[1])
    assert added > 0 and row[6] == "full"
    # Syncing what was seen: the same window again, nothing changed.
    again = run_cli(*DEMO, "sync", "--json")
    assert again.code == Exit.OK, again.err
    [window] = again.json["windows"]
    assert (window["added"], window["changed"], window["removed"]) == (0, 0, 0)
    online = run_cli(*DEMO, "events", *WINDOW)
    offline = run_cli(*DEMO, "events", *WINDOW, "--offline")
    assert offline.code == Exit.OK, offline.err
    assert offline.out == online.out and len(offline.rows) == added
    assert "offline: from the local cache, as of" in offline.err
    info = run_cli(*DEMO, "cache", "info", "--json")
    assert info.json["profile"] == "demo" and info.json["events"] == added
    assert Path(info.json["path"]).parent == home / "cache" / "demo"
    as_json = run_cli(*DEMO, "events", *WINDOW, "--offline", "--json")
    assert as_json.json["cachedAsOf"]
    assert len(as_json.json["events"]) == added


def test_events_offline_for_a_window_never_synced_fails_clearly(
    run_cli: Cal365, home: Path
) -> None:
    run = run_cli(*DEMO, "events", "--from", "2027-01-01", "--offline")
    assert run.code == Exit.ERROR
    assert "holds no copy of that window" in run.err
    assert run.out == ""


def test_sync_with_the_cache_off_is_a_usage_error(run_cli: Cal365, home: Path) -> None:
    run = run_cli("sync", "--demo", "--no-cache")
    assert run.code == Exit.USAGE
    assert "cache is off" in run.err


async def test_a_second_sync_is_incremental_and_reports_changes(fake_graph: FakeGraph) -> None:
    store = open_cache(Settings(profile="t", cache="plaintext"), Owner("someone"))
    assert store is not None
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone="Europe/Berlin")
    tz = dt.UTC
    controller = SyncController(store, client, tz)
    start = dt.datetime.combine(DEMO_TODAY, dt.time(), tz)
    end = start + dt.timedelta(days=7)
    pages: list[int] = []
    first = await controller.sync(CalendarRef(ME), start, end, on_page=lambda p:
                                  pages.append(len(p)))
    assert first.full and sum(pages) == len(first.upserts) == first.applied.added
    fake_graph.add_event("Moved in", start + dt.timedelta(days=2, hours=9),
                         start + dt.timedelta(days=2, hours=10))
    summaries = await controller.sync_seen()
    [summary] = summaries
    assert not summary.full
    assert (summary.applied.added, summary.applied.changed, summary.applied.removed) == (1, 0, 0)
    await client.aclose()
    store.close()


def test_offline_says_how_old_in_the_zone_the_events_are_shown_in(
    run_cli: Cal365, home: Path, machine_zone: str
) -> None:
    from zoneinfo import ZoneInfo

    assert run_cli(*DEMO, "sync", *WINDOW).code == Exit.OK
    offline = run_cli(*DEMO, "events", *WINDOW, "--offline", "--json")
    synced = dt.datetime.fromisoformat(offline.json["cachedAsOf"])
    text = run_cli(*DEMO, "events", *WINDOW, "--offline")
    shown = synced.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%d %H:%M")
    assert f"offline: from the local cache, as of {shown} CET (" in text.err
    assert text.out.startswith("2026-11-23 09:15")  # the events: Berlin time, as said
