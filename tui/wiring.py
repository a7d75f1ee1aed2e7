"""The one composition root: what a run of cal365 is built from.

The app (tui/cli.py) and every script command (tui/script/common.py) learn here, from the
command line's options and the environment, which settings apply, which zone times are
shown in, which Graph root and token (or the profile's token provider) to use, whose
mailbox opens, who owns the calendar cache, and how the Graph client is made. So the two
cannot wire cal365 differently, and neither imports the other.

UI-free, and light at import: the app's start reads its first frame before the HTTP stack,
MSAL or the cache's modules are imported, so each of those is imported where it is used.
A bad setting raises ConfigError, with words for the user; each caller says it its way
(the app: a line and exit 2; a script: a usage error).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.config import ConfigError
from tui.graph.timezones import local_zone_name, zone
from tui.graph.urls import GLOBAL_GRAPH_URL, ME, Mailbox

# The settings' parsing loads once settings are read: a ready token needs none of it.
if TYPE_CHECKING:
    from tui.auth.provider import MsalProvider
    from tui.cache import CacheStore, Owner
    from tui.config import Settings
    from tui.graph.client import GraphClient, TokenProvider
    from tui.graph.policy import RetryPolicy, WaitNotice

# Sign-in settings as command-line options: destination → (flag, metavar, help). Accepted
# before or after a subcommand (tui/cli.py adds them where tui.script.uses says).
AUTH_FLAGS = {
    "profile": ("--profile", "NAME", "settings profile (config file [profiles.NAME])"),
    "client_id": ("--client-id", "ID", "application (client) id of your app registration"),
    "tenant": ("--tenant", "TENANT", "organizations, common, a tenant id or a domain"),
    "cloud": ("--cloud", "CLOUD", "global, usgov (L4), dod (L5) or china"),
    "token_storage": ("--token-storage", "KIND",
                "keyring (default); session: memory only; plaintext: 0600 file, unencrypted"),
    "mailbox": ("--mailbox", "UPN", "app-only mode: the user whose calendars to open"),
    "cache": ("--cache", "KIND", "the local calendar cache: keyring (encrypted), session: memory "
              "only, plaintext: 0600 file, or off (default: as --token-storage)"),
    "sync_every": ("--sync-every", "MIN", "minutes between background syncs of the calendar "
                   "cache while the app runs (default 5; 0: only at start and on r)"),
}

APP_ONLY_NEEDS_MAILBOX = (
    "app-only mode (client secret or certificate) has no signed-in user, so there is no /me "
    "to open: name the mailbox with --mailbox user@domain or CAL365_MAILBOX"
)


def auth_flags(args: argparse.Namespace) -> dict[str, str | None]:
    """The sign-in settings the options name (None: not given)."""
    flags = {dest: getattr(args, dest, None) for dest in AUTH_FLAGS}
    flags["graph_url"] = getattr(args, "graph_url", None)
    return flags


def settings_for(args: argparse.Namespace) -> Settings:
    """The profile's settings: config file < CAL365_* < options (ConfigError if bad)."""
    from tui.config import load_settings

    return load_settings(auth_flags(args))


def user_keys() -> dict[str, str]:
    """The user's own keys, from the config file's [keys] (ConfigError if malformed); the
    app checks them against its command registry (tui.keymap.check_keymap)."""
    from tui.config.keys import load_keys

    return load_keys()


def access_token() -> str:
    """CAL365_ACCESS_TOKEN: a ready bearer token that skips sign-in ("" when unset)."""
    return os.environ.get("CAL365_ACCESS_TOKEN", "").strip()


def timezone_for(args: argparse.Namespace) -> str:
    """The zone times are shown in: --timezone, CAL365_TIMEZONE, else this machine's."""
    name: str = (getattr(args, "timezone", None) or os.environ.get("CAL365_TIMEZONE")
                 or local_zone_name())
    if zone(name) is None:
        raise ConfigError(f"unknown time zone {name!r}")
    return name


def check_graph_url(url: str) -> str | None:
    """A reason to refuse the URL, or None. Tokens only travel over TLS, except to loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"not an http(s) URL: {url!r}"
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return f"refusing to send a token without TLS to {parts.hostname}; use https"
    return None


def graph_root(args: argparse.Namespace) -> str:
    """The Graph root for a ready token: --graph-url, CAL365_GRAPH_URL, else global Graph;
    checked (ConfigError)."""
    url: str = (getattr(args, "graph_url", None) or os.environ.get("CAL365_GRAPH_URL")
                or GLOBAL_GRAPH_URL)
    return checked_root(url)


def checked_root(url: str) -> str:
    problem = check_graph_url(url)
    if problem:
        raise ConfigError(problem)
    return url


def own_mailbox(settings: Settings) -> Mailbox:
    """The mailbox a signed-in profile opens: the user's own, or in app-only mode (an app
    has no "me") the one the settings name (ConfigError when they name none)."""
    if not settings.app_only:
        return ME
    if not settings.mailbox:
        raise ConfigError(APP_ONLY_NEEDS_MAILBOX)
    return Mailbox("user", settings.mailbox)


def default_mailbox(args: argparse.Namespace) -> Mailbox:
    """The mailbox when none is named: the demo's and a ready token's own, else the
    profile's (see `own_mailbox`)."""
    if getattr(args, "demo", False) or access_token():
        return ME
    return own_mailbox(settings_for(args))


def token_provider(settings: Settings) -> MsalProvider:
    """The profile's sign-in: cached tokens where the settings keep them, refreshed
    silently; it asks the user only through the app's sign-in screen."""
    from tui.auth.cache import store_for
    from tui.auth.provider import MsalProvider

    return MsalProvider(settings, store_for(settings))


def account_owner(settings: Settings, provider: MsalProvider) -> Callable[[], Owner | None]:
    """Who the signed-in account's cache belongs to (read from the token cache, offline;
    None before any sign-in). App-only: the mailbox it opens."""
    def owner() -> Owner | None:
        from tui.cache import Owner
        from tui.sync import app_only_owner

        if settings.app_only:
            return app_only_owner(settings)
        identity = provider.identity()
        return Owner.of(identity) if identity is not None else None

    return owner


def demo_owner() -> Owner:
    from tui.sync import DEMO_OWNER

    return DEMO_OWNER


# -- the calendar cache -------------------------------------------------------------------


def demo_settings(cache: str | None = None, sync_every: str | None = None) -> Settings:
    """The demo's cache settings: an explicit --cache / CAL365_CACHE, else the keyring.

    Without a usable keyring the demo keeps its cache in memory for the run (see `opener`),
    as a real account does once its tokens are kept for the session only: never an
    unencrypted file unless told to. Nothing earlier to show, so its first screen comes
    from the head start, as with no cache at all.
    """
    from tui.config import CACHE_MODES, Settings, check_sync_every

    chosen = (cache or os.environ.get("CAL365_CACHE", "")).strip().lower() or "keyring"
    if chosen in ("false", "no", "0", "none"):
        chosen = "off"
    if chosen not in CACHE_MODES:
        raise ConfigError(f"cache {chosen!r}: use one of {', '.join(CACHE_MODES)}")
    every = sync_every or os.environ.get("CAL365_SYNC_EVERY", "").strip() or "5"
    return Settings(profile="demo", cache=chosen, sync_every=check_sync_every(every))


def demo_storage(settings: Settings) -> str:
    """The storage the demo's cache really uses, as `opener(quiet=True)` picks it for the
    app and every command: the one chosen, but memory only ("session") when that is the
    keyring and there is no usable one. Asks the keyring (bounded by its timeout)."""
    from tui.cache import key_for
    from tui.secrets.keyring_access import KeyringUnavailable

    if settings.cache != "keyring":
        return settings.cache
    try:
        key_for(settings.profile).get(create=False)
    except KeyringUnavailable:
        return "session"
    return "keyring"


def opener(settings: Settings, owner: Callable[[], Owner | None], *,
           quiet: bool = False, directory: Path | None = None
           ) -> Callable[[], CacheStore | None]:
    """What the app calls (in a worker thread) to open the cache: None when off, or when
    no account is known yet (the first run before any sign-in caches nothing).

    `quiet`: with the keyring unusable, a session (memory-only) cache instead of
    KeyringUnavailable (the demo's, in the app and every command alike; a real account gets
    the explicit choice). Memory only: never a file in the clear that nobody asked for.
    """
    def open_() -> CacheStore | None:
        from tui.cache import open_cache
        from tui.secrets.keyring_access import KeyringUnavailable

        if settings.cache == "off":
            return None
        who = owner()
        if who is None:
            return None
        try:
            return open_cache(settings, who, directory)
        except KeyringUnavailable:
            if not quiet:
                raise
            return open_cache(dataclasses.replace(settings, cache="session"), who, directory)

    return open_


def client_maker(base_url: str, token: str | TokenProvider, timezone: str, *,
                 policy: RetryPolicy | None = None,
                 on_wait: Callable[[WaitNotice], None] | None = None
                 ) -> Callable[[], GraphClient]:
    """What makes the Graph client. The app calls it once a request is near, so the HTTP
    stack (httpx, TLS) is imported after its first frame; a script at once."""
    def connect() -> GraphClient:
        from tui.graph.client import GraphClient

        return GraphClient(base_url, token, timezone=timezone, policy=policy, on_wait=on_wait)

    return connect
