"""Scenario 10: `cal365 events` for a big window, as a whole process, beside a plain client.

Both run as a user runs them, python start to exit, one after the other (alternating, so a
busy moment of the machine falls on both alike) against the same bench fake: cal365 through
its command line, the floor through tui/bench/floor_client.py (urllib and json only). Both
must print the same number of lines.
"""

from __future__ import annotations

import datetime as dt
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tui.bench.coldstart import _env as coldstart_env
from tui.bench.procs import Server

FLOOR = Path(__file__).with_name("floor_client.py")
TIMEZONE = "UTC"


@dataclass
class Figures:
    cal365: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    cal365_cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    lines: int = 0

    @property
    def ratios(self) -> list[float]:
        return [ours / theirs for ours, theirs in zip(self.cal365, self.floor, strict=True)]

    @property
    def cpu_ratios(self) -> list[float]:
        return [ours / theirs
                for ours, theirs in zip(self.cal365_cpu, self.floor_cpu, strict=True)]


def first_url(server: Server, days: int) -> str:
    """The first page's URL `cal365 events` asks for (through the Graph layer's own rules)."""
    from tui.graph import GraphClient
    from tui.graph.urls import ME, CalendarRef

    start = dt.datetime.combine(server.today, dt.time(), dt.UTC)
    client = GraphClient(server.base_url, server.token, timezone=TIMEZONE)
    return client.calendar_view_url(CalendarRef(ME), start, start + dt.timedelta(days=days))


def _env(server: Server, home: Path) -> dict[str, str]:
    """Both from compiled bytecode, as installed (see coldstart._env); pointed at the fake
    the way the script tests do, with a ready token."""
    env = {k: v for k, v in coldstart_env().items() if not k.startswith("CAL365_")}
    return {**env, "CAL365_ACCESS_TOKEN": server.token, "CAL365_GRAPH_URL": server.base_url,
            "CAL365_TIMEZONE": TIMEZONE, "CAL365_HOME": str(home), "CAL365_CACHE": "off"}


def _cpu() -> float:
    """CPU seconds (user and system) of the children waited for so far: the fake server is
    still running, so only the measured command's own are added by a run."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    """(wall seconds, CPU seconds, stdout) of one whole run of `command`."""
    cpu = _cpu()
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
    seconds = time.perf_counter() - began
    cpu = _cpu() - cpu
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{command[1:3]} failed ({done.returncode}): " + " | ".join(tail))
    return seconds, cpu, done.stdout


def measure(server: Server, days: int, repeats: int, home: Path) -> Figures:
    """Alternate `cal365 events` and the floor client `repeats` times each."""
    last = server.today + dt.timedelta(days=days - 1)
    ours = [sys.executable, "-m", "tui", "events", "--from", server.today.isoformat(),
            "--to", last.isoformat()]
    floor = [sys.executable, str(FLOOR), server.base_url, first_url(server, days), TIMEZONE]
    env = _env(server, home)
    figures = Figures()
    for command in (ours, floor):  # once each unmeasured: bytecode compiled, files cached
        _timed(command, env)
    for _ in range(repeats):
        seconds, cpu, out = _timed(ours, env)
        floor_seconds, floor_cpu, floor_out = _timed(floor, env)
        lines, floor_lines = out.count(b"\n"), floor_out.count(b"\n")
        if lines != floor_lines:
            raise RuntimeError(f"cal365 printed {lines} lines, the floor client {floor_lines}")
        figures.cal365.append(seconds)
        figures.floor.append(floor_seconds)
        figures.cal365_cpu.append(cpu)
        figures.floor_cpu.append(floor_cpu)
        figures.lines = lines
    return figures
