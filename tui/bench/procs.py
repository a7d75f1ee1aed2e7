"""Child processes for the benchmarks: the fake Graph server and measured runs."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Server:
    base_url: str
    token: str
    today: dt.date


@contextmanager
def fake_server(today: dt.date, *, events: int = 0, days: int = 365,
                latency_ms: float = 0.0, data: str = "demo",
                module: str = "tui.bench.serve") -> Iterator[Server]:
    """A bench fake Graph in a child process (run as `python -m module`, which serves as
    tui.bench.serve does), stopped when the block ends; `data` is the seed's data set
    (tui/fake/heavy.py)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", module, "--today", today.isoformat(),
         "--events", str(events), "--days", str(days), "--latency-ms", str(latency_ms),
         "--data", data],
        # Its stderr is dropped: a client that stops reading mid-page (as a cancelled
        # prefetch does) makes the stdlib server print a harmless broken-pipe traceback.
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the bench fake Graph did not start")
        info = json.loads(line)
        yield Server(info["base_url"], info["token"], today)
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_json(module: str, *args: str, timeout: float = 600) -> dict[str, Any]:
    """Run `python -m module args…` and read the JSON object it prints last."""
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True,
                          text=True, timeout=timeout, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{module} failed ({done.returncode}): " + " | ".join(tail))
    result: dict[str, Any] = json.loads(lines[-1])
    return result
