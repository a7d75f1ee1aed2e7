"""The head start's forked child: its page reaches the app's client, and a failure there
only means the page is asked for again the usual way."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the head start forks on Linux and the BSDs")

# Run in a fresh interpreter: the app forks while it has one thread, as pytest's process may not.
SCRIPT = """
import asyncio, datetime as dt, json, sys
from tui.fake.child import start_child
from tui.graph import ME, CalendarRef, GraphClient
from tui.headstart import HeadStart

fake = start_child(dt.date(2026, 11, 25))
start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
end = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
token = fake.token if sys.argv[1] == "good" else "not-the-token"
from tui.forking import can_fork
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
