"""The `cal365` command."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import TYPE_CHECKING

from tui import __version__, wiring
from tui.config import ConfigError
from tui.graph import ME, CalendarRef, permissions
from tui.graph.timezones import local_zone_name, zone
from tui.script import (
    EXIT_CODE_HELP,
    Exit,
    add_script_commands,
    run_script_command,
    without_httpx_cli,
)
from tui.script.parsers import add_cache, add_sync, add_window_options
from tui.text import inert
from tui.wiring import AUTH_FLAGS, auth_flags

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.auth.provider import MsalProvider
    from tui.cache import CacheOpener
    from tui.fake import FakeGraph
    from tui.fake.child import ChildGraph
    from tui.graph.client import TokenProvider

EPILOG = """\
commands:
  cal365 login         sign in with a device code (works over SSH) and keep the tokens
  cal365 logout        forget this profile's sign-in on this machine
  cal365 whoami        who is signed in, the tenant, the cloud and where tokens are kept
  cal365 cache         where the local calendar cache is, how big and old (cache clear)
  cal365 sync          bring the local calendar cache up to date (for cron); see --help

environment (flags win over these, these win over the config file):
  CAL365_CLIENT_ID     application (client) id of your app registration
  CAL365_TENANT        organizations, common, a tenant id or a domain
  CAL365_CLOUD         global, usgov (L4), dod (L5) or china
  CAL365_PROFILE       profile name (several accounts side by side)
  CAL365_TOKEN_STORAGE keyring (default), session, or plaintext
  CAL365_CACHE         calendar cache: keyring, session, plaintext or off (default: as tokens)
  CAL365_SYNC_EVERY    minutes between background syncs of the cache (default 5, 0: off)
  CAL365_CLIENT_SECRET / CAL365_CLIENT_CERTIFICATE  app-only mode (with CAL365_MAILBOX)
  CAL365_ACCESS_TOKEN  a ready bearer token for Graph; skips sign-in entirely
  CAL365_GRAPH_URL     Graph root (default: the cloud's, e.g. https://graph.microsoft.com/v1.0)
  CAL365_TIMEZONE      zone for showing times, IANA or Windows name (default: this machine's)

keys inside the app: press ? for the full list.
"""


# Sign-in settings are accepted before or after a subcommand (AUTH_FLAGS: tui/wiring.py).
# SUPPRESS keeps a subcommand's parser from overwriting a value given before it with its
# own default.


def _auth_parent(command: str | None = None) -> argparse.ArgumentParser:
    """The sign-in settings `command` uses (tui.script.uses), written after its name."""
    from tui.script.uses import USES

    uses = USES[command]
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("sign-in")
    for dest, (flag, metavar, text) in AUTH_FLAGS.items():
        if dest in uses:
            group.add_argument(flag, dest=dest, metavar=metavar, help=text,
                               default=argparse.SUPPRESS)
    if "cache" in uses:
        group.add_argument("--no-cache", dest="cache", action="store_const", const="off",
                           default=argparse.SUPPRESS, help="run without the local calendar "
                           "cache (the same as --cache off)")
    return parent


def build_parser() -> argparse.ArgumentParser:
    parent = _auth_parent()
    parser = argparse.ArgumentParser(
        prog="cal365",
        description="Browse Microsoft 365 calendars and cancel meetings from the terminal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[parent],
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against the built-in demo mailbox (a local fake Graph; no account needed)",
    )
    parser.add_argument(
        "--graph-url",
        metavar="URL",
        help="Graph root URL (overrides CAL365_GRAPH_URL)",
    )
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="show times in this zone (overrides CAL365_TIMEZONE)",
    )
    add_window_options(parser, default=None)
    parser.add_argument("--version", action="version", version=f"cal365 {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # The account commands answer with the same exit-code table as the script commands.
    table = argparse.RawDescriptionHelpFormatter
    login = commands.add_parser(
        "login", parents=[_auth_parent("login")],
        help="sign in with a device code and keep the tokens",
        description="Sign in with Microsoft's device code flow: open the URL shown on any "
        "device and enter the code.", epilog=EXIT_CODE_HELP, formatter_class=table,
    )
    login.add_argument(
        "--browser", action="store_true",
        help="sign in in a local browser instead (only with a local graphical session)",
    )
    login.add_argument(
        "--permission", action="append", default=[], metavar="NAME",
        choices=[permissions.SHARED, permissions.GROUP_READ, permissions.GROUP_WRITE],
        help="grant this delegated permission now too (repeatable): "
        f"{permissions.SHARED} for others' calendars, {permissions.GROUP_READ} to read and "
        f"{permissions.GROUP_WRITE} to cancel in Microsoft 365 group calendars; the app asks "
        "for them by itself when you first use them",
    )
    commands.add_parser("logout", parents=[_auth_parent("logout")],
                        help="forget this profile's sign-in",
                        epilog=EXIT_CODE_HELP, formatter_class=table)
    whoami = commands.add_parser("whoami", parents=[_auth_parent("whoami")],
                                 help="show who is signed in and where",
                                 epilog=EXIT_CODE_HELP, formatter_class=table)
    whoami.add_argument("--graph-url", metavar="URL", default=argparse.SUPPRESS,
                        help="Graph root URL to show (overrides CAL365_GRAPH_URL)")
    # Subcommands for scripts (cal365 calendars|events|cancel|audit|cache): tui/script/.
    add_script_commands(commands, [_auth_parent("events")])
    add_sync(commands, [_auth_parent("sync")])
    add_cache(commands, [_auth_parent("cache")])
    return parser


def _account_command(args: argparse.Namespace) -> int:
    from tui.script import account as commands

    flags = auth_flags(args)
    try:
        if args.command == "login":
            return commands.login(flags, browser=args.browser, permissions=args.permission)
        if args.command == "logout":
            return commands.logout(flags)
        return commands.whoami(flags)
    except KeyboardInterrupt:  # outside the device code wait too (asking for the code)
        print("\ncal365: interrupted", file=sys.stderr)
        return Exit.INTERRUPTED


def _command_parser(parser: argparse.ArgumentParser,
                    args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the subcommand the arguments name (its usage line in an error)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            sub: argparse.ArgumentParser | None = action.choices.get(args.command or "")
            return sub or parser
    return parser


# The options that name a day, as argparse spells them in its errors.
DAY_OPTIONS = {"date": "--date", "from_date": "--from", "to_date": "--to"}


def settle_days(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """--date, --from and --to as dates, read as the app's `g` reads a day: relative forms
    (`+3`, `friday`) count from today in the zone times are shown in, or from --date (the
    day taken as today). A day out of range is a usage error, as any bad option."""
    from tui.window import parse_day

    if not any(isinstance(getattr(args, dest, None), str) for dest in DAY_OPTIONS):
        return
    name = (getattr(args, "timezone", None) or os.environ.get("CAL365_TIMEZONE")
            or local_zone_name())
    today = dt.datetime.now(zone(name) or dt.UTC).date()  # an unknown zone is refused later
    for dest, flag in DAY_OPTIONS.items():
        text = getattr(args, dest, None)
        if not isinstance(text, str):
            continue
        try:
            day = parse_day(text, today)
        except ValueError as error:
            parser.error(f"argument {flag}: {error}")
        setattr(args, dest, day)
        if dest == "date":
            today = day


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from tui.script.uses import unused_option

    problem = unused_option(args)
    if problem:
        _command_parser(parser, args).error(problem)
    settle_days(parser, args)
    debug_log = os.environ.get("CAL365_DEBUG_LOG", "").strip()
    if debug_log:
        from pathlib import Path

        from tui.auth.redact import install_debug_log

        install_debug_log(Path(debug_log).expanduser())
    script_code = run_script_command(args)
    if script_code is not None:
        return script_code
    if args.command in ("login", "logout", "whoami"):
        return _account_command(args)
    from tui.startup.collector import pause_collection, resume_collection

    pause_collection()  # until the first rows are painted: see tui/startup/collector.py
    try:
        return _run_app(args)
    finally:
        resume_collection()


def _run_app(args: argparse.Namespace) -> int:
    without_httpx_cli()  # before the head start forks: its child imports httpx too
    keys_warning = ""
    try:
        timezone = wiring.timezone_for(args)
        try:
            keys = wiring.user_keys()  # read by every start, the demo's too
        except ConfigError as error:
            from tui.config import config_path

            if not args.demo or config_path().is_file():
                raise  # a [keys] table written wrong is said before any app, the demo's too
            # The demo is for looking around: a config folder that cannot be reached (a file
            # where a folder should be) costs the user's keys, said in the app, not the start.
            keys, keys_warning = {}, f"{error}. The demo uses the default keys."
    except ConfigError as error:
        _say(str(error))
        return 2
    from tui.window import DEFAULT_DAYS, span

    args.days = args.days or DEFAULT_DAYS
    try:  # the window the app opens, held to the commands' rules
        span(args.date, None, args.days, dt.datetime.now(zone(timezone) or dt.UTC).date())
    except ValueError as error:
        print(f"cal365: {error}", file=sys.stderr)
        return 2

    fake: FakeGraph | ChildGraph | None = None
    child: ChildGraph | None = None  # the demo's fake Graph when it runs in a child process
    cache: CacheOpener | None = None
    sync_every = 0.0
    cache_warning = ""
    warm = False  # a persistent cache to start from: no head start needed
    provider: MsalProvider | None = None
    mailbox = ME
    token: str | TokenProvider
    ready = False  # a token at hand, without asking the user
    # What the sealed last frame must fit, and what reads it (see tui/startup/opening.py).
    fit = None if args.date else _frame_fit(timezone, args.days)
    peek: Callable[[], bytes | None] | None = None
    if args.demo:
        from tui.fake.child import DemoNotStarted, reason_for, start_child
        from tui.startup.opening import frame_peek

        try:
            demo = wiring.demo_settings(getattr(args, "cache", None),
                                        getattr(args, "sync_every", None))
        except ConfigError as error:
            _say(str(error))
            return 2
        # In a process of its own where that is safe: its start-up then runs beside ours,
        # and whether it serves is known just before the app starts (ChildGraph.wait_ready).
        try:
            fake = child = start_child(args.date)
            if fake is None:
                from tui.fake import FakeGraph

                fake = FakeGraph(today=args.date).start()
        except DemoNotStarted as error:
            return _demo_not_started(error)
        except Exception as error:  # the in-process one: its mailbox or server did not build
            return _demo_not_started(DemoNotStarted(reason_for(error)))
        base_url, token = fake.base_url, fake.token
        from tui.cache import cache_path, plaintext_warning
        from tui.paths import base_dir, demo_files

        with demo_files():
            demo_cache = base_dir("cache")  # the demo's own folder, fixed before any thread
        cache = wiring.opener(demo, wiring.demo_owner, quiet=True, directory=demo_cache)
        cache_warning = plaintext_warning(demo, demo_cache) or ""
        # A cache file from an earlier run: the first screen comes from it, not the network.
        warm = demo.cache in ("keyring", "plaintext") and cache_path("demo", demo_cache).exists()
        if warm and fit is not None:
            peek = frame_peek(demo, wiring.demo_owner, fit, directory=demo_cache)
        sync_every = demo.sync_every
        ready = True
    elif wiring.access_token():
        token = wiring.access_token()
        ready = True
        from tui.auth.token_identity import identity_from_token

        try:
            base_url = wiring.graph_root(args)
            token_settings = wiring.settings_for(args)
        except ConfigError as error:  # it names a file, under a folder from the environment
            _say(str(error))
            return 2
        # The token's account has its cache, keyed as when it signs in (tenant and object
        # id from the token's claims, offline: see tui/auth/token_identity.py). Graph checks
        # those claims, so /me is the same account; a token naming none runs uncached.
        identity = identity_from_token(token)
        if identity is not None and token_settings.cache != "off":
            from tui.cache import Owner, cache_path, plaintext_warning
            from tui.startup.opening import frame_peek

            account = Owner.of(identity)
            cache = wiring.opener(token_settings, lambda: account)
            sync_every = token_settings.sync_every
            if fit is not None:
                peek = frame_peek(token_settings, lambda: account, fit)
            cache_warning = plaintext_warning(token_settings) or ""
            warm = (token_settings.cache in ("keyring", "plaintext")
                    and cache_path(token_settings.profile).exists())
    else:
        from tui.script.account import storage_warning

        try:
            settings = wiring.settings_for(args)
            settings.require_client_id()
            mailbox = wiring.own_mailbox(settings)
            base_url = wiring.checked_root(settings.graph_root)
        except ConfigError as error:  # it may name a file, or quote the environment
            _say(str(error))
            return 2
        storage_warning(settings, sys.stderr)
        provider = wiring.token_provider(settings)
        from tui.startup.opening import frame_peek

        owner = wiring.account_owner(settings, provider)
        cache, sync_every = wiring.opener(settings, owner), settings.sync_every
        if fit is not None:
            peek = frame_peek(settings, owner, fit)
        from tui.cache import plaintext_warning

        cache_warning = plaintext_warning(settings) or ""
        token = provider

    head_start = None
    if ready and isinstance(token, str) and not warm:
        from tui.startup.headstart import HeadStart
        from tui.window import Window

        tz = zone(timezone) or dt.UTC
        today = args.date or dt.datetime.now(tz).date()
        start, end = Window("agenda", today, agenda_days=args.days).bounds(tz)
        head_start = HeadStart(base_url, token, timezone=timezone, calendar=CalendarRef(ME),
                               start=start, end=end)

    if cache is not None and head_start is None:  # with a head start it opens after
        from tui.startup.opening import frame_reader, started

        # The sealed last frame is read by a child of its own from now on; the app paints
        # it first if it fits this start, and opens the cache itself once it is painted.
        # Without a frame to read, the cache opens from now on (the keyring lookup, too,
        # runs while Textual is imported).
        frame = frame_reader(peek) if peek is not None else None
        cache = started(cache, frame, now=frame is None)
    from tui.app import Cal365App  # Textual: the longest import, while the head start runs
    from tui.paths import demo_files

    # httpx and TLS are imported once a request is near, not before the first frame.
    connect = wiring.client_maker(base_url, token, timezone)

    try:
        from tui.keymap import KeymapError, check_keymap

        try:
            keymap = check_keymap(keys)
        except KeymapError as error:
            from tui.config import config_path

            _say(f"{config_path()}: [keys]:\n  " + str(error).replace("\n", "\n  "))
            return 2
        if child is not None:
            from tui.fake.child import DemoNotStarted

            try:
                child.wait_ready()
            except DemoNotStarted as error:
                return _demo_not_started(error)
        # The demo's drafts, audit lines and cache are kept apart from a real account's.
        with demo_files(args.demo):
            app = Cal365App(
                connect=connect,
                today=args.date,
                timezone=timezone,
                days=args.days,
                sign_in=provider,
                mailbox=mailbox,
                cache=cache,
                sync_every=sync_every,
                cache_warning=cache_warning,
                keys_warning=keys_warning,
                restore_view=args.date is None,
                head_start=head_start,
                keymap=keymap,
            )
            app.run()
    finally:
        if fake is not None:
            fake.stop()
        if provider is not None:
            storage_warning(provider.settings, sys.stderr)
    # Textual sets a non-zero code when an unhandled exception ended the app (its report is
    # printed above); a crash must never look like a quit.
    code = app.return_code or 0
    if code:
        print("cal365: the app stopped on an unexpected error (its report is above)",
              file=sys.stderr)
    return code


def _demo_not_started(error: Exception) -> int:
    _say(str(error))
    return 1


def _say(message: str) -> None:
    """A line on stderr that may carry a file's, the environment's or a server's text."""
    print(f"cal365: {inert(message, None, lines=True)}", file=sys.stderr)


def _frame_fit(timezone: str, days: int) -> str | None:
    import shutil

    from tui.startup.opening import frame_fit

    try:
        columns, lines = shutil.get_terminal_size()  # the size Textual's driver starts with
    except (OSError, AttributeError, ValueError):
        return None
    today = dt.datetime.now(zone(timezone) or dt.UTC).date()
    return frame_fit(columns, lines, today, timezone, days)


if __name__ == "__main__":
    sys.exit(main())
