"""One window parser for the app and every command: --date, --from, --to take the days `g`
takes, --days is honoured by every command that shows a window, with the same limits and
words, before or after the subcommand's name."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Cal365
from tui.fake import FakeGraph
from tui.script.exits import Exit

WED = "2026-11-25"  # a Wednesday: friday is the 27th


def _span(run_json: dict[str, str]) -> tuple[str, str]:
    return run_json["from"][:10], run_json["to"][:10]


@pytest.mark.parametrize(
    "argv",
    [
        ("events", "--days", "3"),
        ("--days", "3", "events"),
        ("events", "--from", WED, "--days", "3"),
        ("--date", WED, "events", "--days", "3"),
        ("events", "--date", WED, "--days", "3"),
    ],
)
def test_events_honours_days_before_or_after_the_subcommand(
    cal365: Cal365, argv: tuple[str, ...]
) -> None:
    date = () if "--from" in argv or "--date" in argv else ("--from", WED)
    run = cal365(*argv, *date, "--json")
    assert run.code == Exit.OK, run.err
    # [from, to): three whole days.
    assert _span(run.json) == (WED, "2026-11-28")
    assert all(e["start"][:10] <= "2026-11-27" for e in run.json["events"])


@pytest.mark.parametrize(
    ("argv", "first", "end"),
    [
        (("--date", WED, "events", "--from", "friday", "--days", "2"), "2026-11-27", "2026-11-29"),
        (("--date", WED, "events", "--from", "+3", "--to", "+4"), "2026-11-28", "2026-11-30"),
        (("--date", WED, "events", "--from", "-7", "--days", "1"), "2026-11-18", "2026-11-19"),
        (("--date", WED, "events", "--from", "tomorrow", "--days", "1"), "2026-11-26",
         "2026-11-27"),
        (("--date", "1950-01-02", "events", "--from", "+365000", "--days", "1"), "2949-05-04",
         "2949-05-05"),
        (("events", "--date", "2026-11-23", "--from", "today", "--days", "1"), "2026-11-23",
         "2026-11-24"),
    ],
)
def test_every_date_option_takes_the_days_g_takes(
    cal365: Cal365, argv: tuple[str, ...], first: str, end: str
) -> None:
    run = cal365(*argv, "--json")
    assert run.code == Exit.OK, run.err
    assert _span(run.json) == (first, end)


@pytest.mark.parametrize("days", ["0", "-5", "1826", "two"])
def test_a_bad_days_is_refused_in_the_same_words_by_the_app_and_every_command(
    cal365: Cal365, run_cli: Cal365, fake_graph: FakeGraph, days: str
) -> None:
    fake_graph.clear_requests()
    expected = f"argument --days: must be a number of days from 1 to 1825, not '{days}'"
    for run in (cal365("events", "--days", days), cal365("--days", days, "events"),
                cal365("sync", "--days", days), run_cli("--demo", "--days", days)):
        assert run.code == Exit.USAGE
        assert expected in run.err, run.err
        assert run.out == "" and "Traceback" not in run.err
    assert fake_graph.requests == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("events", "--from", "someday"),
         "argument --from: not a date: 'someday' (try 2026-12-01, today, +3, -7 or friday)"),
        (("--date", "someday"),
         "argument --date: not a date: 'someday' (try 2026-12-01, today, +3, -7 or friday)"),
        (("events", "--to", "+999999999"), "argument --to: too far: cal365 shows dates"),
        (("--date", "2999-12-01", "events", "--from", "+60"),
         "argument --from: 3000-01-30 is too far: cal365 shows dates from 1900 to 2999"),
        (("--date", "2999-12-20", "events"), "cal365 shows dates from 1900 to 2999"),
    ],
)
def test_a_bad_day_is_refused_in_the_words_of_g(
    cal365: Cal365, fake_graph: FakeGraph, argv: tuple[str, ...], message: str
) -> None:
    fake_graph.clear_requests()
    run = cal365(*argv)
    assert run.code == Exit.USAGE
    assert message in run.err, run.err
    assert run.out == "" and "Traceback" not in run.err
    assert fake_graph.requests == []


def test_the_app_refuses_a_day_out_of_range_as_the_commands_do(run_cli: Cal365) -> None:
    run = run_cli("--demo", "--date", "+999999")
    assert run.code == Exit.USAGE
    assert "argument --date: " in run.err and "cal365 shows dates from 1900 to 2999" in run.err


def test_the_app_refuses_a_window_beyond_the_range_in_the_commands_words(
    run_cli: Cal365, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app import Cal365App

    started: list[Cal365App] = []
    monkeypatch.setattr(Cal365App, "run", lambda self, *a, **k: started.append(self))
    words = "cal365 shows dates from 1900 to 2999; the window 2999-12-30 to 3000-01-12 goes beyond"
    app = run_cli("--demo", "--date", "2999-12-30", "--days", "14")
    events = run_cli("--demo", "--date", "2999-12-30", "events", "--days", "14")
    assert app.code == events.code == Exit.USAGE
    assert words in app.err and words in events.err
    assert started == []
    assert run_cli("--demo", "--date", "2999-12-18", "--days", "14").code == Exit.OK
    assert len(started) == 1
