"""`cal365 login`, `logout` and `whoami`: plain terminal output, no Textual.

Each returns its exit status from the one table of every command (tui/script/exits.py):
0 done; 1 refused (a declined or failed sign-in, or `whoami` with nobody signed in);
2 bad setup (no app registration, no usable keyring and no explicit storage choice);
5 sign-in still needed (the device code expired); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TextIO

from tui.auth.cache import KeyringStore, MemoryStore, PlaintextStore, other_stores, store_for
from tui.auth.clipboard import osc52
from tui.auth.errors import SignInCancelled, SignInExpired, SignInRequired, SignInUnavailable
from tui.auth.provider import Identity, MsalProvider
from tui.config import ConfigError, Settings, load_settings
from tui.script.common import say
from tui.script.exits import Exit
from tui.secrets.keyring_access import KeyringUnavailable
from tui.text import inert_stream, raw_stream

# Where the registration steps are written down (whoami points there rather than print them).
SETUP_DOCS = 'docs/signing-in.md ("Signing in"), step "1. Register the app"'


def settings_or_exit(flags: Mapping[str, str | None], err: TextIO, *,
                     registration: bool = True) -> Settings | None:
    """The settings, or None once the reason is on `err`; `registration`: an app
    registration (client id) is required too."""
    err = inert_stream(err)  # a settings file's text is untrusted too
    try:
        settings = load_settings(flags)
        if registration:
            settings.require_client_id()
    except ConfigError as exc:
        say(f"cal365: {exc}", file=err)
        return None
    return settings


def storage_warning(settings: Settings, err: TextIO) -> None:
    store = store_for(settings)
    if isinstance(store, PlaintextStore):
        say(f"cal365: warning: {store.warning}", file=inert_stream(err))


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
        return Exit.USAGE
    if settings.app_only:
        try:
            return _check_app_only(MsalProvider(settings, MemoryStore()), out)
        except (SignInRequired, SignInUnavailable) as exc:
            say(f"cal365: app-only sign-in failed: {exc}", file=err)
            return Exit.ERROR
    store = store_for(settings)
    if isinstance(store, MemoryStore):
        say("cal365: --token-storage session keeps nothing once this command ends; start the "
              "app instead (cal365 --token-storage session) and sign in there.", file=err)
        return Exit.USAGE
    storage_warning(settings, err)
    try:
        if isinstance(store, KeyringStore):
            store.check()
    except KeyringUnavailable as exc:
        say(f"cal365: {exc.advice()}", file=err)
        return Exit.USAGE
    provider = MsalProvider(settings, store)
    try:
        if browser:
            from tui.desktop import gui_browser_available

            if not gui_browser_available():
                say("cal365: no local graphical browser here (over SSH, or no display); "
                      "use the device code: cal365 login", file=err)
                return Exit.USAGE
            identity = provider.browser_sign_in(extra=permissions)
        else:
            identity = _device_login(provider, out, permissions)
    except SignInCancelled:
        say("\ncal365: sign-in cancelled.", file=err)
        return Exit.INTERRUPTED
    except SignInExpired as exc:
        say(f"\ncal365: not signed in: {exc}. Run cal365 login again.", file=err)
        return Exit.AUTH  # still "sign-in needed", as for every command
    except SignInRequired as exc:
        say(f"\ncal365: sign-in failed: {exc}", file=err)
        return Exit.ERROR
    except SignInUnavailable as exc:
        # Not Graph unreachable (6): nothing but the sign-in was tried; run it again.
        say(f"\ncal365: {exc}", file=err)
        return Exit.ERROR
    except KeyringUnavailable as exc:
        say(f"cal365: {exc.advice()}", file=err)
        return Exit.USAGE
    say(f"Signed in as {identity.username} (tenant {identity.tenant_id}, "
          f"{settings.cloud.label}).", file=out)
    say(f"Tokens kept in: {provider.store.description}", file=out)
    return Exit.OK


def _device_login(provider: MsalProvider, out: TextIO, extra: Sequence[str] = ()) -> Identity:
    flow = provider.start_device_flow(extra)
    code = flow.code
    tty = out.isatty()
    say(f"To sign in, open {code.verification_uri} in a browser on any device", file=out)
    say(f"and enter the code:  {code.user_code}", file=out)
    if tty:
        raw_stream(out).write(osc52(code.user_code))
        say("(the code is on your clipboard if your terminal allows OSC 52)", file=out)
    say("Press Ctrl-C to cancel.", file=out)
    out.flush()
    result: list[Identity | BaseException] = []

    def wait() -> None:
        try:
            result.append(flow.wait())
        except BaseException as exc:
            result.append(exc)

    worker = threading.Thread(target=wait, name="cal365-device-flow", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            if tty:
                left = _countdown(code.expires_at - time.time())
                raw_stream(out).write(f"\rWaiting for you to sign in… code expires in {left} ")
                out.flush()
            worker.join(timeout=1)
    except KeyboardInterrupt:
        flow.cancel()
        if worker.ident is not None:  # started
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
    say(f"App-only credentials accepted for tenant {settings.tenant} "
          f"({settings.cloud.label}). Nothing is stored: app-only mode signs in each run.",
          file=out)
    return Exit.OK


def logout(
    flags: Mapping[str, str | None], out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Forget the profile's sign-in and calendar cache on this machine.

    Nothing to remove is success (one line). A keyring that cannot be reached matters only
    when an encrypted file was removed: its key may stay behind, which is said (exit 1),
    although it unlocks nothing once the file is gone.
    """
    # Every line here may carry text from the sign-in service, the token cache or a file.
    out, err = inert_stream(out or sys.stdout), inert_stream(err or sys.stderr)
    settings = settings_or_exit(flags, err, registration=False)
    if settings is None:
        return Exit.USAGE
    removed: list[str] = []
    status = Exit.OK
    # The whole profile's token cache goes (file and key): no MSAL and no network needed.
    store = store_for(settings)
    if isinstance(store, KeyringStore):
        files = store.remove_files()
        removed += files
        try:
            if store.key.delete():
                removed.append(store.key.label)
        except KeyringUnavailable as exc:
            if files:
                status = Exit.ERROR
                say(f"cal365: the keyring entry could not be removed: {exc.reason}. The "
                      "encrypted file is gone, so the key alone unlocks nothing.", file=err)
    else:
        removed += store.wipe()
    for other in other_stores(settings):
        removed += other.wipe()
    from tui.cache import remove_cache  # late: the app's start imports this module

    cache_removed, problem = remove_cache(settings)
    removed += cache_removed
    if problem:
        status = Exit.ERROR
        say(f"cal365: the calendar cache's keyring entry could not be removed: {problem}. "
              "The cache files are gone, so the key alone unlocks nothing.", file=err)
    if not removed:
        say(f"Nothing to remove for profile {settings.profile!r}: nobody is signed in.",
              file=out)
        return status
    say(f"Signed out of profile {settings.profile!r}. Removed:", file=out)
    for item in removed:
        say(f"  {item}", file=out)
    say("Note: this forgets the sign-in on this machine only; the refresh token stays valid "
          "at Microsoft until it expires or an administrator revokes your sessions.", file=out)
    return status


def whoami(
    flags: Mapping[str, str | None], out: TextIO | None = None, err: TextIO | None = None
) -> int:
    # Every line here may carry text from the sign-in service, the token cache or a file.
    out, err = inert_stream(out or sys.stdout), inert_stream(err or sys.stderr)
    settings = settings_or_exit(flags, err, registration=False)
    if settings is None:
        return Exit.USAGE
    if not settings.client_id:
        # The answer first, in one line; the setup steps are for when one wants them.
        say(f"Not signed in (profile {settings.profile!r}): no app registration is "
              "configured.", file=out)
        say(f"How to set one up: {SETUP_DOCS}; or look around with cal365 --demo.",
              file=out)
        return Exit.ERROR
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
        say("\n".join(lines), file=out)
        return Exit.OK
    try:
        identity = provider.identity()
    except KeyringUnavailable as exc:
        say(f"cal365: {exc.advice()}", file=err)
        return Exit.USAGE
    if identity is None:
        say(f"Not signed in (profile {settings.profile!r}). Run: cal365 login", file=out)
        if provider.load_problem:
            say(f"({provider.load_problem})", file=out)
        return Exit.ERROR
    lines.insert(0, f"user:      {identity.username}")
    lines.append(f"tenant:    {identity.tenant_id} (configured: {settings.tenant})")
    lines.append(f"tokens:    {provider.store.description}")
    if os.environ.get("CAL365_ACCESS_TOKEN", "").strip():
        lines.append("note:      CAL365_ACCESS_TOKEN is set: the app and the script commands "
                     "use it, not this sign-in")
    say("\n".join(lines), file=out)
    storage_warning(settings, err)
    return Exit.OK
