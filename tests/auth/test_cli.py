"""cal365 login / logout / whoami, and the start-up paths that need no sign-in at all."""

from __future__ import annotations

import base64
import io
import subprocess
import sys
from pathlib import Path

import pytest

from tests.auth.fake_idp import TENANT_ID, USERNAME, FakeIdP
from tui import cli
from tui.auth import commands

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(idp: FakeIdP, home: Path, monkeypatch: pytest.MonkeyPatch) -> FakeIdP:
    for name in ("CAL365_ACCESS_TOKEN", "CAL365_PROFILE", "CAL365_TOKEN_STORAGE",
                 "CAL365_CLIENT_SECRET", "CAL365_CLIENT_CERTIFICATE", "CAL365_MAILBOX",
                 "CAL365_GRAPH_URL", "CAL365_CLOUD", "CAL365_TENANT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAL365_CLIENT_ID", idp.client_id)
    monkeypatch.setenv("CAL365_AUTHORITY_HOST", idp.host)
    monkeypatch.setenv("CAL365_CA_BUNDLE", idp.ca_path)
    idp.pending_polls = 0
    return idp


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_login_whoami_logout(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["login"]) == 0
    out = capsys.readouterr().out
    assert "https://microsoft.com/devicelogin" in out
    assert f"Signed in as {USERNAME} (tenant {TENANT_ID}" in out
    assert "\x1b]52" not in out  # not a terminal: no escape sequences
    device_code = env.requests[1]  # the devicecode request; its answer is not printed
    assert device_code.path.endswith("/devicecode")
    assert cli.main(["whoami"]) == 0
    out = capsys.readouterr().out
    assert f"user:      {USERNAME}" in out and "Global (including GCC)" in out
    assert "encrypted file" in out and "key in the OS keyring" in out
    assert cli.main(["logout"]) == 0
    out = capsys.readouterr().out
    assert "keyring entry cal365/token-cache-key:default" in out
    assert memory_keyring == {}
    assert cli.main(["whoami"]) == 1
    assert "Not signed in" in capsys.readouterr().out


def test_login_copies_the_code_with_osc52_on_a_terminal(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str]
) -> None:
    out, err = Tty(), io.StringIO()
    assert commands.login({}, out, err) == 0
    text = out.getvalue()
    code = text.split("enter the code:")[1].split()[0]
    assert f"\x1b]52;c;{base64.b64encode(code.encode()).decode()}\x07" in text
    assert "code expires in" in text


def test_login_that_is_declined_says_so(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str]
) -> None:
    env.device_outcome = "declined"
    out, err = io.StringIO(), io.StringIO()
    assert commands.login({}, out, err) == 1
    assert "sign-in failed: authorization_declined" in err.getvalue()


def test_plaintext_storage_warns_and_keeps_a_private_file(
    env: FakeIdP, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["login", "--token-storage", "plaintext"]) == 0
    captured = capsys.readouterr()
    assert "UNENCRYPTED" in captured.err and "UNENCRYPTED file" in captured.out
    files = list(home.rglob("token-cache.default.json"))
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
    assert cli.main(["--token-storage", "plaintext", "logout"]) == 0
    assert not files[0].exists()


def test_session_storage_is_for_the_app_not_for_login(
    env: FakeIdP, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["login", "--token-storage", "session"]) == 2
    assert "keeps nothing" in capsys.readouterr().err


def test_app_only_login_checks_the_secret(
    env: FakeIdP, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CAL365_CLIENT_SECRET", env.client_secret)
    monkeypatch.setenv("CAL365_TENANT", TENANT_ID)
    assert cli.main(["login"]) == 0
    assert "App-only credentials accepted" in capsys.readouterr().out
    assert cli.main(["whoami"]) == 0
    assert "app-only:  client secret" in capsys.readouterr().out


def test_app_only_refuses_me_without_a_mailbox(
    env: FakeIdP, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CAL365_CLIENT_SECRET", env.client_secret)
    monkeypatch.setenv("CAL365_TENANT", TENANT_ID)
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert "no /me" in err and "--mailbox" in err


def test_without_a_registration_cal365_explains_what_to_do(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("CAL365_ACCESS_TOKEN", "CAL365_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert "Allow public client flows" in err and "cal365 --demo" in err
    assert cli.main(["login"]) == 2


def test_flags_work_before_and_after_the_subcommand() -> None:
    parser = cli.build_parser()
    before = parser.parse_args(["--profile", "gov", "login"])
    after = parser.parse_args(["login", "--profile", "gov", "--browser"])
    assert cli.auth_flags(before)["profile"] == cli.auth_flags(after)["profile"] == "gov"
    demo = parser.parse_args(["--demo", "--days", "3", "--timezone", "UTC"])
    assert demo.command is None and demo.demo and demo.days == 3


def test_the_demo_path_imports_no_sign_in_library() -> None:
    code = (
        "import sys\n"
        "import tui.cli, tui.app, tui.fake\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('msal', 'keyring', 'cryptography', 'jeepney', 'secretstorage', 'requests'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


def test_login_with_the_identity_provider_down_says_so(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str],
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CAL365_AUTHORITY_HOST", "https://127.0.0.1:9")
    assert cli.main(["login"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the sign-in service 127.0.0.1:9" in err and "Traceback" not in err


def test_app_only_never_needs_the_keyring(
    env: FakeIdP, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("CAL365_CLIENT_SECRET", "wrong-secret")
    monkeypatch.setenv("CAL365_TENANT", TENANT_ID)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert cli.main(["login"]) == 1
        err = capsys.readouterr().err
        assert "app-only sign-in failed" in err and "AADSTS7000215" in err
        assert "keyring" not in err
    finally:
        keyring.set_keyring(previous)


def test_whoami_says_why_a_saved_sign_in_cannot_be_used(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["login"]) == 0
    memory_keyring[("cal365", "token-cache-key:default")] = "A" * 43 + "="
    capsys.readouterr()
    assert cli.main(["whoami"]) == 1
    out = capsys.readouterr().out
    assert "Not signed in" in out and "cannot be decrypted" in out


def test_login_grants_the_named_extra_permissions_and_refuses_others(
    env: FakeIdP, memory_keyring: dict[tuple[str, str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["login", "--permission", "Calendars.ReadWrite.Shared"]) == 0
    scope = next(r for r in env.requests if r.path.endswith("/devicecode")).form["scope"]
    names = {s.rsplit("/", 1)[-1] for s in scope.split() if "://" in s}
    assert names == {"Calendars.ReadWrite", "User.Read", "Calendars.ReadWrite.Shared"}
    assert "Calendars.ReadWrite.Shared" in env.consented
    with pytest.raises(SystemExit):
        cli.main(["login", "--permission", "Directory.ReadWrite.All"])
    assert "invalid choice" in capsys.readouterr().err
