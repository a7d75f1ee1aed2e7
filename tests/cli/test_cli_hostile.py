"""Every script command against the fake Graph's hostile answers (`tui.fake.hostile`).

For each: no traceback, no raw control character in stdout or stderr, a documented exit
code, the events Graph did send listed, and an end in bounded time (a watchdog interrupts
a command that hangs, which then fails the test with exit 130).
"""

from __future__ import annotations

import _thread
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cal365, Run, when_cancels_go
from tests.unsafe import raw_controls
from tui.fake import FakeGraph, Fault
from tui.fake.hostile import HOSTILE_TEXT
from tui.graph.policy import RetryPolicy
from tui.script.exits import Exit

ZONE = "America/New_York"  # west of UTC: 0001-01-01 UTC is before year 1 here
DEMO = ("--demo", "--date", "2026-11-23", "--cache", "plaintext", "--timezone", ZONE)
AUDIT = ("--demo", "--timezone", ZONE)  # the audit log has no cache to choose
WINDOW = ("--from", "2026-11-23", "--to", "2026-11-29")
DOCUMENTED = {int(code) for code in Exit} - {int(Exit.INTERRUPTED)}
LIMIT = 60.0  # seconds a command may take here before the watchdog stops it
ACTIVE: list[Fault] = []  # the faults every demo fake of a test starts with
SENDING: list[Fault] = []  # the faults it takes on once the look-ups are done
STARTED: list[FakeGraph] = []  # the demo fakes started, to look at what they were sent


async def _instant(seconds: float) -> None:
    """Retries happen at once."""


@pytest.fixture(autouse=True)
def hostile_demo(monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[None]:
    """The demo's own fake Graph starts with ACTIVE's faults; requests get a short deadline
    (the drip) and few retries and pages (an endless nextLink)."""
    import tui.fake

    class Hostile(FakeGraph):
        def start(self, listening: Any = None) -> FakeGraph:
            for fault in ACTIVE:
                self.faults.add(copy(fault))
            when_cancels_go(self, lambda: [self.faults.add(copy(f)) for f in SENDING])
            STARTED.append(self)
            return super().start(listening)

    monkeypatch.setattr(tui.fake, "FakeGraph", Hostile)
    monkeypatch.setattr("tui.script.common.retry_policy", lambda: RetryPolicy(
        sleep=_instant, deadline=1.0, max_retries=1, max_pages=40))
    ACTIVE.clear()
    SENDING.clear()
    STARTED.clear()
    yield
    ACTIVE.clear()
    SENDING.clear()


def copy(fault: Fault) -> Fault:
    return Fault(**{k: v for k, v in vars(fault).items()
                    if not k.startswith("_") and k != "fired"})


def _bounded(run_cli: Cal365, *argv: str) -> Run:
    """`cal365 ARGV`, interrupted (exit 130) if it runs past LIMIT."""
    done = threading.Event()

    def watchdog() -> None:
        if not done.wait(LIMIT):
            _thread.interrupt_main()

    threading.Thread(target=watchdog, daemon=True).start()
    try:
        return run_cli(*argv)
    finally:
        done.set()


def _check(run: Run) -> None:
    assert run.code in DOCUMENTED, (run.code, run.err)
    assert "Traceback" not in run.err and "unexpected error" not in run.err, run.err
    assert raw_controls(run.out, "\t\n") == [] and raw_controls(run.err, "\t\n") == [], (
        run.out, run.err)
    for output in (run.out, run.err):
        assert "\x1b" not in output and "\x07" not in output and "\ud800" not in output


EVERYWHERE = dict(method="GET", times=None)
FAULTS = {
    "hostile": [Fault("hostile", items=2, **EVERYWHERE)],  # type: ignore[arg-type]
    "deep": [Fault("deep", path="calendarView", **EVERYWHERE)],  # type: ignore[arg-type]
    "not_a_list": [Fault("not_a_list", path="calendar", **EVERYWHERE)],  # type: ignore[arg-type]
    "self_link": [Fault("self_link", path="calendar", **EVERYWHERE)],  # type: ignore[arg-type]
    "cycle_link": [Fault("cycle_link", path="calendar", **EVERYWHERE)],  # type: ignore[arg-type]
    "endless_link": [Fault("endless_link", path="calendarView",
                           **EVERYWHERE)],  # type: ignore[arg-type]
    "drip": [Fault("drip", path="calendar", seconds=0.05, **EVERYWHERE)],  # type: ignore[arg-type]
    "refuse": [Fault("refuse", code=f"Err{HOSTILE_TEXT}", message=f"No {HOSTILE_TEXT}",
                     times=None)],
    # Graph's own refusal, its words and request-id made hostile on the way.
    "refuse_hostile": [Fault("refuse", times=None), Fault("hostile", times=None)],
}
COMMANDS = [("events", *WINDOW), ("events", *WINDOW, "--json"), ("calendars",),
            ("calendars", "--json"), ("sync", *WINDOW), ("sync", *WINDOW, "--json")]


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_listing_commands_against_hostile_answers(
    run_cli: Cal365, fault: str, command: tuple[str, ...]
) -> None:
    ACTIVE.extend(FAULTS[fault])
    run = _bounded(run_cli, *DEMO, *command)
    _check(run)
    if fault == "hostile":  # read as far as it goes: everything listed, odd fields named
        assert run.code == Exit.OK, run.err
        if command[0] == "events":
            assert "2 events came with fields that could not be read (end, start)" in run.err
        if command == ("events", *WINDOW):
            assert len(run.rows) > 10 and "\ufffd" in run.out
            assert [row[0] for row in run.rows].count("?") == 2
        if command == ("events", *WINDOW, "--json"):
            events = run.json["events"]
            assert len(events) > 10
            assert [e.get("unreadable") for e in events].count(["start", "end"]) == 2
    elif fault in ("deep", "not_a_list", "self_link", "cycle_link", "endless_link"):
        if command[0] != "calendars" or fault in ("not_a_list", "self_link", "cycle_link"):
            assert run.code == Exit.ERROR, run.err
            assert run.err.strip(), "the error is said"
    elif fault == "drip" and command[0] != "calendars":
        assert run.code == Exit.UNREACHABLE and "in time" in run.err, run.err
    elif fault == "refuse":
        assert run.code != Exit.OK and "Err" in run.err
    elif fault == "refuse_hostile":
        assert run.code != Exit.OK and "evil" in run.err and "request-id" in run.err


def _organized_id(run_cli: Cal365) -> str:
    listing = _bounded(run_cli, *DEMO, "events", *WINDOW, "--mine", "--json")
    assert listing.code == Exit.OK, listing.err
    return str(next(e["id"] for e in listing.json["events"] if not e.get("isCancelled")))


@pytest.mark.parametrize("fault", ["hostile", "drip", "drip_post", "refuse", "deep"])
@pytest.mark.parametrize("as_json", [False, True])
def test_cancel_and_audit_against_hostile_answers(
    run_cli: Cal365, fault: str, as_json: bool
) -> None:
    event_id = _organized_id(run_cli)
    flags = ("--json",) if as_json else ()
    spoil = {
        "drip": [Fault("drip", seconds=0.05, times=None)],
        "deep": [Fault("deep", times=None)],
    }.get(fault) or FAULTS.get(fault, [])
    ACTIVE.extend(spoil)
    if fault == "drip_post":  # the cancels' answers, not the look-ups' before them
        SENDING.append(Fault("drip", method="POST", seconds=0.05, times=None))
    run = _bounded(run_cli, *DEMO, "cancel", event_id, "--comment", "Sorry", "--yes", *flags)
    _check(run)
    sent = [r for r in STARTED[-1].requests if r.path.endswith("/cancel")]
    if fault == "drip":  # even the look at the event first never came whole: not sent
        assert run.code == Exit.UNREACHABLE and not sent, run.err
    if fault == "drip_post":
        # The cancel's answer never came whole; a look at the event found it cancelled:
        # reported as done, and sent once only.
        assert run.code == Exit.OK, run.err
        assert len(sent) == 1 and len(STARTED[-1].store.cancel_log) == 1
    ACTIVE.clear()
    SENDING.clear()
    for audit_flags in ((), ("--json",)):
        log = _bounded(run_cli, *AUDIT, "audit", *audit_flags)
        _check(log)
        assert log.code == Exit.OK, log.err


def test_events_offline_after_a_hostile_sync(run_cli: Cal365) -> None:
    ACTIVE.extend(FAULTS["hostile"])
    synced = _bounded(run_cli, *DEMO, "sync", *WINDOW)
    _check(synced)
    assert synced.code == Exit.OK, synced.err
    ACTIVE.clear()
    for flags in ((), ("--json",)):
        offline = _bounded(run_cli, *DEMO, "events", *WINDOW, "--offline", *flags)
        _check(offline)
        assert offline.code == Exit.OK, offline.err
        assert "\ufffd" in offline.out or "\\ufffd" in offline.out


@pytest.mark.parametrize("as_json", [False, True])
def test_a_bulk_cancel_with_hostile_batch_answers(run_cli: Cal365, as_json: bool) -> None:
    listing = _bounded(run_cli, *DEMO, "events", *WINDOW, "--json")
    events = listing.json["events"]
    mine = next(e["id"] for e in events if e["isOrganizer"] and not e["isCancelled"])
    theirs = next(e["id"] for e in events if not e["isOrganizer"])
    # Every answer hostile, the $batch one included: the refusal of `theirs` comes back with
    # escapes and markup in its code and message.
    ACTIVE.append(Fault("hostile", times=None))
    flags = ("--json",) if as_json else ()
    run = _bounded(run_cli, *DEMO, "cancel", mine, theirs, "--comment", "Sorry", "--yes",
                   *flags)
    _check(run)
    assert run.code == Exit.NOT_ORGANIZER, run.err
    assert "evil" in run.out + run.err  # the server's words, shown inert
    ACTIVE.clear()
    log = _bounded(run_cli, *AUDIT, "audit")
    _check(log)
