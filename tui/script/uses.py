"""Which of cal365's shared options each command uses: an option a command would not use is
a usage error, never silently ignored, wherever it is written (before or after the
subcommand's name: both land in the same namespace).

Light (no command is imported): `cal365` checks this on every start, and builds each
subcommand's sign-in options from the same table.
"""

from __future__ import annotations

import argparse

# The options the app and several commands share, by their dest, as the user writes them.
FLAGS = {
    "demo": "--demo",
    "graph_url": "--graph-url",
    "timezone": "--timezone",
    "date": "--date",
    "days": "--days",
    "profile": "--profile",
    "client_id": "--client-id",
    "tenant": "--tenant",
    "cloud": "--cloud",
    "token_storage": "--token-storage",
    "mailbox": "--mailbox",
    "cache": "--cache/--no-cache",
    "sync_every": "--sync-every",
}
# Who signs in, and to which service: what a command that talks to Graph for an account uses.
SIGN_IN = frozenset({"profile", "client_id", "tenant", "cloud", "token_storage", "mailbox"})
# The settings of a run against Graph, as CAL365_* sets them too: a script may write the same
# ones before every command it runs (the cache's setting with `events` as with `sync`).
GRAPH = SIGN_IN | {"demo", "graph_url", "timezone", "cache"}

# Subcommand (None: the app) -> the shared options it uses. --date, with --demo, is the day
# the demo's mailbox is made around (its ids follow it): every command that takes --demo
# takes it then; without --demo only a command that shows a window does.
USES: dict[str | None, frozenset[str]] = {
    None: frozenset(FLAGS),
    "login": SIGN_IN,
    "logout": SIGN_IN | {"cache"},  # the calendar cache goes with the sign-in
    "whoami": SIGN_IN | {"graph_url"},
    "calendars": GRAPH | {"date"},
    "events": GRAPH | {"date", "days"},
    "cancel": GRAPH | {"date"},
    "respond": GRAPH | {"date"},
    "delete": GRAPH | {"date"},
    "audit": frozenset({"demo", "timezone", "date"}),
    "cache": frozenset({"demo", "profile", "token_storage", "cache", "timezone", "date"}),
    "sync": GRAPH | {"date", "days"},
}
# The commands that write to events by id (a dry run, a question, --yes).
WRITES = frozenset({"cancel", "respond", "delete"})
# Commands that use --date only as the demo's day.
DEMO_DATE_ONLY = frozenset({"calendars", "cancel", "respond", "delete", "audit", "cache"})


def given(args: argparse.Namespace, dest: str) -> bool:
    """Whether the user wrote the option (shared options default to None, False or absent)."""
    value = getattr(args, dest, None)
    return value is not None and value is not False


def unused_option(args: argparse.Namespace) -> str | None:
    """Why an option written on this command line would do nothing, or None."""
    command: str | None = getattr(args, "command", None)
    name = f"cal365 {command}" if command else "the app"
    uses = USES.get(command, frozenset(FLAGS))
    for dest, flag in FLAGS.items():
        if given(args, dest) and dest not in uses:
            return f"{flag} does nothing for `{name}`: leave it out"
    demo = given(args, "demo")
    for dest in ("graph_url", *sorted(SIGN_IN)):
        if demo and given(args, dest):
            return (f"{FLAGS[dest]} does nothing with --demo (the demo runs its own Graph and "
                    "needs no sign-in): leave one of them out")
    if command in DEMO_DATE_ONLY and given(args, "date") and not demo:
        return (f"--date does nothing for `{name}` but with --demo (the day the demo's "
                "mailbox is made around): leave it out")
    return _own_options(command, args)


def _own_options(command: str | None, args: argparse.Namespace) -> str | None:
    """A subcommand's own options that another of its options makes pointless."""
    window = any(given(args, dest) for dest in ("from_date", "to_date", "days"))
    if command == "sync" and given(args, "date") and not window and not given(args, "demo"):
        return ("--date does nothing for `cal365 sync` without --from, --to or --days (it "
                "syncs the windows cal365 has shown): name the window, or leave it out")
    if command == "audit" and given(args, "path"):
        for dest, flag in (("limit", "--limit"), ("json", "--json")):
            if given(args, dest):
                return f"`cal365 audit --path` prints only where the log is: leave out {flag}"
    if command in WRITES and given(args, "dry_run") and given(args, "yes"):
        return ("--yes does nothing with --dry-run (a dry run sends nothing, so it asks "
                "nothing): leave one of them out")
    return None
