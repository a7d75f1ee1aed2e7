"""The keyring path against a real Secret Service (gnome-keyring on a private D-Bus).

Run them with tests/auth/run_with_keyring.sh; elsewhere they skip and say why. The locked
keyring test starts its own D-Bus session, so it needs only the programs installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.auth.conftest import settings_for
from tests.auth.fake_idp import USERNAME, FakeIdP
from tui.auth.cache import KeyringStore
from tui.auth.provider import MsalProvider
from tui.secrets import keyring_access

ROOT = Path(__file__).resolve().parents[2]
# One Secret Service serves every worker of a parallel run: its tests take turns on one.
pytestmark = pytest.mark.xdist_group("secret-service")


def _secret_service_problem() -> str | None:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session bus"
    try:
        import keyring

        backend = keyring.get_keyring()
        if type(backend).__module__ != "keyring.backends.SecretService":
            return f"keyring chose {type(backend).__module__}, not SecretService"
        # A name of this process's own: pytest-xdist's workers probe the one service at once.
        probe = f"cal365-test-probe-{os.getpid()}"
        keyring_access.set_secret(probe, "ok", timeout=5)
        keyring_access.delete_secret(probe, timeout=5)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


_PROBLEM = _secret_service_problem() if os.environ.get("DBUS_SESSION_BUS_ADDRESS") else (
    "no D-Bus session bus"
)
# run_with_keyring.sh sets this: there, a missing Secret Service is a failure, not a skip.
REQUIRED = os.environ.get("CAL365_REQUIRE_SECRET_SERVICE") == "1"


@pytest.fixture
def secret_service() -> None:
    if _PROBLEM is None:
        return
    reason = (f"no unlocked Secret Service ({_PROBLEM}); run tests/auth/run_with_keyring.sh "
              "(dbus-run-session + gnome-keyring-daemon --unlock)")
    if REQUIRED:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.secret_service
@pytest.mark.usefixtures("secret_service")
def test_sign_in_keeps_the_key_in_the_secret_service(idp: FakeIdP, home: Path) -> None:
    import keyring

    settings = settings_for(idp, profile="ss-test")
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    provider.start_device_flow().wait()
    key = keyring.get_password("cal365", "token-cache-key:ss-test")
    assert key is not None and len(key) == 44  # a Fernet key, far below Windows' limit
    store = KeyringStore("ss-test")
    assert store.path.stat().st_mode & 0o777 == 0o600
    data = store.path.read_bytes()
    assert all(token.encode() not in data for token in idp.issued)
    # A new process (new objects) signs in silently through the Secret Service.
    again = MsalProvider(settings, KeyringStore(settings.profile))
    identity = again.identity()
    assert identity is not None and identity.username == USERNAME
    assert again.silent_token() == idp.access_issued[0]
    removed = again.sign_out()
    assert keyring.get_password("cal365", "token-cache-key:ss-test") is None
    assert not store.path.exists()
    assert any("keyring entry" in item for item in removed)


@pytest.mark.secret_service
@pytest.mark.usefixtures("secret_service")
def test_logout_and_whoami_commands_with_the_secret_service(
    idp: FakeIdP, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.script import account as commands

    settings = settings_for(idp, profile="ss-cli")
    MsalProvider(settings, KeyringStore("ss-cli")).start_device_flow().wait()
    flags = {"profile": "ss-cli", "client_id": idp.client_id, "authority_host": idp.host,
             "ca_bundle": idp.ca_path}
    assert commands.whoami(flags) == 0
    out = capsys.readouterr().out
    assert USERNAME in out and "key in the OS keyring" in out
    assert commands.logout(flags) == 0
    assert "keyring entry cal365/token-cache-key:ss-cli" in capsys.readouterr().out
    assert commands.whoami(flags) == 1


_TOOLS = shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")


@pytest.mark.secret_service
def test_a_locked_keyring_is_reported_with_the_unlock_command(tmp_path: Path) -> None:
    """A private D-Bus session whose login keyring exists but is locked, as after an SSH
    login: cal365 login must name the problem quickly instead of waiting for a prompt."""
    if not _TOOLS:
        reason = "needs dbus-run-session and gnome-keyring-daemon (Debian: dbus, gnome-keyring)"
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    script = (
        "import secretstorage, subprocess, sys\n"
        "c = secretstorage.dbus_init(); col = secretstorage.get_default_collection(c)\n"
        "col.lock(); assert col.is_locked()\n"
        "r = subprocess.run([sys.executable, '-m', 'tui', 'login'], capture_output=True,"
        " text=True, timeout=60)\n"
        "sys.stdout.write(str(r.returncode) + '\\n' + r.stderr)\n"
    )
    home = tmp_path / "home"
    run = tmp_path / "run"
    home.mkdir()
    run.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items()
           if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY",
                        "PYTHON_KEYRING_BACKEND")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "cfg"), XDG_RUNTIME_DIR=str(run),
               CAL365_HOME=str(home / "cal365"),
               CAL365_CLIENT_ID="5f1d2c3b-0000-4000-8000-000000000001")
    shell = ("printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
             f'exec "{sys.executable}" -c "$0"')
    result = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", shell, script],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )
    code, _, stderr = result.stdout.partition("\n")
    assert code == "2", result.stdout + result.stderr
    assert "the keyring is locked" in stderr
    assert "gnome-keyring-daemon --unlock" in stderr and "--token-storage plaintext" in stderr


@pytest.mark.secret_service
@pytest.mark.usefixtures("secret_service")
def test_the_calendar_cache_keeps_its_key_in_the_secret_service(home: Path) -> None:
    import keyring

    from tests.cache.conftest import CALENDAR, END, OWNER, START, Round, bulk_events
    from tui.cache import open_cache, remove_cache
    from tui.config import load_settings

    settings = load_settings({"profile": "ss-cache"}, environ={})
    cache = open_cache(settings, OWNER)
    assert cache is not None and cache.encrypted
    cache.put_round(CALENDAR, START, END, Round(bulk_events(20)))
    cache.close()
    key = keyring.get_password("cal365", "calendar-cache-key:ss-cache")
    assert key is not None and len(key) == 44
    again = open_cache(settings, OWNER)  # new objects: the key comes from the service again
    assert again is not None and again.take_notices() == []
    assert again.count(CALENDAR, START, END) == 20
    again.close()
    removed, problem = remove_cache(settings)
    assert problem is None and "keyring entry cal365/calendar-cache-key:ss-cache" in removed
    assert keyring.get_password("cal365", "calendar-cache-key:ss-cache") is None
