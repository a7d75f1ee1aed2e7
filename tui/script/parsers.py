"""The argparse side of the script subcommands: options, help texts, nothing else.

Kept light (argparse only): the parser is built on every `cal365` start, the TUI's included,
and the implementations load only when their subcommand runs (`Namespace.script_command`
names the module).
"""

from __future__ import annotations

import argparse
import datetime as dt
import textwrap
from typing import Any

from tui.script.exits import EXIT_CODE_HELP
from tui.window import DAY_FORMS, DEFAULT_DAYS, MAX_DAYS, OutOfRange, parse_day, parse_days

DAY = "DAY"  # the metavar of every date option: the forms `g` takes in the app


class DayText(str):
    """A day as typed (`2026-12-01`, `+3`, `friday`): its form is checked while parsing,
    its date is settled once the zone (and so today) is known (`settle_days` in tui.cli)."""


def parse_date(text: str) -> DayText:
    try:
        parse_day(text, dt.date.today())  # the form; the date and its range are settled
    except OutOfRange:  # later, from --date and in the zone times are shown in
        pass
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return DayText(text.strip())


def parse_days_option(text: str) -> int:
    try:
        return parse_days(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def window_options() -> argparse.ArgumentParser:
    """--date and --days, accepted after the subcommand name too (SUPPRESS: see
    `connection_options`)."""
    parent = argparse.ArgumentParser(add_help=False)
    add_window_options(parent, default=argparse.SUPPRESS)
    return parent


def add_window_options(parser: argparse.ArgumentParser, *, default: Any) -> None:
    parser.add_argument("--date", type=parse_date, metavar=DAY, default=default,
                        help=f"the day taken as today: where the window starts ({DAY_FORMS}; "
                             "default: today); with --demo, the day its mailbox is made around")
    parser.add_argument("--days", type=parse_days_option, metavar="N", default=default,
                        help=f"days in the window, 1 to {MAX_DAYS} (default: {DEFAULT_DAYS})")


def parse_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a count (0 or more): {text!r}")
    return value


def connection_options() -> argparse.ArgumentParser:
    """--demo, --graph-url and --timezone, accepted after the subcommand name too.

    SUPPRESS keeps a subcommand from overwriting the same option given before its name
    (`cal365 --demo events` and `cal365 events --demo` mean the same).
    """
    parent = demo_option()
    parent.add_argument("--graph-url", metavar="URL", default=argparse.SUPPRESS,
                        help="Graph root URL (overrides CAL365_GRAPH_URL)")
    _timezone_option(parent)
    return parent


def demo_option() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="use the built-in demo mailbox (a local fake Graph)")
    return parent


def demo_date_option() -> argparse.ArgumentParser:
    """--date for a command that shows no window: with --demo, the day its mailbox is made
    around (so ids found with `cal365 --date D --demo events` are the same)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--date", type=parse_date, metavar=DAY, default=argparse.SUPPRESS,
                        help="with --demo: the day taken as today, which the demo's mailbox "
                             f"is made around ({DAY_FORMS})")
    return parent


def zone_options() -> argparse.ArgumentParser:
    """--timezone alone, for commands that show times but ask Graph nothing (`audit`)."""
    parent = argparse.ArgumentParser(add_help=False)
    _timezone_option(parent)
    return parent


def _timezone_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timezone", metavar="ZONE", default=argparse.SUPPRESS,
                        help="show times in this zone (overrides CAL365_TIMEZONE)")


def mailbox_options(parser: argparse.ArgumentParser) -> None:
    whose = parser.add_mutually_exclusive_group()
    whose.add_argument("--user", metavar="UPN",
                       help="another person's mailbox (user principal name or id): a delegate's "
                            "or a shared mailbox")
    whose.add_argument("--group", metavar="ID", help="a Microsoft 365 group's calendar (group id)")


def _json_option(parser: argparse.ArgumentParser, what: str = "one JSON document") -> None:
    parser.add_argument("--json", action="store_true", help=f"print {what} on stdout")


def _command(commands: Any, name: str, parents: list[argparse.ArgumentParser], *,
             help: str, description: str) -> argparse.ArgumentParser:
    # Raw formatting keeps the exit-code table as written; the description is wrapped here.
    parser: argparse.ArgumentParser = commands.add_parser(
        name, parents=parents, help=help, description=textwrap.fill(description, 88),
        epilog=EXIT_CODE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(script_command=name)
    return parser


def add_sync(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """`cal365 sync`; `parents` carry the sign-in settings (--profile, --cache)."""
    sync = _command(
        commands, "sync", [*parents, connection_options(), window_options()],
        help="bring the local calendar cache up to date; print what changed",
        description="Sync the local calendar cache with Graph (calendarView delta: only what "
                    "changed since the last sync is sent): every date window cal365 has "
                    "shown, or only --calendar's, or exactly the window --from/--to/--days "
                    "names "
                    "(which also adds it to the cache). For cron and for warming the cache. "
                    "Text output: one tab-separated line per window: calendar, first day, "
                    "last day, added N, changed N, removed N, full or incremental.",
    )
    sync.add_argument("--calendar", metavar="ID", help="only this calendar (an id from "
                      "`cal365 calendars`)")
    sync.add_argument("--from", dest="from_date", type=parse_date, metavar=DAY,
                      help="sync exactly this window, from this day (default: today)")
    sync.add_argument("--to", dest="to_date", type=parse_date, metavar=DAY,
                      help="…to this day, included (default: --days after --from)")
    _json_option(sync)


def add_cache(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """`cal365 cache info|clear`; `parents` carry the sign-in settings (--profile, --cache)."""
    cache = _command(
        commands, "cache", [*parents, demo_option(), zone_options(), demo_date_option()],
        help="where the local calendar cache is, how big and old; or clear it",
        description="The local calendar cache of a profile (what cal365 has seen, so it "
                    "starts at once and works offline). `info` prints where it is, how big "
                    "and how old, how many events and date windows it holds and whether it is "
                    "encrypted; `clear` deletes it with its keyring key (it fills again at the "
                    "next sync). Neither needs the network.",
    )
    cache.add_argument("cache_action", nargs="?", choices=("info", "clear"), default="info",
                       metavar="info|clear", help="what to do (default: info)")
    _json_option(cache, "info (or what clear removed) as one JSON document")


def _write_command(commands: Any, name: str, parents: list[argparse.ArgumentParser], *,
                   help: str, description: str,
                   ids: bool = True) -> argparse.ArgumentParser:
    """A command that writes to events named by id (`cancel`, `respond`, `delete`)."""
    parser = _command(commands, name, [*parents, demo_date_option()], help=help,
                      description=description)
    if ids:
        parser.add_argument("event_ids", nargs="+", metavar="EVENT_ID",
                            help="ids of the events")
    return parser


def _comment_options(parser: argparse.ArgumentParser, text: str) -> None:
    comment = parser.add_mutually_exclusive_group()
    comment.add_argument("--comment", metavar="TEXT", help=text)
    comment.add_argument("--comment-file", metavar="FILE",
                         help="read the message from FILE (UTF-8; - reads stdin)")


def _write_options(parser: argparse.ArgumentParser, calendar_form: str) -> None:
    """The options every command that writes to events by id has: whose mailbox, through
    which calendar, a dry run, no question, JSON."""
    mailbox_options(parser)
    parser.add_argument("--calendar", metavar="ID",
                        help="address the events through this calendar (the URL form "
                             f"{calendar_form})")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the exact requests (method, path, JSON body); send nothing")
    parser.add_argument("--yes", "-y", action="store_true",
                        help="do not ask for confirmation (needed without a terminal)")
    _json_option(parser)


def add_all(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """The other script subcommands; `parents` carry the sign-in settings (--profile…)."""
    connection = [*parents, connection_options()]

    calendars = _command(
        commands, "calendars", [*connection, demo_date_option()],
        help="list calendar groups and their calendars, with ids",
        description="List calendar groups and the calendars in each, with the ids other "
                    "commands take. Text output: one tab-separated line per calendar: "
                    "group, name, owner, flags (default, read-only), id.",
    )
    mailbox_options(calendars)
    calendars.add_argument(
        "--groups", action="store_true",
        help="list the Microsoft 365 groups you belong to instead (name, mail, id: the id "
             "--group takes); directory roles and security groups have no calendar and are "
             "left out")
    _json_option(calendars)

    events = _command(
        commands, "events", [*connection, window_options()],
        help="list events in a date window, recurring series as their occurrences",
        description="List the events of a calendar between two dates (both included; 14 days "
                    "from today by default), recurring series expanded into occurrences. Text "
                    "output: one tab-separated line per event: when, role (organizer or "
                    "attendee with your response: ',accepted', ',tentative', ',declined', "
                    "',not-responded'; then ',cancelled'), subject, organizer, id.",
    )
    mailbox_options(events)
    events.add_argument("--calendar", metavar="ID",
                        help="a calendar id from `cal365 calendars` (default: the default "
                             "calendar)")
    events.add_argument("--from", dest="from_date", type=parse_date, metavar=DAY,
                        help=f"first day ({DAY_FORMS}; default: today, or --date)")
    events.add_argument("--to", dest="to_date", type=parse_date, metavar=DAY,
                        help="last day, included (default: --days after --from)")
    events.add_argument("--mine", action="store_true", help="only meetings the user organizes")
    events.add_argument("--offline", action="store_true",
                        help="answer from the local calendar cache alone (no request is sent); "
                             "stderr says how old the answer is")
    _json_option(events)

    cancel = _write_command(
        commands, "cancel", connection,
        help="cancel meetings you organize, by event id, with a comment",
        description="Cancel meetings by id (ids from `cal365 events`); attendees get a "
                    "cancellation notice with the comment. Asks on the terminal unless --yes. "
                    "One tab-separated line per event on stdout: outcome (cancelled, "
                    "not-organizer, not-found, auth-needed, failed, unconfirmed, declined), "
                    "when, subject, id; reasons go to stderr. Sent in JSON batches. Every "
                    "cancel sent is added to the audit log (`cal365 audit`).",
    )
    _comment_options(cancel, "message for the attendees (blank: the default notice)")
    _write_options(cancel, "…/calendars/{id}/events/{event}/cancel")

    respond = _write_command(
        commands, "respond", connection, ids=False,
        help="accept, tentatively accept or decline invitations, by event id",
        description="Answer invitations by id (ids from `cal365 events`): accept, tentative "
                    "or decline, with a comment for the organizer, or with no response sent "
                    "at all (--no-response). Tentative and decline can propose a new time. "
                    "Asks on the terminal unless --yes. One tab-separated line per event on "
                    "stdout: outcome (accepted, tentative, declined, is-organizer, not-found, "
                    "auth-needed, failed, unconfirmed, answered-no), when, subject, id; "
                    "reasons go to stderr. Sent in JSON batches. Every reply sent is added to "
                    "the audit log (`cal365 audit`).",
    )
    respond.add_argument("reply", choices=("accept", "tentative", "decline"),
                         metavar="accept|tentative|decline", help="the answer")
    respond.add_argument("event_ids", nargs="+", metavar="EVENT_ID", help="ids of the events")
    _comment_options(respond, "message for the organizer (blank: none)")
    respond.add_argument("--no-response", action="store_true",
                         help="send no response to the organizer (Graph's sendResponse "
                              "false): your calendar changes, nobody is told; no comment "
                              "and no proposed time then")
    respond.add_argument("--propose-start", metavar="DT",
                         help="with tentative or decline: propose a new time starting at DT "
                              "(ISO 8601, e.g. 2026-11-24T15:00; without an offset, in "
                              "your time zone); needs --propose-end")
    respond.add_argument("--propose-end", metavar="DT", help="…and ending at DT")
    respond.add_argument("--series", action="store_true",
                         help="for an occurrence of a recurring meeting: answer the whole "
                              "series (the request goes to its series master)")
    _write_options(respond, "…/calendars/{id}/events/{event}/accept")

    delete = _write_command(
        commands, "delete", connection,
        help="delete events (to Deleted Items), by event id",
        description="Delete events by id (ids from `cal365 events`): they go to Deleted "
                    "Items. Meant for appointments without attendees: deleting a meeting you "
                    "organize sends the attendees a cancellation without your message (use "
                    "`cal365 cancel` for that), and deleting an invitation declines it. Asks "
                    "on the terminal unless --yes. One tab-separated line per event on "
                    "stdout: outcome (deleted, not-found, auth-needed, failed, unconfirmed, "
                    "answered-no), when, subject, id; reasons go to stderr. Sent in JSON "
                    "batches. Every delete sent is added to the audit log (`cal365 audit`).",
    )
    _write_options(delete, "…/calendars/{id}/events/{event}")

    log = _command(
        commands, "audit", [demo_option(), zone_options(), demo_date_option()],
        help="show the log of cancels cal365 has sent",
        description="Show the audit log: every cancel cal365 sent, from the app or the command "
                    "line, oldest first. Text output: one tab-separated line per cancel: time, "
                    "outcome, mailbox, start, subject, Graph request-id, event id; the times "
                    "in ISO 8601 in your time zone (--timezone, CAL365_TIMEZONE or this "
                    "machine's), with its offset. --json adds the comment, Graph's message and "
                    "the URL path, its times as logged (time in UTC). The log is "
                    "audit.jsonl in cal365's state directory (on Linux "
                    "~/.local/state/cal365/; $CAL365_HOME/state/ when that is set).",
    )
    log.add_argument("--limit", type=parse_count, metavar="N", help="only the last N entries")
    log.add_argument("--path", action="store_true", help="print where the log is, and stop")
    _json_option(log, "one JSON array")
