"""The demo's cache choice is the same for the app and every command: with no usable
keyring its calendar cache is memory only, so `--demo sync` syncs into memory and says so,
`--demo events --offline` says there is nothing cached, and `cache info` says what is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cal365
from tui.script.exits import Exit

DEMO = ("--demo", "--date", "2026-11-23", "--timezone", "Europe/Berlin")
WINDOW = ("--from", "2026-11-23", "--to", "2026-11-25")


def _files(home: Path) -> list[Path]:
    return [p for p in (home / "cache").rglob("calendar.demo*") if p.stat().st_size]


def _clean(run_err: str) -> None:
    assert "Traceback" not in run_err and "unexpected" not in run_err
    assert "OS keyring is not usable" not in run_err  # no advice to fix what needs no fixing


@pytest.mark.usefixtures("no_keyring")
def test_demo_sync_with_no_keyring_syncs_into_memory_and_says_so(
    run_cli: Cal365, home: Path
) -> None:
    seen = run_cli(*DEMO, "sync")
    assert seen.code == Exit.OK, seen.err
    _clean(seen.err)
    assert seen.out == ""
    assert "nothing to sync" in seen.err and "no usable keyring" in seen.err
    assert "in memory for this command only" in seen.err

    named = run_cli(*DEMO, "sync", *WINDOW)
    assert named.code == Exit.OK, named.err
    _clean(named.err)
    [row] = named.rows
    assert row[1:3] == ["2026-11-23", "2026-11-25"] and row[6] == "full"
    assert int(row[3].split()[1]) > 0
    assert "synced into a cache that is not kept" in named.err

    as_json = run_cli(*DEMO, "sync", *WINDOW, "--json")
    assert as_json.code == Exit.OK, as_json.err
    assert as_json.json["kept"] is False and as_json.json["windows"][0]["full"] is True
    assert _files(home) == []  # nothing written in the clear that nobody asked for


@pytest.mark.usefixtures("no_keyring")
@pytest.mark.parametrize("cache", [(), ("--cache", "session")])
def test_demo_events_offline_with_a_memory_cache_says_nothing_is_cached(
    run_cli: Cal365, home: Path, cache: tuple[str, ...]
) -> None:
    run = run_cli(*DEMO, *cache, "events", *WINDOW, "--offline")
    assert run.code == Exit.ERROR
    _clean(run.err)
    assert run.out == ""
    assert "nothing is cached to answer offline from" in run.err
    assert "in memory for this command only" in run.err
    assert ("no usable keyring" in run.err) == (not cache)
    assert "Run without --offline" in run.err


@pytest.mark.usefixtures("no_keyring")
def test_demo_cache_info_with_no_keyring_says_memory_is_used(
    run_cli: Cal365, home: Path
) -> None:
    text = run_cli(*DEMO, "cache", "info")
    assert text.code == Exit.OK, text.err
    assert "no usable keyring" in text.out
    assert "in use:      session: memory only" in text.out
    assert "encrypted, the key in the OS keyring" not in text.out
    assert "none yet" not in text.out
    doc = run_cli(*DEMO, "cache", "info", "--json").json
    assert (doc["setting"], doc["storage"]) == ("keyring", "session")


@pytest.mark.usefixtures("memory_keyring")
def test_with_a_keyring_the_demo_keeps_its_cache(run_cli: Cal365, home: Path) -> None:
    doc = run_cli(*DEMO, "cache", "info", "--json").json
    assert (doc["setting"], doc["storage"]) == ("keyring", "keyring")
    synced = run_cli(*DEMO, "sync", *WINDOW, "--json")
    assert synced.code == Exit.OK, synced.err
    assert synced.json["kept"] is True and "not kept" not in synced.err
    offline = run_cli(*DEMO, "events", *WINDOW, "--offline")
    assert offline.code == Exit.OK, offline.err
    assert offline.rows and "offline: from the local cache" in offline.err
    info = run_cli(*DEMO, "cache", "info")
    assert "setting:     keyring (encrypted, the key in the OS keyring)" in info.out
    assert _files(home)
