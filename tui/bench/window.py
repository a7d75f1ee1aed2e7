"""Scenario 2, one run: cal365 on a big window, headless at 120x40, in a process of its own.

`python -m tui.bench.window --base-url URL --token T --today D --days N --expect COUNT`
prints one JSON object: time to the first rows painted and to the whole window loaded
(seconds from the app's construction), the longest stall of the event loop while loading,
cursor-move and filter-keystroke latencies, and the process's peak memory.

A frame is counted when the main screen's compositor has rendered it and its terminal bytes
are produced (the headless driver throws them away, so they are produced here), which is the
work a real terminal session does.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import resource
import sys
import time
from typing import Any

from textual.screen import Screen

from tui.app import Cal365App
from tui.bench.stats import percentile
from tui.graph import GraphClient
from tui.messages import FeedChanged
from tui.screens.main import MainScreen
from tui.startup.textual_private import after_each_frame, produce_frame_bytes, send_key

MOVES = 200
FILTER_TEXT = "sprint"


class _Probe:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.start_cpu = time.process_time()
        self.loaded_cpu: float | None = None
        self.first_rows: float | None = None
        self.loaded: float | None = None
        self.frame = asyncio.Event()
        self.frames = 0
        self.max_stall = 0.0
        self.max_busy_stall = 0.0


def _instrument(probe: _Probe) -> None:
    """Hook the main screen's frame output and its "window loaded" handler."""
    loaded = MainScreen.on_feed_changed

    def frame_made(screen: Screen[Any]) -> None:
        assert isinstance(screen, MainScreen)
        probe.frames += 1
        probe.frame.set()
        if screen.table.all_events and probe.first_rows is None:
            probe.first_rows = time.perf_counter() - probe.start

    def on_feed_changed(screen: MainScreen, message: FeedChanged) -> None:
        loaded(screen, message)
        if message.update.final and probe.loaded is None:
            probe.loaded = time.perf_counter() - probe.start
            probe.loaded_cpu = time.process_time() - probe.start_cpu

    after_each_frame(MainScreen, frame_made)
    produce_frame_bytes(Cal365App)  # what a terminal session would write
    setattr(MainScreen, "on_feed_changed", on_feed_changed)  # noqa: B010


async def _heartbeat(probe: _Probe) -> None:
    """The longest the event loop went without running a 5 ms timer (its stall), and that
    stall counted in the CPU time this process used meanwhile: on a shared machine the
    other processes' turns on the CPU count in the first figure but not in the second."""
    period = 0.005
    while probe.loaded is None:
        before, cpu = time.perf_counter(), time.process_time()
        await asyncio.sleep(period)
        stall = time.perf_counter() - before - period
        probe.max_stall = max(probe.max_stall, stall)
        busy = min(stall, time.process_time() - cpu)
        probe.max_busy_stall = max(probe.max_busy_stall, busy)


async def _timed(probe: _Probe, action: Any) -> tuple[float, float]:
    """(wall, CPU) seconds from an input until the frame showing its effect is out."""
    probe.frame.clear()
    wall, cpu = time.perf_counter(), time.thread_time()
    action()
    await asyncio.wait_for(probe.frame.wait(), 5)
    return time.perf_counter() - wall, time.thread_time() - cpu


async def run(args: argparse.Namespace) -> dict[str, Any]:
    probe = _Probe()
    _instrument(probe)
    client = GraphClient(args.base_url, args.token, timezone="UTC")
    app = Cal365App(client, today=args.today, timezone="UTC", days=args.days)
    result: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        stall = asyncio.create_task(_heartbeat(probe))
        deadline = time.perf_counter() + args.timeout
        while probe.loaded is None and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        await stall
        table = app.main.table
        result["events"] = len(table.all_events)
        if probe.loaded is None or len(table.all_events) < args.expect:
            raise RuntimeError(f"window not loaded: {len(table.all_events)} of {args.expect}")
        await pilot.pause(0.1)
        def key(name: str) -> None:
            send_key(app, name)

        moves = []
        for _ in range(args.moves):
            moves.append(await _timed(probe, lambda: key("down")))
            await pilot.pause()
        result["move_wall"] = [w for w, _ in moves]
        result["move_cpu"] = [c for _, c in moves]
        set_filter = getattr(table, "set_filter", None)
        if callable(set_filter):
            keystrokes = []
            for end in range(1, len(FILTER_TEXT) + 1):
                text = FILTER_TEXT[:end]
                keystrokes.append(await _timed(probe, lambda t=text: set_filter(t)))
                await pilot.pause()
            result["filter_wall"] = [w for w, _ in keystrokes]
            result["filter_cpu"] = [c for _, c in keystrokes]
            result["filter_matches"] = len(getattr(table, "visible_events", ()))
            set_filter("")
    result.update(
        first_rows=probe.first_rows,
        loaded=probe.loaded,
        loaded_cpu=probe.loaded_cpu,
        max_stall=probe.max_stall,
        max_busy_stall=probe.max_busy_stall,
        peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    for name in ("move", "filter"):
        for kind in ("wall", "cpu"):
            values = result.get(f"{name}_{kind}")
            if values:
                result[f"{name}_{kind}_median"] = percentile(values, 50)
                result[f"{name}_{kind}_p99"] = percentile(values, 99)
                del result[f"{name}_{kind}"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench.window")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--expect", type=int, default=1)
    parser.add_argument("--moves", type=int, default=MOVES)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(run(args))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
