"""The OS keyring, asked from a throwaway thread with a deadline.

A Secret Service that wants to show an unlock prompt nobody can see (over SSH) blocks
forever; a thread we can abandon and a timeout turn that into "unavailable" in seconds.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

SERVICE = "cal365"
DEFAULT_TIMEOUT = 5.0


class KeyringUnavailable(Exception):
    """No keyring cal365 may use. `reason` is one line; `advice()` says what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def advice(self) -> str:
        return unavailable_message(self.reason)


def unlock_instructions(platform: str | None = None) -> str:
    platform = platform or sys.platform
    if platform == "darwin":
        return (
            "Unlock the login keychain in this session, then run cal365 again:\n"
            "  security unlock-keychain ~/Library/Keychains/login.keychain-db"
        )
    if platform == "win32":
        return (
            "Windows Credential Manager cannot be used from an OpenSSH session\n"
            "(a network logon). Run cal365 once in a console or Remote Desktop\n"
            "session to keep the key there."
        )
    return (
        "Start and unlock a Secret Service keyring (gnome-keyring) in this\n"
        "session, then run cal365 again:\n"
        "  dbus-run-session -- $SHELL   # if DBUS_SESSION_BUS_ADDRESS is unset\n"
        '  read -rs PW && printf %s "$PW" |\n'
        "    gnome-keyring-daemon --unlock --components=secrets; unset PW"
    )


CLI_CHOICES = (
    "Or choose, explicitly, one of:\n"
    "  --token-storage session    sign in for this run only; nothing is\n"
    "                             written to disk\n"
    "  --token-storage plaintext  tokens in an unencrypted 0600 file\n"
    "                             (a warning shows at every start)\n"
    "(also token_storage in the config file, or CAL365_TOKEN_STORAGE)"
)
APP_CHOICES = (
    "Or choose, explicitly:\n"
    "  s  session only: sign in for this run; nothing is written to disk\n"
    "  p  plaintext file: tokens in an unencrypted 0600 file (a warning\n"
    "     shows at every start)"
)


def unavailable_message(
    reason: str, platform: str | None = None, choices: str = CLI_CHOICES
) -> str:
    return (
        f"the OS keyring is not usable:\n  {reason}.\n\n"
        f"{unlock_instructions(platform)}\n\n{choices}"
    )


def call(fn: Callable[..., T], *args: Any, timeout: float = DEFAULT_TIMEOUT) -> T:
    """Run `fn(*args)` in a daemon thread; give up after `timeout` seconds.

    A daemon thread (not an executor) so that a call stuck on D-Bus never blocks exit.
    """
    box: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            box.put((True, fn(*args)))
        except BaseException as exc:
            box.put((False, exc))

    threading.Thread(target=run, name="cal365-keyring", daemon=True).start()
    try:
        ok, value = box.get(timeout=timeout)
    except queue.Empty:
        raise KeyringUnavailable(
            f"the keyring did not answer within {timeout:g} s (it may be waiting for an "
            "unlock prompt that cannot show here)"
        ) from None
    if ok:
        return value  # type: ignore[no-any-return]
    raise value


def _backend_problem() -> str | None:
    """Why the selected backend is unusable, or None. Must run off the UI thread."""
    import keyring
    from keyring.backends import chainer, fail, null

    backend = keyring.get_keyring()
    members = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    if isinstance(backend, fail.Keyring | null.Keyring) or not members:
        if sys.platform.startswith("linux") and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset, usual over SSH)"
        return f"no usable keyring backend ({type(backend).__module__}.{type(backend).__name__})"
    weak = [m for m in members if getattr(m, "priority", 0) < 1]
    if len(weak) == len(members):
        # keyrings.alt's plaintext file or a backend that prompts on the terminal.
        name = ", ".join(f"{type(m).__module__}.{type(m).__name__}" for m in weak)
        return f"the only keyring backend is not a secure store ({name})"
    return None


def _describe(exc: BaseException) -> str:
    from keyring import errors

    if isinstance(exc, errors.KeyringLocked):
        return f"the keyring is locked ({exc})"
    if isinstance(exc, errors.InitError):
        return f"the keyring could not be opened ({exc})"
    if isinstance(exc, errors.NoKeyringError):
        return "no usable keyring backend"
    bus_error = getattr(exc, "name", None)  # jeepney's DBusErrorResponse: a D-Bus error name
    if isinstance(bus_error, str) and bus_error.startswith("org.freedesktop."):
        return _bus_problem(bus_error)
    if type(exc).__name__ == "SecretServiceNotAvailableException":
        return "no Secret Service keyring (such as gnome-keyring) answers on this D-Bus session"
    return f"{type(exc).__name__}: {exc}"


def _bus_problem(name: str) -> str:
    """A D-Bus error name in words: the user needs what to fix, not the bus's own text."""
    if name.endswith((".ServiceUnknown", ".NameHasNoOwner")):
        return "no Secret Service keyring (such as gnome-keyring) runs on this D-Bus session"
    if name.endswith((".NoReply", ".Timeout", ".TimedOut")):
        return "the keyring on the D-Bus session did not answer"
    if name.endswith(".AccessDenied"):
        return "the D-Bus session refused access to the keyring"
    short = name.rsplit(".", 1)[-1][:80]
    return f"the keyring on the D-Bus session answered with an error ({short})"


def _guard(fn: Callable[..., T], *args: Any, timeout: float) -> T:
    from keyring import errors

    def checked() -> T:
        problem = _backend_problem()
        if problem:
            raise KeyringUnavailable(problem)
        return fn(*args)

    try:
        return call(checked, timeout=timeout)
    except KeyringUnavailable:
        raise
    except (errors.KeyringError, OSError) as exc:
        raise KeyringUnavailable(_describe(exc)) from None
    except Exception as exc:  # jeepney and SecretStorage raise their own types
        raise KeyringUnavailable(_describe(exc)) from None


def get_secret(user: str, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    import keyring

    value = _guard(keyring.get_password, SERVICE, user, timeout=timeout)
    return value if isinstance(value, str) else None


def set_secret(user: str, secret: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    import keyring

    _guard(keyring.set_password, SERVICE, user, secret, timeout=timeout)


def delete_secret(user: str, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Delete the entry; False if there was none."""
    import keyring
    from keyring import errors

    def delete() -> bool:
        try:
            keyring.delete_password(SERVICE, user)
        except errors.PasswordDeleteError:
            return False
        return True

    return _guard(delete, timeout=timeout)


def backend_name(timeout: float = DEFAULT_TIMEOUT) -> str:
    import keyring

    def name() -> str:
        backend = keyring.get_keyring()
        return f"{type(backend).__module__}.{type(backend).__name__}"

    return call(name, timeout=timeout)
