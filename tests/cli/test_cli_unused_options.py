"""An option a command does not use is a usage error (exit 2) that names it, before or after
the subcommand's name; never silently ignored. Options a command uses work in both places."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cal365
from tui.script.exits import Exit
from tui.script.uses import FLAGS, USES

# A value for each shared option, and what each command needs besides.
VALUES: dict[str, tuple[str, ...]] = {
    "demo": ("--demo",),
    "graph_url": ("--graph-url", "http://127.0.0.1:9"),
    "timezone": ("--timezone", "UTC"),
    "date": ("--date", "2026-11-23"),
    "days": ("--days", "3"),
    "profile": ("--profile", "work"),
    "client_id": ("--client-id", "00000000-0000-0000-0000-000000000000"),
    "tenant": ("--tenant", "organizations"),
    "cloud": ("--cloud", "global"),
    "token_storage": ("--token-storage", "session"),
    "mailbox": ("--mailbox", "someone@example.com"),
    "cache": ("--no-cache",),
    "sync_every": ("--sync-every", "3"),
}
REQUIRED = {"cancel": ("AAMkAD-not-an-event", "--yes"), "cache": ("info",),
            "respond": ("decline", "AAMkAD-not-an-event", "--yes"),
            "delete": ("AAMkAD-not-an-event", "--yes")}
UNUSED = [(command, dest) for command in USES if command is not None
          for dest in FLAGS if dest not in USES[command]]


def test_every_shared_option_has_a_value_here() -> None:
    assert set(VALUES) == set(FLAGS)
    assert len(UNUSED) > 20


@pytest.mark.parametrize(("command", "dest"), UNUSED)
def test_an_option_the_command_does_not_use_is_refused_before_its_name(
    run_cli: Cal365, home: Path, command: str, dest: str
) -> None:
    run = run_cli(*VALUES[dest], command, *REQUIRED.get(command, ()))
    assert run.code == Exit.USAGE, (run.out, run.err)
    assert f"{FLAGS[dest]} does nothing for `cal365 {command}`" in run.err
    assert run.out == "" and "Traceback" not in run.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--demo", "--profile", "work", "events"), "--profile does nothing with --demo"),
        (("events", "--demo", "--tenant", "contoso"), "--tenant does nothing with --demo"),
        (("--demo", "--graph-url", "http://127.0.0.1:9", "sync"),
         "--graph-url does nothing with --demo"),
        (("--demo", "--client-id", "x"), "--client-id does nothing with --demo"),
        (("--date", "2026-11-23", "calendars"),
         "--date does nothing for `cal365 calendars` but with --demo"),
        (("cancel", "AAMkAD-x", "--date", "2026-11-23", "--yes"),
         "--date does nothing for `cal365 cancel` but with --demo"),
        (("--date", "2026-11-23", "audit"), "--date does nothing for `cal365 audit` but with"),
        (("--date", "2026-11-23", "sync"), "--date does nothing for `cal365 sync` without"),
        (("audit", "--path", "--limit", "2"), "prints only where the log is: leave out --limit"),
        (("audit", "--path", "--json"), "prints only where the log is: leave out --json"),
        (("cancel", "AAMkAD-x", "--dry-run", "--yes"), "--yes does nothing with --dry-run"),
        (("respond", "accept", "AAMkAD-x", "--dry-run", "--yes"),
         "--yes does nothing with --dry-run"),
        (("delete", "AAMkAD-x", "--dry-run", "--yes"), "--yes does nothing with --dry-run"),
        (("delete", "AAMkAD-x", "--date", "2026-11-23", "--yes"),
         "--date does nothing for `cal365 delete` but with --demo"),
        (("login", "--days", "3"), "unrecognized arguments: --days 3"),
        (("login", "--sync-every", "3"), "unrecognized arguments: --sync-every 3"),
        (("cache", "info", "--client-id", "x"), "unrecognized arguments: --client-id x"),
        (("audit", "--days", "3"), "unrecognized arguments: --days 3"),
    ],
)
def test_an_option_that_would_do_nothing_here_is_refused(
    run_cli: Cal365, home: Path, argv: tuple[str, ...], message: str
) -> None:
    run = run_cli(*argv)
    assert run.code == Exit.USAGE, (run.out, run.err)
    assert message in run.err
    assert run.out == "" and "Traceback" not in run.err


USED = [(command, dest) for command in USES if command is not None
        for dest in sorted(USES[command])]


@pytest.mark.parametrize(("command", "dest"), USED)
def test_every_option_a_command_uses_is_taken_after_its_name_too(command: str,
                                                                 dest: str) -> None:
    from tui.cli import build_parser

    argv = [command, *REQUIRED.get(command, ()), *VALUES[dest]]
    before = build_parser().parse_args([*VALUES[dest], command, *REQUIRED.get(command, ())])
    after = build_parser().parse_args(argv)
    assert getattr(after, dest) == getattr(before, dest) not in (None, False)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (("--demo", "audit", "--json"), ("audit", "--demo", "--json")),
        (("--demo", "--date", "2026-11-23", "calendars"),
         ("calendars", "--demo", "--date", "2026-11-23")),
        (("--demo", "--date", "2026-11-23", "--timezone", "UTC", "events", "--days", "2"),
         ("events", "--days", "2", "--timezone", "UTC", "--date", "2026-11-23", "--demo")),
        (("--demo", "cache", "info", "--json"), ("cache", "info", "--json", "--demo")),
    ],
)
def test_options_a_command_uses_work_before_or_after_its_name(
    run_cli: Cal365, home: Path, before: tuple[str, ...], after: tuple[str, ...]
) -> None:
    first, second = run_cli(*before), run_cli(*after)
    assert first.code == second.code == Exit.OK, (first.err, second.err)
    assert first.out == second.out and first.out


def test_cache_clear_honours_json(run_cli: Cal365, home: Path) -> None:
    run = run_cli("--demo", "--cache", "plaintext", "cache", "clear", "--json")
    assert run.code == Exit.OK, run.err
    assert run.json == {"profile": "demo", "removed": [], "keyringProblem": None}
