"""Scenario 5: cancelling 100 meetings at 50 ms latency, the whole `cal365 cancel` command
against one request per meeting.

The command is run in this process as a user runs it (`cal365 cancel ID… --yes`): the
look-ups, who is signed in, the cancels, the audit log and the report; only the
interpreter's start is left out, as it is from the baseline. The baseline looks each
meeting up with a GET and cancels it with a POST, one request after the other. HTTP
requests are counted as the client sends them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

from tui.bench.procs import Server
from tui.graph import ME, CalendarRef, Event, EventRef, GraphClient

COUNT = 100
COMMENT = "Bench: cancelled"


async def organized(client: GraphClient, server: Server, count: int) -> list[Event]:
    start = dt.datetime.combine(server.today, dt.time(), dt.UTC)
    found: list[Event] = []
    async for page in client.calendar_view(CalendarRef(ME), start,
                                           start + dt.timedelta(days=365)):
        found.extend(e for e in page if e.is_organizer and not e.is_cancelled
                     and not e.is_recurring)
        if len(found) >= count:
            break
    return found[:count]


async def meeting_ids(server: Server, count: int = COUNT + 1) -> list[str]:
    """Meetings the user organizes, to cancel (found before anything is timed): COUNT
    and one for a warm-up."""
    async with GraphClient(server.base_url, server.token, timezone="UTC") as client:
        return [e.id for e in await organized(client, server, count)]


async def one_by_one(server: Server, ids: list[str]) -> tuple[float, int]:
    """(seconds, requests) to look up and cancel each meeting with a request of its own,
    one after the other."""
    async with GraphClient(server.base_url, server.token, timezone="UTC") as client:
        counter = Counter()
        counter.hook(client)
        refs = [EventRef(i) for i in ids]
        began = time.perf_counter()
        for ref in refs:
            await client.event(ref)
            await client.cancel_event(ref, COMMENT)
        return time.perf_counter() - began, counter.total


class Counter:
    """The HTTP requests a client sends, and how many of them are `$batch`es of GETs
    only (look-ups)."""

    def __init__(self) -> None:
        self.total = 0
        self.lookups = 0

    def hook(self, client: GraphClient) -> None:
        async def count(request: Any) -> None:
            self.total += 1
            if request.method == "POST" and request.url.path.endswith("/$batch"):
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    items = json.loads(request.content)["requests"]
                    if all(item.get("method") == "GET" for item in items):
                        self.lookups += 1

        client.transport.http.event_hooks["request"].append(count)


@contextlib.contextmanager
def _command_environment(server: Server, home: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in
             ("CAL365_HOME", "CAL365_ACCESS_TOKEN", "CAL365_GRAPH_URL", "CAL365_TIMEZONE")}
    os.environ.update({"CAL365_HOME": home, "CAL365_ACCESS_TOKEN": server.token,
                       "CAL365_TIMEZONE": "UTC"})
    os.environ.pop("CAL365_GRAPH_URL", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def whole_command(server: Server, ids: list[str], warm_up: str) -> tuple[float, Counter, int]:
    """(seconds, requests counted, exit code) of `cal365 cancel IDS --yes --json` in this
    process against `server`, after the same command has cancelled `warm_up` (so that its
    modules are imported before the clock starts, as the baseline's are)."""
    _command(server, [warm_up], Counter())
    counter = Counter()
    seconds, code = _command(server, ids, counter)
    return seconds, counter, code


def _command(server: Server, ids: list[str], counter: Counter) -> tuple[float, int]:
    import tui.script.common as common
    from tui.cli import main

    made: Callable[..., GraphClient] = common.graph_client

    def counted(*args: Any, **kwargs: Any) -> GraphClient:
        client = made(*args, **kwargs)
        counter.hook(client)
        return client

    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory(prefix="cal365-bench-") as home, \
            _command_environment(server, home):
        common.graph_client = counted
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                began = time.perf_counter()
                code = main(["cancel", *ids, "--comment", COMMENT, "--yes", "--json",
                             "--graph-url", server.base_url])
                seconds = time.perf_counter() - began
        finally:
            common.graph_client = made
    if code != 0:
        raise RuntimeError(f"cal365 cancel exited {code}: {err.getvalue().strip()[-300:]}")
    outcomes = {r["outcome"] for r in json.loads(out.getvalue())["results"]}
    if outcomes != {"cancelled"}:
        raise RuntimeError(f"cal365 cancel did not cancel every meeting: {outcomes}")
    return seconds, code
