"""The token cache on disk: encrypted with a key from the keyring, private, shared safely."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.auth.conftest import settings_for
from tests.auth.fake_idp import FakeIdP
from tui.auth.cache import CacheUnreadable, KeyringStore, MemoryStore, PlaintextStore
from tui.auth.provider import MsalProvider

ROOT = Path(__file__).resolve().parents[2]
STATE = '{"RefreshToken": {"k": {"secret": "0.AAAA-refresh-secret"}}}'


def test_keyring_store_round_trip_is_encrypted_and_private(
    home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    store = KeyringStore("work")
    with store.lock():
        store.save(STATE)
    assert store.path.stat().st_mode & 0o777 == 0o600
    assert store.path.parent.stat().st_mode & 0o777 == 0o700
    assert b"refresh-secret" not in store.path.read_bytes()
    assert len(memory_keyring[("cal365", "token-cache-key:work")]) == 44
    assert KeyringStore("work").load() == STATE  # a new process, the same key


def test_a_lost_or_wrong_key_never_falls_back_to_reading_plaintext(
    home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    store = KeyringStore("default")
    store.save(STATE)
    memory_keyring[("cal365", "token-cache-key:default")] = (
        "A" * 43 + "="  # a valid Fernet key, but not the one used
    )
    with pytest.raises(CacheUnreadable, match="cannot be decrypted"):
        KeyringStore("default").load()
    del memory_keyring[("cal365", "token-cache-key:default")]
    with pytest.raises(CacheUnreadable, match="gone from the keyring"):
        KeyringStore("default").load()


def test_an_unreadable_cache_means_signing_in_again(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    settings = settings_for(idp)
    MsalProvider(settings, KeyringStore("default")).start_device_flow().wait()
    memory_keyring[("cal365", "token-cache-key:default")] = "A" * 43 + "="
    fresh = MsalProvider(settings, KeyringStore("default"))
    assert fresh.silent_token() is None
    assert "cannot be decrypted" in fresh.last_problem


def test_a_file_others_can_read_is_refused(home: Path) -> None:
    store = PlaintextStore("default")
    store.save(STATE)
    assert store.path.stat().st_mode & 0o777 == 0o600
    assert PlaintextStore("default").load() == STATE
    store.path.chmod(0o644)
    with pytest.raises(CacheUnreadable, match="chmod 600"):
        PlaintextStore("default").load()


def test_plaintext_warning_names_the_file(home: Path) -> None:
    store = PlaintextStore("default")
    assert str(store.path) in store.warning and "UNENCRYPTED" in store.warning
    assert "cal365 logout" in store.warning


def test_memory_store_writes_nothing(home: Path) -> None:
    store = MemoryStore()
    store.save(STATE)
    assert store.load() == STATE
    assert not home.exists() or not list(home.rglob("*"))
    assert store.wipe() == ["tokens in memory"]


_WORKER = """
import sys
from pathlib import Path
from tui.secrets.filelock import FileLock
counter = Path(sys.argv[1])
for _ in range(40):
    with FileLock(counter.with_suffix(".lock")):
        value = int(counter.read_text() or "0")
        counter.write_text(str(value + 1))
"""


def test_the_file_lock_serialises_processes(tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    counter.write_text("0")
    workers = [
        subprocess.Popen([sys.executable, "-c", _WORKER, str(counter)], cwd=ROOT)
        for _ in range(3)
    ]
    assert [w.wait(timeout=60) for w in workers] == [0, 0, 0]
    assert counter.read_text() == "120"


def test_two_instances_share_rotating_refresh_tokens(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    """Each refresh rotates the refresh token; an instance that kept a stale one would be
    refused. Both keep working because each reloads the file the other wrote."""
    idp.expires_in = 60  # every silent call refreshes
    settings = settings_for(idp)
    first = MsalProvider(settings, KeyringStore("default"))
    first.start_device_flow().wait()
    second = MsalProvider(settings, KeyringStore("default"))
    for _ in range(3):
        assert first.silent_token() is not None
        assert second.silent_token() is not None, second.last_problem
    assert len(idp.grants("refresh_token")) == 6
