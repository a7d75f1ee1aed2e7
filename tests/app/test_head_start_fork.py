"""The head start's forked child: its page reaches the app's client, and a failure there
only means the page is asked for again the usual way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the head start forks on Linux and the BSDs")

# Run in a fresh interpreter: the app forks while it has one thread, as pytest's process may not.
SCRIPT = """
import asyncio, datetime as dt, json, sys
from tui.fake.child import start_child
from tui.graph import ME, CalendarRef, GraphClient
from tui.startup.headstart import HeadStart

fake = start_child(dt.date(2026, 11, 25))
start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
end = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
token = fake.token if sys.argv[1] == "good" else "not-the-token"
from tui.startup.forking import can_fork
assert can_fork()  # so the head start below takes the forked path
head = HeadStart(fake.base_url, token, timezone="UTC", calendar=CalendarRef(ME),
                 start=start, end=end)

async def main():
    async with GraphClient(fake.base_url, fake.token, timezone="UTC") as client:
        direct = [e.id async for page in client.calendar_view(CalendarRef(ME), start, end)
                  for e in page]
        early = head.pages(client, CalendarRef(ME), start, end)
        shown = [e.id async for page in early for e in page]
        again = head.pages(client, CalendarRef(ME), start, end)
    error = head._result.exception()
    return {"direct": direct, "shown": shown, "again": again is None,
            "error": type(error).__name__ if error else None}

print(json.dumps(asyncio.run(main())))
fake.stop()
"""


def _run(token: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, token], capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_the_forked_head_start_hands_its_page_to_the_app() -> None:
    result = _run("good")
    assert result["shown"] == result["direct"]
    assert result["direct"], "the demo window has events"
    assert result["again"]  # it serves one listing only
    assert result["error"] is None


def test_a_refused_head_start_is_asked_again_the_usual_way() -> None:
    result = _run("bad")  # the child's request gets a 401; the app's own client asks again
    assert result["error"] == "HeadStartFailed"
    assert result["shown"] == result["direct"]


HANGING = """
import datetime as dt, os, socket, sys, time
from tui.graph import ME, CalendarRef
from tui.startup.headstart import HeadStart

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(8)  # accepts, and never answers
base = f"http://127.0.0.1:{server.getsockname()[1]}/v1.0"
start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
HeadStart(base, "token", timezone="UTC", calendar=CalendarRef(ME), start=start,
          end=start + dt.timedelta(days=7))
print("started", flush=True)
time.sleep(60)
"""


def _with_marker(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if marker.encode() in cmdline.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def test_the_head_start_child_ends_when_the_app_is_killed() -> None:
    marker = f"cal365-head-start-test-{os.getpid()}"
    proc = subprocess.Popen([sys.executable, "-c", HANGING, marker], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
        assert len(_with_marker(marker)) == 2  # the app and its head-start child
        proc.send_signal(signal.SIGKILL)  # no clean-up runs: the child must notice alone
        proc.wait(10)
        deadline = time.monotonic() + 5
        while _with_marker(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _with_marker(marker) == []
    finally:
        if proc.poll() is None:
            proc.kill()
