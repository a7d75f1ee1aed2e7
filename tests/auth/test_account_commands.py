"""login, logout and whoami answer with the one exit-code table of every command
(tui/script/exits.py), and say what a new user needs in a line or two."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.auth.fake_idp import FakeIdP
from tui import cli
from tui.script.exits import EXIT_CODE_HELP, Exit

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "5f1d2c3b-0000-4000-8000-000000000001"


@pytest.fixture
def env(idp: FakeIdP, home: Path, monkeypatch: pytest.MonkeyPatch) -> FakeIdP:
    for name in ("CAL365_ACCESS_TOKEN", "CAL365_PROFILE", "CAL365_TOKEN_STORAGE",
                 "CAL365_CLIENT_SECRET", "CAL365_CLIENT_CERTIFICATE", "CAL365_MAILBOX",
                 "CAL365_GRAPH_URL", "CAL365_CLOUD", "CAL365_TENANT", "CAL365_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAL365_CLIENT_ID", idp.client_id)
    monkeypatch.setenv("CAL365_AUTHORITY_HOST", idp.host)
    monkeypatch.setenv("CAL365_CA_BUNDLE", idp.ca_path)
    idp.pending_polls = 0
    return idp


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- one table ------------------------------------------------------------------------------


def test_an_expired_device_code_means_sign_in_needed(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    env.device_outcome = "expired"
    code, _, err = run(capsys, "login")
    assert code == Exit.AUTH == 5
    assert "expired" in err and "cal365 login again" in err and "Traceback" not in err
    assert memory_keyring == {}


def test_a_declined_sign_in_is_like_answering_no(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    env.device_outcome = "declined"
    code, _, err = run(capsys, "login")
    assert code == Exit.ERROR
    assert "authorization_declined" in err


@pytest.mark.parametrize("command", ["login", "logout", "whoami"])
def test_the_account_commands_show_the_same_table(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    assert EXIT_CODE_HELP.strip() in capsys.readouterr().out


def test_the_scripting_docs_table_is_the_code_table() -> None:
    docs = (ROOT / "docs" / "scripting.md").read_text()
    section = docs.split("## Exit codes", 1)[1].split("\n#", 1)[0]
    rows = {int(line.split("|")[1]) for line in section.splitlines()
            if line.startswith("| ") and line.split("|")[1].strip().isdigit()}
    assert rows == {int(code) for code in Exit}


# -- logout ---------------------------------------------------------------------------------


def test_logout_with_nobody_signed_in_is_done_in_one_line(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "logout")
    assert code == Exit.OK
    assert out.splitlines() == ["Nothing to remove for profile 'default': nobody is signed in."]
    assert err == ""


@pytest.mark.usefixtures("no_keyring")
def test_logout_with_no_keyring_and_nothing_to_remove_is_done(
    env: FakeIdP, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "logout")
    assert code == Exit.OK
    assert len(out.splitlines()) == 1 and "Nothing to remove" in out
    assert err == ""


def test_logout_without_dbus_is_done_without_a_bus_error(tmp_path: Path) -> None:
    """As over plain SSH: no session bus, nobody signed in."""
    environ = {k: v for k, v in os.environ.items()
               if k not in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND",
                            "CAL365_ACCESS_TOKEN")}
    environ.update(CAL365_HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
                   CAL365_CLIENT_ID=CLIENT_ID)
    result = subprocess.run([sys.executable, "-m", "tui", "logout"], capture_output=True,
                            text=True, env=environ, cwd=ROOT, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1 and "Nothing to remove" in result.stdout
    assert result.stderr == ""


def test_logout_with_the_keyring_gone_removes_the_file_and_says_the_key_stays(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str], home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import keyring
    from keyring.backends import fail

    assert run(capsys, "login")[0] == Exit.OK
    files = list(home.rglob("token-cache.default.fernet"))
    assert files
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, out, err = run(capsys, "logout")
    finally:
        keyring.set_keyring(previous)
    assert code == Exit.ERROR
    assert str(files[0]) in out and not files[0].exists()
    assert "keyring entry could not be removed" in err and "unlocks nothing" in err
    assert "Traceback" not in err


# -- whoami ---------------------------------------------------------------------------------


def test_whoami_without_a_registration_answers_first_and_points_to_the_setup(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("CAL365_ACCESS_TOKEN", "CAL365_CLIENT_ID", "CAL365_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    code, out, err = run(capsys, "whoami")
    assert code == Exit.ERROR  # as whoami with nobody signed in
    lines = out.splitlines()
    assert lines[0].startswith("Not signed in") and "no app registration" in lines[0]
    assert len(lines) == 2 and "docs/signing-in.md" in lines[1] and "Signing in" in lines[1]
    assert "Allow public client flows" not in out + err  # the guide is not printed
    assert err == ""


def test_ctrl_c_during_login_is_interrupted(idp: FakeIdP, tmp_path: Path) -> None:
    import signal

    idp.pending_polls = 10_000  # the user never finishes
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("CAL365_") and k not in ("REQUESTS_CA_BUNDLE",
                                                            "CURL_CA_BUNDLE")}
    environ.update(CAL365_HOME=str(tmp_path / "home"), CAL365_CLIENT_ID=idp.client_id,
                   CAL365_AUTHORITY_HOST=idp.host, CAL365_CA_BUNDLE=idp.ca_path,
                   CAL365_TOKEN_STORAGE="plaintext", PYTHONUNBUFFERED="1")
    child = subprocess.Popen([sys.executable, "-m", "tui", "login"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=environ, cwd=ROOT)
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if "Ctrl-C" in line:
                break
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == Exit.INTERRUPTED == 130
    # Cancelled while waiting, or interrupted while asking for the code: 130 either way.
    assert ("sign-in cancelled" in err or "interrupted" in err) and "Traceback" not in err


def test_whoami_says_when_the_access_token_variable_wins(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str],
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run(capsys, "login")[0] == Exit.OK
    assert "CAL365_ACCESS_TOKEN" not in run(capsys, "whoami")[1]
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "eyJ0eXAiOiJKV1QifQ.x.y")
    code, out, _ = run(capsys, "whoami")
    assert code == Exit.OK and "CAL365_ACCESS_TOKEN is set" in out
