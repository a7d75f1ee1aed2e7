"""A bounded soak of the script commands (`cal365 calendars|events|cancel`) under random faults.

Each operation is one in-process run of the command, with its own client, against the fake
Graph while it throttles, fails, resets and breaks answers. Checked, against the fake's record:
every event named to `cancel` was cancelled exactly once, or the command said it was not
(`unconfirmed` is allowed either way, and counted); no other event was touched; an event
reported as not cancelled and named again is cancelled at most once overall; no run ends in
a traceback or an "unexpected error", and each ends with a documented exit code.

`CAL365_SOAK_SEED` replays a run; `CAL365_SOAK_CLI_OPS` sets the number of runs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from pathlib import Path

import pytest

from tests.conftest import DEMO_TODAY
from tests.faults.soak_common import (
    DONE,
    NOT_DONE,
    SEED,
    UNKNOWN,
    CountingSleep,
    Ledger,
    fast_policy,
    install_faults,
    maybe_burst,
    replay_hint,
)
from tui.cli import main
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.fake.model import Person
from tui.script.exits import Exit

pytestmark = pytest.mark.soak

OPS = int(os.environ.get("CAL365_SOAK_CLI_OPS", "1000"))
TEST = "test_soak_of_the_cli"
_OUTCOMES = {"cancelled": DONE, "unconfirmed": UNKNOWN, "not-organizer": NOT_DONE,
             "not-found": NOT_DONE, "failed": NOT_DONE, "auth-needed": NOT_DONE}
_CODES = {int(code) for code in Exit}


def test_soak_of_the_cli(fake_graph: FakeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    sleep = CountingSleep()
    monkeypatch.setattr("tui.script.common.retry_policy",
                        lambda: fast_policy(sleep, read_timeout=0.5))
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", fake_graph.token)
    monkeypatch.setenv("CAL365_TIMEZONE", "Europe/Berlin")
    monkeypatch.delenv("CAL365_GRAPH_URL", raising=False)
    store = fake_graph.store
    mine = add_meetings(store, OPS // 3, subject="Soak")
    theirs = add_meetings(store, OPS // 20, subject="Not mine",
                          organizer=Person("Noah", "noah@x.test"))
    ghosts = [f"AAMkAGhost{i}=" for i in range(10)]
    pool = [*mine, *theirs, *ghosts]
    rng = random.Random(SEED)
    rng.shuffle(pool)
    install_faults(fake_graph, slow_after=0.8)
    ledger = Ledger(TEST)
    codes: dict[int, int] = {}

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main([*argv, "--graph-url", fake_graph.base_url])
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
        out, err = capsys.readouterr()
        hint = replay_hint(TEST)
        assert "Traceback" not in err and "unexpected error" not in err, f"{argv}: {err} {hint}"
        assert code in _CODES, f"{argv}: exit code {code} {hint}"
        codes[code] = codes.get(code, 0) + 1
        return code, out, err

    began = time.perf_counter()
    for serial in range(OPS):
        roll = rng.random()
        maybe_burst(fake_graph, rng, ledger.ops)
        if roll < 0.25:
            ledger.ops["calendars"] += 1
            code, out, _ = run("calendars", "--json")
            if code == 0:
                assert json.loads(out)["calendars"]
        elif roll < 0.5:
            ledger.ops["events"] += 1
            first = DEMO_TODAY + dt.timedelta(days=rng.randint(-10, 10))
            last = first + dt.timedelta(days=rng.randint(0, 30))
            code, out, _ = run("events", "--json", "--from", first.isoformat(),
                               "--to", last.isoformat())
            if code == 0:
                assert isinstance(json.loads(out)["events"], list)
        elif pool:
            ledger.ops["cancel runs"] += 1
            named = pool[:rng.randint(1, 6)]
            del pool[:len(named)]
            ledger.ops["cancel items"] += len(named)
            comment = f"soak {serial} " + rng.choice(["sorry", "ÜÇ 日本", "[b]x[/]", "a\nb"])
            code, out, err = run("cancel", *named, "--yes", "--json", "--comment", comment)
            if out.strip():
                document = json.loads(out)
                results = {r["eventId"]: r for r in document["results"]}
                assert set(results) == set(named), f"{named} {replay_hint(TEST)}"
                for event_id, result in results.items():
                    outcome = _OUTCOMES[result["outcome"]]
                    ledger.report(event_id, outcome)
                    if outcome == NOT_DONE and result["outcome"] == "failed" \
                            and rng.random() < 0.5:
                        pool.append(event_id)  # the user tries again later
            else:
                # Stopped before sending (the look-up could not reach Graph): said so.
                assert "Nothing was cancelled" in err, f"{err!r} {replay_hint(TEST)}"
                for event_id in named:
                    ledger.report(event_id, NOT_DONE)
                    if rng.random() < 0.5:
                        pool.append(event_id)
    elapsed = time.perf_counter() - began

    cancelled = ledger.check_server(fake_graph)
    untouched = set(mine) - set(ledger.outcomes)
    with store.lock:
        assert all(store.lookup_event(i) is not None for i in untouched)
    lines = ledger.figures(fake_graph, elapsed, sleep.waits, cancelled)
    lines.insert(1, f"  HTTP requests served by the fake: {len(fake_graph.requests)}")
    lines.append("  exit codes: " + ", ".join(f"{k} ×{v}" for k, v in sorted(codes.items())))
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert ledger.ops["cancel runs"] and sum(fake_graph.faults.injected.values()) > 0
