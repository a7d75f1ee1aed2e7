"""`cal365 cancel` cut short once cancels are going out: by Ctrl+C, or by a reader that
goes away (`| head`). Either way the user learns what became of each event, the audit log
has what is known, and the exit code never says nothing was sent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Cal365, when_cancels_go
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.fake.faults import Fault
from tui.script.exits import Exit


class Cancelling:
    """`cal365 cancel IDS --yes` in a process of its own against the fake, as a user runs it.
    With `read`, its stdout is read line by line as it comes (into `lines`); without, the
    test does what it wants with the pipe."""

    def __init__(self, fake: FakeGraph, home: Path, ids: list[str], *, read: bool = False,
                 stderr: int = subprocess.PIPE,
                 command: tuple[str, ...] = ("cancel", "--comment", "Reorganisation")) -> None:
        env = {**os.environ, "CAL365_HOME": str(home), "CAL365_ACCESS_TOKEN": fake.token,
               "CAL365_TIMEZONE": "Europe/Berlin", "PYTHONIOENCODING": "utf-8"}
        env.pop("CAL365_GRAPH_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", *command, *ids, "--yes", "--graph-url",
             fake.base_url],
            stdout=subprocess.PIPE, stderr=stderr, env=env)
        assert self.process.stdout is not None
        self.stdout = self.process.stdout
        self.lines: list[str] = []
        self.reader: threading.Thread | None = None
        if read:
            self.reader = threading.Thread(target=self._read, daemon=True)
            self.reader.start()
        self.deadline = time.monotonic() + 60  # a hang fails the test, it does not time it

    def _read(self) -> None:
        for raw in self.stdout:
            self.lines.append(raw.decode())

    def until(self, condition: Callable[[], object]) -> None:
        """Wait, while the process runs, for `condition()`."""
        while not condition():
            assert self.process.poll() is None and time.monotonic() < self.deadline, self.lines
            time.sleep(0.05)

    def ctrl_c(self) -> None:
        self.process.send_signal(signal.SIGINT)

    def wait(self) -> int:
        code = self.process.wait(timeout=60)
        if self.reader is not None:
            self.reader.join(timeout=10)
        return code

    def err(self) -> str:
        assert self.process.stderr is not None
        return self.process.stderr.read().decode()


def _hang_after_the_first_batch(fake: FakeGraph) -> Fault:
    """The first batch of cancels answers; every later one hangs (on its way when Ctrl+C
    comes). The look-ups before them answer at once."""
    batch = r"/\$batch$"
    hang = Fault("latency", method="POST", path=batch, in_batch=False, seconds=60.0,
                 times=None)

    def add() -> None:
        fake.faults.add(Fault("latency", method="POST", path=batch, in_batch=False,
                              seconds=0.0, times=1))
        fake.faults.add(hang)

    when_cancels_go(fake, add)
    return hang


def _slow_batches(fake: FakeGraph) -> None:
    """Each batch of cancels takes half a second (the look-ups before them do not)."""
    when_cancels_go(fake, lambda: fake.faults.add(Fault(
        "latency", method="POST", path=r"/\$batch$", in_batch=False, seconds=0.5,
        times=None)))


def test_ctrl_c_while_sending_says_what_became_of_each_event(
    fake_graph: FakeGraph, home: Path, run_cli: Cal365,
) -> None:
    # 120 cancels are six batches, four at a time: the first answers, the next four hang
    # (they are on their way), the sixth waits for a free slot and is never sent.
    ids = add_meetings(fake_graph.store, 120, raw_ids=True)
    hang = _hang_after_the_first_batch(fake_graph)
    run = Cancelling(fake_graph, home, ids, read=True)
    # Counted as each batch arrives: the first has answered, four are on their way, and the
    # sixth waits for one of them to finish.
    run.until(lambda: len(run.lines) >= 20 and hang.fired >= 4)
    run.ctrl_c()
    assert run.wait() == Exit.SEND_INTERRUPTED == 8
    err = run.err()
    assert "Traceback" not in err
    lines = run.lines
    rows = [line.rstrip("\n").split("\t") for line in lines]
    outcomes = Counter(row[0] for row in rows)
    assert outcomes == {"cancelled": 20, "unconfirmed": 80, "not-sent": 20}, outcomes
    assert sorted(row[3] for row in rows) == sorted(ids)  # every event has its line, once
    assert "interrupted while sending: 20 cancelled, 80 unconfirmed" in err
    assert "20 not sent" in err
    assert "unexpected error" not in err
    assert "before it went out" in err  # each event not sent is named on stderr too
    # The audit log holds what is known: the cancelled and those on their way.
    logged = run_cli("audit", "--json")  # `home` is this test's CAL365_HOME
    assert logged.code == 0, logged.err
    kept = Counter(entry["outcome"] for entry in logged.json)
    assert kept == {"cancelled": 20, "unconfirmed": 80}


def test_ctrl_c_while_deleting_or_declining_says_what_became_of_each_event(
    fake_graph: FakeGraph, home: Path, run_cli: Cal365,
) -> None:
    # The same flow for the other writes: 40 deletes are two batches; the first answers,
    # the second is on its way when Ctrl+C comes.
    ids = add_meetings(fake_graph.store, 40, raw_ids=True)
    hang = _hang_after_the_first_batch(fake_graph)
    run = Cancelling(fake_graph, home, ids, read=True, command=("delete",))
    run.until(lambda: len(run.lines) >= 20 and hang.fired >= 1)
    run.ctrl_c()
    assert run.wait() == Exit.SEND_INTERRUPTED
    err = run.err()
    assert "Traceback" not in err
    outcomes = Counter(line.split("\t")[0] for line in run.lines)
    assert outcomes == {"deleted": 20, "unconfirmed": 20}, outcomes
    assert "interrupted while sending: 20 deleted, 20 unconfirmed" in err
    logged = run_cli("audit", "--json")
    assert Counter((e["action"], e["outcome"]) for e in logged.json) == {
        ("delete", "deleted"): 20, ("delete", "unconfirmed"): 20}


def test_a_reader_gone_mid_cancel_stops_no_cancel_and_stderr_says_where_outcomes_are(
    fake_graph: FakeGraph, home: Path, run_cli: Cal365,
) -> None:
    # Five batches, four at a time: the fifth is sent after the first outcome was printed,
    # that is after the reader has gone.
    ids = add_meetings(fake_graph.store, 100, raw_ids=True)
    _slow_batches(fake_graph)
    run = Cancelling(fake_graph, home, ids)
    run.stdout.close()  # `| head -0`: the reader is gone before the first line
    err = run.err()
    assert run.wait() == Exit.OK  # every cancel went through, as asked
    assert "Traceback" not in err and "Broken pipe" not in err
    assert "the output was closed" in err and "cal365 audit" in err
    sent = {n.event_id for n in fake_graph.store.sent_cancellations}
    assert sent >= set(ids)
    logged = run_cli("audit", "--json")
    assert Counter(e["outcome"] for e in logged.json) == {"cancelled": 100}


def test_ctrl_c_before_sending_says_nothing_was_cancelled(
    fake_graph: FakeGraph, home: Path,
) -> None:
    ids = add_meetings(fake_graph.store, 3, raw_ids=True)
    lookup = fake_graph.faults.add(Fault("latency", method="GET", path="/events/",
                                         seconds=60.0, times=None))
    run = Cancelling(fake_graph, home, ids)
    run.until(lambda: lookup.fired)  # the look-ups are on their way; nothing is sent before
    run.ctrl_c()
    assert run.wait() == Exit.INTERRUPTED == 130
    err = run.err()
    assert "Traceback" not in err
    assert "interrupted; nothing was cancelled" in err
    assert run.stdout.read() == b""
    assert not [r for r in fake_graph.requests if r.method == "POST"]


def test_a_reader_gone_from_stdout_and_stderr_stops_no_cancel(
    fake_graph: FakeGraph, home: Path, run_cli: Cal365,
) -> None:
    # `cal365 cancel … 2>&1 | head -0`: both streams closed. A meeting the user does not
    # organize gets a refusal, said on stderr; that must not stop the other cancels either.
    ids = add_meetings(fake_graph.store, 100, raw_ids=True)
    theirs = fake_graph.store.find_events(
        lambda e: not e["isOrganizer"] and e["type"] == "singleInstance")[0]["id"]
    _slow_batches(fake_graph)
    run = Cancelling(fake_graph, home, [theirs, *ids], stderr=subprocess.STDOUT)
    run.stdout.close()
    assert run.wait() == Exit.NOT_ORGANIZER  # the run's own outcome, not 0
    assert {n.event_id for n in fake_graph.store.sent_cancellations} >= set(ids)
    logged = run_cli("audit", "--json")
    assert Counter(e["outcome"] for e in logged.json) == {"cancelled": 100, "not-organizer": 1}


def test_ctrl_c_pressed_again_while_the_outcomes_are_told_does_not_cut_them_short(
    fake_graph: FakeGraph, home: Path,
) -> None:
    """An impatient user presses Ctrl+C again and again: the first stops the sending; the
    others must not stop the report of what became of each event, nor turn its exit code
    into 130 ("before any cancel went out")."""
    ids = add_meetings(fake_graph.store, 120, raw_ids=True)
    hang = _hang_after_the_first_batch(fake_graph)
    run = Cancelling(fake_graph, home, ids, read=True)
    run.until(lambda: len(run.lines) >= 20 and hang.fired >= 4)
    # Ctrl+C, then again and again while the outcomes of the cut-short run are told.
    while len(run.lines) < 60 and run.process.poll() is None and time.monotonic() < run.deadline:
        run.ctrl_c()
        time.sleep(0.002)
    assert run.wait() == Exit.SEND_INTERRUPTED
    assert len(run.lines) == 120
    assert "Traceback" not in run.err()
