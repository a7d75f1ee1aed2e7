"""Which cache a run gets: the demo's quiet fallback, the explicit choice elsewhere, and
the settings and labels around sync."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.app.helpers import ZONE, toasts, wait_for
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.cache import Owner, cache_path
from tui.config import ConfigError, Settings, load_settings
from tui.fake import FakeGraph
from tui.graph import GraphClient
from tui.paths import demo_files
from tui.secrets.keyring_access import KeyringUnavailable
from tui.sync import DEMO_OWNER, freshness
from tui.wiring import demo_settings, opener


@pytest.mark.usefixtures("no_keyring")
def test_the_demo_without_a_keyring_keeps_its_cache_in_memory_and_writes_no_file() -> None:
    settings = demo_settings()
    assert settings.cache == "keyring"
    with demo_files():
        store = opener(settings, lambda: DEMO_OWNER, quiet=True)()
        assert store is not None and not store.persistent and not store.encrypted
        folder = cache_path("demo").parent
        assert not cache_path("demo").exists()  # at most the empty lock file
        assert not [p for p in folder.glob("calendar.demo*") if p.stat().st_size]
    # Asked for explicitly, a session cache it is too.
    store = opener(demo_settings("session"), lambda: DEMO_OWNER, quiet=True)()
    assert store is not None and not store.persistent
    # And --no-cache still means none.
    assert opener(demo_settings("off"), lambda: DEMO_OWNER, quiet=True)() is None


@pytest.mark.usefixtures("no_keyring")
def test_a_real_account_without_a_keyring_must_choose() -> None:
    with pytest.raises(KeyringUnavailable):
        opener(Settings(cache="keyring"), lambda: Owner("someone"))()
    assert not cache_path("default").exists()


def test_the_demo_with_a_keyring_keeps_an_encrypted_cache(
    memory_keyring: dict[tuple[str, str], str],
) -> None:
    with demo_files():
        store = opener(demo_settings(), lambda: DEMO_OWNER, quiet=True)()
        assert store is not None and store.persistent and store.encrypted
        assert store.path == cache_path("demo") and store.path.parent.name == "demo"
    assert any("calendar-cache-key:demo" in user for _, user in memory_keyring)
    store.close()


def test_no_known_account_means_no_cache() -> None:
    assert opener(Settings(cache="plaintext"), lambda: None)() is None


def test_demo_cache_choice_is_checked() -> None:
    with pytest.raises(ConfigError):
        demo_settings("floppy")
    assert demo_settings("false").cache == "off"


def test_sync_every_comes_from_the_config_environment_and_flags(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("sync_every = 15\n")
    assert load_settings({}, {}, config).sync_every == 15
    assert load_settings({}, {"CAL365_SYNC_EVERY": "0"}, config).sync_every == 0
    assert load_settings({"sync_every": "2.5"}, {}, config).sync_every == 2.5
    with pytest.raises(ConfigError, match="sync_every"):
        load_settings({"sync_every": "often"}, {}, config)
    assert Settings().sync_every == 5


def test_the_freshness_marker() -> None:
    tz = dt.timezone(dt.timedelta(hours=1))
    now = dt.datetime(2026, 11, 25, 9, 30, tzinfo=tz)
    this_morning = dt.datetime(2026, 11, 25, 8, 12, tzinfo=tz)
    yesterday = dt.datetime(2026, 11, 24, 17, 40, tzinfo=tz)
    assert freshness(this_morning, now) == "as of 08:12"
    assert freshness(this_morning, now, syncing=True) == "as of 08:12 · syncing…"
    assert freshness(None, now, syncing=True) == "syncing…"
    assert freshness(None, now) == ""
    assert freshness(yesterday, now, offline=True) == "offline — as of yesterday 17:40"
    assert freshness(yesterday, now, offline=True, syncing=True).startswith("offline")
    assert freshness(None, now, offline=True) == "offline — nothing cached"
    assert freshness(dt.datetime(2026, 10, 1, 7, 0, tzinfo=tz), now) == "as of 01 Oct 2026 07:00"


@pytest.mark.usefixtures("no_keyring")
async def test_the_app_without_a_keyring_says_why_and_runs_without_a_cache(
    fake_graph: FakeGraph,
) -> None:
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE)
    app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE,
                    cache=opener(Settings(cache="keyring"), lambda: Owner("someone")))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.main.status.kind == "info"
                       and app.main.table.all_events)
        assert app.main.sync is None
        await wait_for(pilot, lambda: "--cache session" in " ".join(toasts(app))
                       and "--no-cache" in " ".join(toasts(app)))


def test_an_older_tree_written_late_never_replaces_a_newer_one() -> None:
    from tui.cache import CachedTree
    from tui.graph import ME
    from tui.graph.models import Group
    from tui.sync import SyncController

    store = opener(Settings(cache="plaintext"), lambda: Owner("someone"))()
    assert store is not None
    controller = SyncController(store, None, dt.UTC)
    newer = CachedTree((), (Group("g1", "Falcon", "falcon@contoso.test"),))
    controller.save_tree(ME, newer, 2)
    controller.save_tree(ME, CachedTree(()), 1)  # its thread came last
    found = store.tree(ME)
    assert found is not None and found[0] == newer
    store.close()
