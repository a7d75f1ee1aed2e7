"""The config file's [keys]: read by every start of the app, checked against the command
registry; a bad entry is a clear message and exit 2, never a traceback or a started app."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cal365
from tui.app import Cal365App
from tui.commands import COMMANDS, holding_keys
from tui.config import ConfigError
from tui.config.keys import load_keys
from tui.keymap import KeymapError, check_keymap, key_name

DEMO = ("--demo", "--date", "2026-11-23", "--cache", "off")


def _config(home: Path, text: str) -> Path:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Cal365App]:
    apps: list[Cal365App] = []
    monkeypatch.setattr(Cal365App, "run", lambda self, *a, **k: apps.append(self))
    return apps


def test_the_app_starts_with_the_users_keys(home: Path, run_cli: Cal365,
                                           started: list[Cal365App]) -> None:
    _config(home, '[keys]\nrefresh = "F5"\nhelp = ["?", "f1"]\nquit = "q,ctrl+q"\n')
    run = run_cli(*DEMO)
    assert run.code == 0, run.err
    assert [app.keymap for app in started] == [
        {"refresh": "f5", "help": "question_mark,f1", "quit": "q,ctrl+q"}]


@pytest.mark.parametrize(("table", "words"), [
    ('refrsh = "f5"', "'refrsh' is not a command (did you mean 'refresh'?)"),
    ('refresh = "t"', "refresh: t is already the key of 'today'"),
    ('refresh = "hyper+nothing"', "refresh: 'hyper+nothing' is not a key"),
    ('refresh = "f5,"', "refresh: an empty key"),
    ('refresh = 5', "[keys] refresh: give a key as a string"),
    ('refresh = []', "[keys] refresh: give a key as a string"),
])
def test_a_bad_entry_is_a_clear_message_and_no_app(home: Path, run_cli: Cal365,
                                                   started: list[Cal365App], table: str,
                                                   words: str) -> None:
    path = _config(home, f"[keys]\n{table}\n")
    run = run_cli(*DEMO)
    assert run.code == 2
    assert words in run.err and str(path) in run.err
    assert "Traceback" not in run.err
    assert started == []


def test_keys_outside_their_table_are_refused_with_a_reason(
        home: Path, run_cli: Cal365, started: list[Cal365App],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _config(home, 'keys = "f5"\n')
    run = run_cli(*DEMO)
    assert run.code == 2 and "'keys' must be a [keys] table" in run.err
    _config(home, '[profiles.work.keys]\nrefresh = "f5"\n')
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "a-token")  # a start that reads the profile
    run = run_cli("--profile", "work", "--graph-url", "https://127.0.0.1:9/v1.0")
    assert run.code == 2
    assert run.err.count("cal365:") == 1 and "keys are the same for every profile" in run.err
    assert started == []


def test_the_script_commands_do_not_read_keys(home: Path, run_cli: Cal365) -> None:
    _config(home, '[keys]\nrefrsh = "f5"\n')
    run = run_cli("--demo", "--date", "2026-11-23", "calendars")
    assert run.code == 0, run.err


def test_several_problems_are_all_told() -> None:
    with pytest.raises(KeymapError) as caught:
        check_keymap({"nothing": "f5", "refresh": "ctrl+ctrl+r", "today": "f6"})
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("'nothing' is not a command")
    assert lines[1] == "refresh: 'ctrl+ctrl+r': a modifier given twice"


def test_keys_are_read_in_textuals_names() -> None:
    assert [key_name(k) for k in ("?", "/", "Ctrl+R", "F5", "A", "ctrl+?", "pagedown")] == [
        "question_mark", "slash", "ctrl+r", "f5", "A", "ctrl+question_mark", "pagedown"]
    for bad in ("", " ", "f99x", "cmd+r", "ctrl+"):
        with pytest.raises(ValueError):
            key_name(bad)


def test_two_commands_may_swap_keys() -> None:
    assert check_keymap({"today": "r", "refresh": "t"}) == {"today": "r", "refresh": "t"}


def test_the_registry_has_no_clash_of_its_own() -> None:
    assert check_keymap({c.id: c.keys for c in COMMANDS}) == {c.id: c.keys for c in COMMANDS}


def test_the_keys_that_open_a_text_box_are_marked_in_the_registry() -> None:
    assert holding_keys() == {"filter", "goto", "open-mailbox", "cancel", "details-cancel",
                              "palette", "accept", "tentative", "decline"}


def test_a_config_file_without_keys_has_none(tmp_path: Path) -> None:
    assert load_keys(tmp_path / "absent.toml") == {}
    path = tmp_path / "config.toml"
    path.write_text('tenant = "contoso.com"\n', encoding="utf-8")
    assert load_keys(path) == {}
    path.write_text("[keys\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read"):
        load_keys(path)
