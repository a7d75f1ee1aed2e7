"""The `cal365` command."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from urllib.parse import urlsplit

from tui import __version__
from tui.graph import GLOBAL_GRAPH_URL, GraphClient
from tui.graph.timezones import local_zone_name, zone
from tui.script import add_script_commands, run_script_command

EPILOG = """\
environment:
  CAL365_ACCESS_TOKEN  bearer token for Microsoft Graph (delegated, Calendars.ReadWrite);
                       used until interactive sign-in lands
  CAL365_GRAPH_URL     Graph root, e.g. https://graph.microsoft.us/v1.0 for US Gov L4
                       (default: https://graph.microsoft.com/v1.0)
  CAL365_TIMEZONE      zone for showing times, IANA or Windows name (default: this machine's)

keys inside the app: press ? for the full list.
"""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cal365",
        description="Browse Microsoft 365 calendars and cancel meetings from the terminal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    parser.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="first day of the window shown at start (default: today)",
    )
    parser.add_argument(
        "--days", type=int, default=14, metavar="N", help="days in the window (default: 14)"
    )
    parser.add_argument("--version", action="version", version=f"cal365 {__version__}")
    # Subcommands for scripts (cal365 calendars|events|cancel|audit): tui/script/.
    add_script_commands(parser.add_subparsers(dest="command", metavar="COMMAND"))
    return parser


def _check_graph_url(url: str) -> str | None:
    """A reason to refuse the URL, or None. Tokens only travel over TLS, except to loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"not an http(s) URL: {url!r}"
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return f"refusing to send a token without TLS to {parts.hostname}; use https"
    return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    script_code = run_script_command(args)
    if script_code is not None:
        return script_code
    timezone = args.timezone or os.environ.get("CAL365_TIMEZONE") or local_zone_name()
    if zone(timezone) is None:
        print(f"cal365: unknown time zone {timezone!r}", file=sys.stderr)
        return 2
    if not 1 <= args.days <= 1825:
        print("cal365: --days must be between 1 and 1825", file=sys.stderr)
        return 2

    fake = None
    if args.demo:
        from tui.demo import DemoServer

        # Started first: the fake boots in its own process while cal365 loads.
        fake = DemoServer(args.date)
        base_url = token = ""
    else:
        token = os.environ.get("CAL365_ACCESS_TOKEN", "").strip()
        if not token:
            print(
                "cal365: no access token. Set CAL365_ACCESS_TOKEN to a Microsoft Graph token "
                "with Calendars.ReadWrite, or try the demo: cal365 --demo",
                file=sys.stderr,
            )
            return 2
        base_url = args.graph_url or os.environ.get("CAL365_GRAPH_URL") or GLOBAL_GRAPH_URL
        problem = _check_graph_url(base_url)
        if problem:
            print(f"cal365: {problem}", file=sys.stderr)
            return 2

    from tui.app import Cal365App

    if fake is not None:
        try:
            base_url, token = fake.address()
        except RuntimeError as error:
            fake.stop()
            print(f"cal365: {error}", file=sys.stderr)
            return 1
    client = GraphClient(base_url, token, timezone=timezone)
    try:
        Cal365App(client, today=args.date, timezone=timezone, days=args.days).run()
    finally:
        if fake is not None:
            fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
