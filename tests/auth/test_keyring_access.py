"""The keyring is asked with a deadline, and every way it can be unusable is told apart."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.auth.cache import KeyringStore
from tui.secrets import keyring_access
from tui.secrets.keyring_access import KeyringUnavailable, unavailable_message

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backend() -> Iterator[None]:
    import keyring

    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def _install(cls: type) -> None:
    import keyring

    keyring.set_keyring(cls())


def test_the_fail_backend_is_unavailable(backend: None) -> None:
    from keyring.backends import fail

    _install(fail.Keyring)
    with pytest.raises(KeyringUnavailable) as caught:
        keyring_access.get_secret("token-cache-key:default")
    assert "D-Bus" in caught.value.reason or "no usable keyring backend" in caught.value.reason


def test_the_null_backend_is_unavailable(backend: None) -> None:
    from keyring.backends import null

    _install(null.Keyring)
    with pytest.raises(KeyringUnavailable):
        keyring_access.set_secret("token-cache-key:default", "x")


def test_a_backend_that_is_not_a_secure_store_is_refused(backend: None) -> None:
    from keyring.backend import KeyringBackend

    class Weak(KeyringBackend):
        priority = 0.5  # type: ignore[assignment]  # like keyrings.alt's plaintext file

        def get_password(self, service: str, username: str) -> str | None:
            raise AssertionError("must not be asked")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise AssertionError("must not be asked")

        def delete_password(self, service: str, username: str) -> None:
            raise AssertionError("must not be asked")

    _install(Weak)
    with pytest.raises(KeyringUnavailable, match="not a secure store"):
        keyring_access.get_secret("k")


@pytest.mark.parametrize(
    ("error", "text"),
    [("KeyringLocked", "the keyring is locked"), ("InitError", "could not be opened")],
)
def test_locked_and_uninitialised_keyrings_are_named(
    backend: None, error: str, text: str
) -> None:
    from keyring import errors
    from keyring.backend import KeyringBackend

    kind = getattr(errors, error)

    class Refusing(KeyringBackend):
        priority = 5  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            raise kind("Failed to unlock the collection!")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise kind("Failed to unlock the collection!")

        def delete_password(self, service: str, username: str) -> None:
            raise kind("Failed to unlock the collection!")

    _install(Refusing)
    with pytest.raises(KeyringUnavailable, match=text):
        KeyringStore("default").check()


def test_a_keyring_that_never_answers_times_out(backend: None) -> None:
    from keyring.backend import KeyringBackend

    release = threading.Event()

    class Hanging(KeyringBackend):
        priority = 5  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            release.wait(30)  # an unlock prompt nobody can see
            return None

        def set_password(self, service: str, username: str, password: str) -> None: ...

        def delete_password(self, service: str, username: str) -> None: ...

    _install(Hanging)
    try:
        with pytest.raises(KeyringUnavailable, match=r"did not answer within 0\.2 s"):
            keyring_access.get_secret("k", timeout=0.2)
    finally:
        release.set()


def test_the_message_names_the_fix_and_both_choices() -> None:
    linux = unavailable_message("no D-Bus session bus", "linux")
    assert "gnome-keyring-daemon --unlock" in linux and "dbus-run-session" in linux
    assert "--token-storage session" in linux and "--token-storage plaintext" in linux
    assert "security unlock-keychain" in unavailable_message("locked", "darwin")
    assert "OpenSSH" in unavailable_message("error 1312", "win32")


def test_login_without_dbus_says_why_and_stops(tmp_path: Path) -> None:
    """As over plain SSH: no session bus. No hang, no code shown, no file written."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "DISPLAY",
                        "WAYLAND_DISPLAY")}
    env.update(CAL365_HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               CAL365_CLIENT_ID="5f1d2c3b-0000-4000-8000-000000000001",
               CAL365_TENANT="organizations")
    result = subprocess.run(
        [sys.executable, "-m", "tui", "login"], capture_output=True, text=True, env=env,
        cwd=ROOT, timeout=60, check=False,
    )
    assert result.returncode == 2
    assert "no D-Bus session bus" in result.stderr
    assert "--token-storage session" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "home").exists() or not list((tmp_path / "home").rglob("token-*"))


@pytest.mark.parametrize(
    ("bus_error", "text"),
    [("org.freedesktop.DBus.Error.ServiceUnknown", "no Secret Service keyring"),
     ("org.freedesktop.DBus.Error.NoReply", "did not answer"),
     ("org.freedesktop.DBus.Error.AccessDenied", "refused access"),
     ("org.freedesktop.Secret.Error.Odd", "answered with an error (Odd)")],
)
def test_a_d_bus_error_is_said_in_words(backend: None, bus_error: str, text: str) -> None:
    from keyring.backend import KeyringBackend

    class BusError(Exception):
        def __init__(self) -> None:
            super().__init__("[%s] ('The name org.freedesktop.secrets was not provided',)")
            self.name = bus_error

    class Failing(KeyringBackend):
        priority = 5  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            raise BusError()

        def set_password(self, service: str, username: str, password: str) -> None:
            raise BusError()

        def delete_password(self, service: str, username: str) -> None:
            raise BusError()

    _install(Failing)
    with pytest.raises(KeyringUnavailable) as caught:
        KeyringStore("default").check()
    assert text in caught.value.reason
    assert "org.freedesktop" not in caught.value.reason
