"""Files cal365 writes are private to the user."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tui.paths import append_private, private_dir, write_private


def test_dirs_are_0700_and_files_0600(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_HOME", str(tmp_path / "home"))
    state = private_dir("state")
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    target = state / "drafts.json"
    write_private(target, b"{}")
    write_private(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    log = state / "audit.jsonl"
    append_private(log, b"one\n")
    append_private(log, b"two\n")
    assert log.read_bytes() == b"one\ntwo\n"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert [p.name for p in state.iterdir() if p.name.startswith(".")] == []


def test_a_loose_existing_dir_is_tightened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_HOME", str(tmp_path))
    loose = tmp_path / "cache"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    assert stat.S_IMODE(private_dir("cache").stat().st_mode) == 0o700
