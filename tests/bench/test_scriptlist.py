"""Scenario 10's two programs: cal365 events and the standard-library floor client send the
same requests and print the same lines (here byte for byte, on the bench's plain data)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from tui.bench import scriptlist
from tui.bench.procs import fake_server

TODAY = dt.date(2026, 11, 23)


def test_cal365_and_the_floor_client_print_the_same_lines(tmp_path: Path) -> None:
    days = 10
    with fake_server(TODAY, events=1_500, days=days, module="tui.bench.encodedgraph") as server:
        env = scriptlist._env(server, tmp_path)
        last = TODAY + dt.timedelta(days=days - 1)
        _, _, ours = scriptlist._timed(
            [sys.executable, "-m", "tui", "events", "--from", TODAY.isoformat(),
             "--to", last.isoformat()], env)
        _, _, floor = scriptlist._timed(
            [sys.executable, str(scriptlist.FLOOR), server.base_url,
             scriptlist.first_url(server, days), scriptlist.TIMEZONE], env)
        figures = scriptlist.measure(server, days, 1, tmp_path)
    assert ours.count(b"\n") > 1_000  # more than one page of 1000
    assert ours == floor
    assert figures.lines == ours.count(b"\n")
    assert len(figures.ratios) == len(figures.cpu_ratios) == 1
