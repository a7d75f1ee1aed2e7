"""Where cal365's files are: the folders it always used, so an existing user's are found."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.paths import base_dir, demo_files

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders")
XDG = ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CAL365_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable in XDG:
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


@linux_only
def test_without_xdg_variables_the_files_are_under_the_home_folder(home: Path) -> None:
    assert base_dir("config") == home / ".config" / "cal365"
    assert base_dir("state") == home / ".local" / "state" / "cal365"
    assert base_dir("cache") == home / ".cache" / "cal365"


@linux_only
def test_an_empty_xdg_variable_counts_as_unset(home: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in XDG:
        monkeypatch.setenv(variable, "")
    assert base_dir("config") == home / ".config" / "cal365"
    assert base_dir("cache") == home / ".cache" / "cal365"


@linux_only
def test_xdg_variables_name_the_folders(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in XDG:
        monkeypatch.setenv(variable, str(home / variable.lower()))
    assert base_dir("config") == home / "xdg_config_home" / "cal365"
    assert base_dir("state") == home / "xdg_state_home" / "cal365"
    assert base_dir("cache") == home / "xdg_cache_home" / "cal365"
    with demo_files():  # the demo's state and cache stay apart; its config is the user's
        assert base_dir("state") == home / "xdg_state_home" / "cal365" / "demo"
        assert base_dir("cache") == home / "xdg_cache_home" / "cal365" / "demo"
        assert base_dir("config") == home / "xdg_config_home" / "cal365"


def test_cal365_home_holds_every_kind(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "elsewhere"))
    monkeypatch.setenv("CAL365_HOME", str(home / "portable"))
    assert [base_dir(kind) for kind in ("config", "state", "cache")] == [
        home / "portable" / "config", home / "portable" / "state", home / "portable" / "cache"]
