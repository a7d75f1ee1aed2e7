"""`cal365 login`, `logout` and `whoami`: plain terminal output, no Textual.

Each returns the process exit status: 0 done, 1 not signed in / refused, 2 bad setup.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TextIO

from tui.auth.cache import KeyringStore, MemoryStore, PlaintextStore, other_stores, store_for
from tui.auth.clipboard import osc52
from tui.auth.config import ConfigError, Settings, load_settings
from tui.auth.errors import SignInCancelled, SignInRequired, SignInUnavailable
from tui.auth.keyring_access import KeyringUnavailable
from tui.auth.provider import Identity, MsalProvider
from tui.text import inert_stream, raw_stream


def settings_or_exit(flags: Mapping[str, str | None], err: TextIO) -> Settings | None:
    err = inert_stream(err)  # a settings file's text is untrusted too
    try:
        settings = load_settings(flags)
        settings.require_client_id()
    except ConfigError as exc:
        print(f"cal365: {exc}", file=err)
        return None
    return settings


def storage_warning(settings: Settings, err: TextIO) -> None:
    store = store_for(settings)
    if isinstance(store, PlaintextStore):
        print(f"cal365: warning: {store.warning}", file=inert_stream(err))


def _countdown(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def login(
    flags: Mapping[str, str | None],
    out: TextIO | None = None,
    err: TextIO | None = None,
    browser: bool = False,
    permissions: Sequence[str] = (),
) -> int:
    """Sign in; `permissions` are granted now beside the base ones (for scripts that open
    other people's or group calendars, which cannot ask on the way)."""
    # Every line here may carry text from the sign-in service, the token cache or a file.
    out, err = inert_stream(out or sys.stdout), inert_stream(err or sys.stderr)
    settings = settings_or_exit(flags, err)
    if settings is None:
        return 2
    if settings.app_only:
        try:
            return _check_app_only(MsalProvider(settings, MemoryStore()), out)
        except (SignInRequired, SignInUnavailable) as exc:
            print(f"cal365: app-only sign-in failed: {exc}", file=err)
            return 1
    store = store_for(settings)
    if isinstance(store, MemoryStore):
        print("cal365: --token-storage session keeps nothing once this command ends; start the "
              "app instead (cal365 --token-storage session) and sign in there.", file=err)
        return 2
    storage_warning(settings, err)
    try:
        if isinstance(store, KeyringStore):
            store.check()
    except KeyringUnavailable as exc:
        print(f"cal365: {exc.advice()}", file=err)
        return 2
    provider = MsalProvider(settings, store)
    try:
        if browser:
            from tui.desktop import gui_browser_available

            if not gui_browser_available():
                print("cal365: no local graphical browser here (over SSH, or no display); "
                      "use the device code: cal365 login", file=err)
                return 2
            identity = provider.browser_sign_in(extra=permissions)
        else:
            identity = _device_login(provider, out, permissions)
    except SignInCancelled:
        print("\ncal365: sign-in cancelled.", file=err)
        return 1
    except SignInRequired as exc:
        print(f"\ncal365: sign-in failed: {exc}", file=err)
        return 1
    except SignInUnavailable as exc:
        print(f"\ncal365: {exc}", file=err)
        return 1
    except KeyringUnavailable as exc:
        print(f"cal365: {exc.advice()}", file=err)
        return 2
    print(f"Signed in as {identity.username} (tenant {identity.tenant_id}, "
          f"{settings.cloud.label}).", file=out)
    print(f"Tokens kept in: {provider.store.description}", file=out)
    return 0


def _device_login(provider: MsalProvider, out: TextIO, extra: Sequence[str] = ()) -> Identity:
    flow = provider.start_device_flow(extra)
    code = flow.code
    tty = out.isatty()
    print(f"To sign in, open {code.verification_uri} in a browser on any device", file=out)
    print(f"and enter the code:  {code.user_code}", file=out)
    if tty:
        raw_stream(out).write(osc52(code.user_code))
        print("(the code is on your clipboard if your terminal allows OSC 52)", file=out)
    print("Press Ctrl-C to cancel.", file=out)
    out.flush()
    result: list[Identity | BaseException] = []

    def wait() -> None:
        try:
            result.append(flow.wait())
        except BaseException as exc:
            result.append(exc)

    worker = threading.Thread(target=wait, name="cal365-device-flow", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            if tty:
                left = _countdown(code.expires_at - time.time())
                raw_stream(out).write(f"\rWaiting for you to sign in… code expires in {left} ")
                out.flush()
            worker.join(timeout=1)
    except KeyboardInterrupt:
        flow.cancel()
        worker.join(timeout=10)
    if tty:
        out.write("\n")
    outcome = result[0] if result else SignInCancelled()
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _check_app_only(provider: MsalProvider, out: TextIO) -> int:
    import asyncio

    asyncio.run(provider.get_token())
    settings = provider.settings
    print(f"App-only credentials accepted for tenant {settings.tenant} "
          f"({settings.cloud.label}). Nothing is stored: app-only mode signs in each run.",
          file=out)
    return 0


def logout(
    flags: Mapping[str, str | None], out: TextIO | None = None, err: TextIO | None = None
) -> int:
    # Every line here may carry text from the sign-in service, the token cache or a file.
    out, err = inert_stream(out or sys.stdout), inert_stream(err or sys.stderr)
    try:
        settings = load_settings(flags)
    except ConfigError as exc:
        print(f"cal365: {exc}", file=err)
        return 2
    removed: list[str] = []
    status = 0
    if settings.client_id:
        provider = MsalProvider(settings, store_for(settings))
        try:
            removed += provider.sign_out()
        except KeyringUnavailable as exc:
            status = 1
            store = provider.store
            if isinstance(store, KeyringStore):
                removed += store.remove_files()
            print(f"cal365: the keyring entry could not be removed: {exc.reason}. The encrypted "
                  "file is gone, so the key alone unlocks nothing.", file=err)
    else:
        store = store_for(settings)
        try:
            removed += store.wipe()
        except KeyringUnavailable as exc:
            status = 1
            print(f"cal365: the keyring entry could not be removed: {exc.reason}", file=err)
    for other in other_stores(settings):
        removed += other.wipe()
    from tui.cache import remove_cache  # late: the app's start imports this module

    cache_removed, problem = remove_cache(settings)
    removed += cache_removed
    if problem:
        status = 1
        print(f"cal365: the calendar cache's keyring entry could not be removed: {problem}. "
              "The cache files are gone, so the key alone unlocks nothing.", file=err)
    if removed:
        print(f"Signed out of profile {settings.profile!r}. Removed:", file=out)
        for item in removed:
            print(f"  {item}", file=out)
    else:
        print(f"Nothing to remove for profile {settings.profile!r}.", file=out)
    print("Note: this forgets the sign-in on this machine only; the refresh token stays valid "
          "at Microsoft until it expires or an administrator revokes your sessions.", file=out)
    return status


def whoami(
    flags: Mapping[str, str | None], out: TextIO | None = None, err: TextIO | None = None
) -> int:
    # Every line here may carry text from the sign-in service, the token cache or a file.
    out, err = inert_stream(out or sys.stdout), inert_stream(err or sys.stderr)
    settings = settings_or_exit(flags, err)
    if settings is None:
        return 2
    provider = MsalProvider(settings, store_for(settings))
    cloud = settings.cloud
    lines = [
        f"profile:   {settings.profile}",
        f"cloud:     {cloud.label} (sign-in {settings.authority}, Graph {settings.graph_root})",
        f"client id: {settings.client_id}",
    ]
    if settings.app_only:
        kind = "client secret" if settings.client_secret else f"certificate {settings.certificate}"
        lines.insert(0, f"app-only:  {kind}; mailbox {settings.mailbox or '(none set)'}")
        lines.append(f"tenant:    {settings.tenant}")
        lines.append("tokens:    memory only (app-only mode signs in each run)")
        print("\n".join(lines), file=out)
        return 0
    try:
        identity = provider.identity()
    except KeyringUnavailable as exc:
        print(f"cal365: {exc.advice()}", file=err)
        return 2
    if identity is None:
        print(f"Not signed in (profile {settings.profile!r}). Run: cal365 login", file=out)
        if provider.load_problem:
            print(f"({provider.load_problem})", file=out)
        return 1
    lines.insert(0, f"user:      {identity.username}")
    lines.append(f"tenant:    {identity.tenant_id} (configured: {settings.tenant})")
    lines.append(f"tokens:    {provider.store.description}")
    print("\n".join(lines), file=out)
    storage_warning(settings, err)
    return 0
