"""Seal a warm-start frame into a benchmark cache, as a user's last session would have.

A session ends with q, which seals the screen it shows (tui/startup/sealed_frame.py). The
demo syncs with its fake Graph at start, which would replace the benchmark's big window with
the demo's few events; so this session runs offline instead (its Graph address refuses
connections), shows the cached window, and quits. Run in a process of its own:
`python -m tui.bench.prime CAL365_HOME COLUMNS LINES`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import sys

from tui.app import Cal365App
from tui.graph.client import GraphClient
from tui.paths import base_dir, demo_files
from tui.startup.opening import StartedOpen, frame_fit
from tui.sync import DEMO_OWNER
from tui.wiring import demo_settings, opener

ZONE = "UTC"
DAYS = 14


def _refused_url() -> str:
    """A loopback address nobody listens on: every request fails at once, as offline."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1.0"


async def _session(columns: int, lines: int) -> bool:
    today = dt.datetime.now(dt.UTC).date()
    with demo_files():
        directory = base_dir("cache")
    settings = demo_settings("plaintext", "0")
    cache = StartedOpen(opener(settings, lambda: DEMO_OWNER, quiet=True, directory=directory))
    client = GraphClient(_refused_url(), "offline", timezone=ZONE)
    with demo_files(True):
        app = Cal365App(client, today=today, timezone=ZONE, days=DAYS, cache=cache)
        async with app.run_test(size=(columns, lines)) as pilot:
            main = app.main
            for _ in range(600):  # the cached rows and the offline verdict, within 30 s
                await pilot.pause(0.05)
                if main.table.all_events and main.feed.offline and not main.feed.reading:
                    break
            else:
                return False
            await pilot.press("q")
    store = cache()
    sealed = store is not None and store.frame(frame_fit(columns, lines, today, ZONE, DAYS))
    return bool(sealed)


def main() -> int:
    os.environ["CAL365_HOME"] = sys.argv[1]
    columns, lines = int(sys.argv[2]), int(sys.argv[3])
    ok = asyncio.run(_session(columns, lines))
    if not ok:
        print("no frame was sealed", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
