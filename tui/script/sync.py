"""`cal365 sync` and `cal365 events --offline`: the local calendar cache from a script.

`sync` brings every window the user has looked at (or the ones named) up to date with one
delta round each and prints what changed; `events --offline` answers from the cache alone.
Both use the cache of the signed-in account of the profile (or the demo's, with --demo).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.audit import mailbox_label
from tui.auth.config import ConfigError, Settings
from tui.auth.keyring_access import KeyringUnavailable
from tui.auth.token_identity import (
    NO_CLAIMS,
    TokenIdentity,
    check_against_me,
    identity_from_token,
)
from tui.cache import CacheError, CacheStore, Owner, keyring_advice
from tui.graph.client import TokenProvider
from tui.graph.errors import GraphError, GraphUnavailable
from tui.graph.timezones import zone
from tui.script.common import (
    ScriptError,
    credentials,
    default_mailbox,
    describe_error,
    emit_json,
    emit_line,
    fake_if_demo,
    graph_client,
    guard,
    settings_of,
    timezone_name,
    warn,
)
from tui.script.exits import Exit, exit_for
from tui.startup.opening import demo_settings
from tui.startup.opening import opener as cache_opener
from tui.sync import DEMO_OWNER, SyncController, WindowSummary, app_only_owner

if TYPE_CHECKING:
    from tui.auth.provider import MsalProvider


@dataclass
class Opened:
    store: CacheStore
    settings: Settings
    provider: MsalProvider | None
    # Why the cache lives in memory for this command only (None: it is kept on disk).
    memory_only: str | None = None
    # CAL365_ACCESS_TOKEN's account, when the cache is that token's (no provider then).
    token: TokenIdentity | None = None


def _memory_only(store: CacheStore, settings: Settings, demo: bool) -> str | None:
    if store.persistent:
        return None
    if settings.cache == "session":
        return "the calendar cache is kept in memory for this command only (cache: session)"
    who = "the demo keeps" if demo else "cal365 keeps"
    return (f"there is no usable keyring, so {who} its calendar cache in memory for this "
            "command only")


@contextmanager
def opened_cache(args: argparse.Namespace) -> Iterator[Opened]:
    """The cache the options name, open; a clear ScriptError when there is none to use."""
    provider: MsalProvider | None = None
    demo = bool(getattr(args, "demo", False))
    from_token: TokenIdentity | None = None
    token = os.environ.get("CAL365_ACCESS_TOKEN", "").strip()
    try:
        if demo:
            settings = demo_settings(getattr(args, "cache", None))
            owner: Owner | None = DEMO_OWNER
        else:
            from tui.auth.cache import store_for
            from tui.auth.provider import MsalProvider

            settings = settings_of(args)
            if token:
                # The token wins, as for every command: its own account's cache, keyed as
                # a signed-in user's (see tui/auth/token_identity.py).
                from_token = identity_from_token(token)
                if from_token is None:
                    raise ScriptError(Exit.ERROR, NO_CLAIMS)
                owner = Owner.of(from_token)
            elif settings.app_only:
                provider = MsalProvider(settings, store_for(settings))
                owner = app_only_owner(settings)
            else:
                provider = MsalProvider(settings, store_for(settings))
                identity = provider.identity()
                owner = Owner.of(identity) if identity is not None else None
    except ConfigError as error:
        raise ScriptError(Exit.USAGE, str(error)) from error
    except KeyringUnavailable as error:
        raise ScriptError(Exit.AUTH, f"the sign-in cannot be read: {error.reason}") from error
    if settings.cache == "off":
        raise ScriptError(Exit.USAGE, "the calendar cache is off (--no-cache or cache = off)")
    if owner is None:
        raise ScriptError(Exit.AUTH, f"no account is signed in for profile "
                                     f"{settings.profile!r}: run cal365 login")
    try:
        # The demo's choice is the app's: with no usable keyring, memory only (see opener).
        store = cache_opener(settings, lambda: owner, quiet=demo)()
    except KeyringUnavailable as error:
        raise ScriptError(Exit.ERROR, keyring_advice(error)) from error
    except CacheError as error:
        raise ScriptError(Exit.ERROR, str(error)) from error
    assert store is not None
    for notice in store.take_notices():
        warn(notice)
    try:
        yield Opened(store, settings, provider, _memory_only(store, settings, demo), from_token)
    finally:
        store.close()


def _ago(moment: dt.datetime, now: dt.datetime) -> str:
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 120:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // 1440} days ago"


def as_of(moment: dt.datetime, tz: dt.tzinfo) -> str:
    """"as of 2026-11-25 08:12 CET (3 h ago)", in `tz`: the zone the events are shown in."""
    now = dt.datetime.now(dt.UTC)
    local = moment.astimezone(tz)
    return f"as of {local:%Y-%m-%d %H:%M %Z} ({_ago(moment, now)})"


# -- cal365 sync ------------------------------------------------------------------------------


def _label(summary: WindowSummary) -> str:
    ref = summary.calendar
    who = mailbox_label(ref.mailbox)
    return f"{who} {ref.calendar_id}" if ref.calendar_id else who


def run_sync(args: argparse.Namespace) -> int:
    def command() -> int:
        from tui.script.events import calendar_from, window

        tz = zone(timezone_name(args)) or dt.UTC
        named = any(getattr(args, d, None) is not None for d in ("from_date", "to_date", "days"))
        span = window(args, tz) if named else None
        with opened_cache(args) as opened, fake_if_demo(args) as fake:
            token: str | TokenProvider
            if fake is not None:
                base_url, token = fake.base_url, fake.token
            elif opened.token is not None:
                base_url, token = credentials(args)
            else:
                assert opened.provider is not None
                base_url, token = opened.settings.graph_root, opened.provider
            client = graph_client(args, base_url, token)
            controller = SyncController(opened.store, client, tz)

            async def main() -> list[WindowSummary]:
                try:
                    if opened.token is not None:
                        # Before anything is written: the claims chose the cache, /me says
                        # whose the token is.
                        problem = check_against_me(opened.token, (await client.me()).id)
                        if problem:
                            raise ScriptError(Exit.ERROR, problem)
                    if span is not None:
                        ref = calendar_from(default_mailbox(args), args.calendar)
                        result = await controller.sync(ref, *span)
                        return [WindowSummary(ref, span[0], span[1], result.applied,
                                              result.full)]
                    return await controller.sync_seen(args.calendar)
                except (GraphError, GraphUnavailable) as error:
                    raise ScriptError(exit_for(error), describe_error(error)) from error
                finally:
                    await client.aclose()

            done = asyncio.run(main())
            memory_only = opened.memory_only
        if args.json:
            emit_json({"kept": memory_only is None, "windows": [{
                "mailbox": mailbox_label(s.calendar.mailbox),
                "calendarId": s.calendar.calendar_id,
                "from": s.start.astimezone(tz).isoformat(), "to": s.end.astimezone(tz).isoformat(),
                "added": s.applied.added, "changed": s.applied.changed,
                "removed": s.applied.removed, "full": s.full} for s in done]})
        else:
            if not done and not memory_only:
                warn("nothing to sync yet: the cache holds no window. Open cal365 once, or "
                     "name one with --from/--to")
            for s in done:
                emit_line(_label(s), f"{s.start.astimezone(tz):%Y-%m-%d}",
                          f"{(s.end - dt.timedelta(seconds=1)).astimezone(tz):%Y-%m-%d}",
                          f"added {s.applied.added}", f"changed {s.applied.changed}",
                          f"removed {s.applied.removed}", "full" if s.full else "incremental")
        if memory_only and done:
            warn(f"synced into a cache that is not kept: {memory_only}")
        elif memory_only:
            warn(f"nothing to sync: {memory_only}, and it holds no window yet. Name one "
                 "with --from/--to/--days (synced for this command only), or keep the "
                 "cache with a working keyring or --cache plaintext")
        return int(Exit.OK)

    return guard(command)


run = run_sync
