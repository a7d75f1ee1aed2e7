"""`cal365 cache info|clear`, `--no-cache` / `--cache`, the config key, and logout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cache.conftest import CALENDAR, END, OWNER, START, Round, bulk_events
from tui.cache import cache_path, open_cache
from tui.cli import main
from tui.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CAL365_CACHE", "CAL365_TOKEN_STORAGE", "CAL365_PROFILE", "CAL365_CLIENT_ID",
                 "CAL365_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _fill(profile: str = "default", count: int = 50) -> Path:
    settings = load_settings({"profile": profile})
    cache = open_cache(settings, OWNER)
    assert cache is not None and cache.path is not None
    cache.put_round(CALENDAR, START, END, Round(bulk_events(count)))
    cache.close()
    return cache.path


def test_info_without_a_cache(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "cache", "info")
    assert code == 0
    assert "none yet" in out and str(cache_path("default")) in out
    code, out, _ = run(capsys, "cache", "--json")
    assert code == 0 and json.loads(out)["exists"] is False


@pytest.mark.usefixtures("memory_keyring")
def test_info_says_where_how_big_how_old_and_how_many(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = _fill()
    code, out, err = run(capsys, "cache", "info")
    assert code == 0, err
    assert f"file:        {path}" in out
    assert "encrypted (key in the OS keyring: keyring entry cal365/calendar-cache-key:default)" \
        in out
    assert "events:      50 in 1 calendar(s)" in out and "windows:     1 synced" in out
    assert "last sync:   " in out and "never" not in out and " ago)" in out
    code, out, _ = run(capsys, "cache", "info", "--json")
    document = json.loads(out)
    assert document["events"] == 50 and document["windows"] == 1 and document["encrypted"]
    assert document["bytes"] == sum(p.stat().st_size for p in path.parent.iterdir()
                                    if p.name.startswith(path.name) and
                                    not p.name.endswith(".lock"))
    assert document["lastSync"] and document["created"]


def test_info_on_a_damaged_file_does_not_touch_it(capsys: pytest.CaptureFixture[str]) -> None:
    path = cache_path("default")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\0garbage" * 512)
    code, out, _ = run(capsys, "cache")
    assert code == 0 and "DAMAGED" in out
    assert path.read_bytes() == b"\0garbage" * 512


def test_clear_deletes_files_moved_aside_ones_and_the_key(
        capsys: pytest.CaptureFixture[str], memory_keyring: dict[tuple[str, str], str]) -> None:
    path = _fill()
    aside = path.with_name(path.name + ".corrupt-20260101T000000000000Z")
    aside.write_bytes(b"old")
    code, out, _ = run(capsys, "cache", "clear")
    assert code == 0
    assert str(path) in out and str(aside) in out and "calendar-cache-key:default" in out
    assert not path.exists() and not aside.exists()
    assert memory_keyring == {}
    code, out, _ = run(capsys, "cache", "clear")
    assert code == 0 and "No calendar cache to clear" in out


def test_clear_without_a_keyring_removes_the_files_and_says_so(
        capsys: pytest.CaptureFixture[str]) -> None:
    import keyring
    from keyring.backends import fail

    path = _fill_plain()
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        # A plaintext cache needs no keyring: nothing to complain about.
        code, _, err = run(capsys, "--cache", "plaintext", "cache", "clear")
        assert code == 0 and err == "" and not path.exists()
        # Nothing left to remove, or only a plaintext cache: the key is no concern.
        assert run(capsys, "cache", "clear")[:3:2] == (0, "")
        _fill_plain()
        assert run(capsys, "cache", "clear")[:3:2] == (0, "")
    finally:
        keyring.set_keyring(previous)


@pytest.mark.usefixtures("memory_keyring")
def test_clearing_an_encrypted_cache_without_the_keyring_says_the_key_stays(
        capsys: pytest.CaptureFixture[str]) -> None:
    import keyring
    from keyring.backends import fail

    path = _fill()  # made while the keyring worked; now it is gone
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, out, err = run(capsys, "cache", "clear")
        assert code == 1 and str(path) in out and not path.exists()
        assert "keyring entry could not be removed" in err and "unlocks nothing" in err
    finally:
        keyring.set_keyring(previous)


def _fill_plain() -> Path:
    cache = open_cache(load_settings({"cache": "plaintext"}), OWNER)
    assert cache is not None and cache.path is not None
    cache.put_round(CALENDAR, START, END, Round(bulk_events(3)))
    cache.close()
    return cache.path


def test_logout_deletes_the_accounts_cache(
        capsys: pytest.CaptureFixture[str], memory_keyring: dict[tuple[str, str], str]) -> None:
    path = _fill()
    other = _fill(profile="work")
    code, out, _ = run(capsys, "logout")
    assert code == 0
    assert str(path) in out and "calendar-cache-key:default" in out
    assert not path.exists() and other.exists()
    assert set(memory_keyring) == {("cal365", "calendar-cache-key:work")}


def test_no_cache_and_cache_flags_and_the_environment(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert "setting:     off" in run(capsys, "--no-cache", "cache")[1]
    assert "setting:     off" in run(capsys, "cache", "--no-cache")[1]
    assert "setting:     session" in run(capsys, "cache", "--cache", "session")[1]
    assert "setting:     plaintext" in run(capsys, "--token-storage", "plaintext", "cache")[1]
    monkeypatch.setenv("CAL365_CACHE", "off")
    assert "setting:     off" in run(capsys, "cache")[1]
    assert "setting:     keyring" in run(capsys, "cache", "--cache", "keyring")[1]
    code, _, err = run(capsys, "cache", "--cache", "sometimes")
    assert code == 2 and "cache 'sometimes': use one of keyring, session, plaintext, off" in err


def test_the_config_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"

    def cache(text: str) -> str:
        config.write_text(text, encoding="utf-8")
        return load_settings({}, environ={}, path=config).cache

    assert cache("cache = false\n") == "off"
    assert cache("cache = true\n") == "keyring"
    assert cache('cache = "session"\n') == "session"
    assert cache('token_storage = "plaintext"\n') == "plaintext"
    assert cache('cache = "off"\n[profiles.work]\ncache = "plaintext"\n') == "off"
    with pytest.raises(ConfigError, match="cache must be a string"):
        cache("cache = 3\n")
    config.write_text('cache = "keyring"\n', encoding="utf-8")
    assert load_settings({"cache": "off"}, environ={}, path=config).cache == "off"


def test_info_on_a_busy_cache_is_an_error_not_damage(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    path = _fill_plain()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect",
                        lambda *a, **k: real_connect(*a, **{**k, "timeout": 0.05}))
    try:
        code, out, err = run(capsys, "--cache", "plaintext", "cache", "info")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1 and "DAMAGED" not in out
    assert "locked" in err
    assert run(capsys, "--cache", "plaintext", "cache", "info")[0] == 0


def test_info_notes_a_cache_made_with_other_storage(capsys: pytest.CaptureFixture[str]) -> None:
    _fill_plain()
    out = run(capsys, "cache", "info")[1]
    assert "UNENCRYPTED" in out and "note:        made with other storage" in out
    assert "note:" not in run(capsys, "--cache", "plaintext", "cache", "info")[1]


@pytest.mark.usefixtures("memory_keyring")
def test_info_shows_its_times_in_the_configured_zone(
        capsys: pytest.CaptureFixture[str], machine_zone: str) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    _fill()
    _, out, _ = run(capsys, "cache", "--json")
    synced = dt.datetime.fromisoformat(json.loads(out)["lastSync"])
    for argv, name in ((("cache", "info", "--timezone", "Asia/Tokyo"), "Asia/Tokyo"),
                       (("--timezone", "Europe/Berlin", "cache", "info"), "Europe/Berlin"),
                       (("cache", "info"), machine_zone)):  # neither: this machine's zone
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        shown = synced.astimezone(ZoneInfo(name)).strftime("%Y-%m-%d %H:%M %Z")
        assert f"last sync:   {shown} (" in out, (name, out)
