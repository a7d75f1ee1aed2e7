"""Scenario 11: declining 100 marked invitations at 50 ms latency through the action layer
(`BulkRun` with a decline: `$batch`es, audited) against one reply request per invitation.

Both sides start from events already listed (as the app's marks are), so neither looks
anything up; the baseline sends `POST …/decline` for each, one after the other. HTTP
requests are counted as the client sends them; "requests carrying replies" are the ones
with at least one decline in them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from tui.bench.procs import Server
from tui.graph import ME, CalendarRef, Event, GraphClient

COUNT = 100
COMMENT = "Bench: away that week"


async def invitations(server: Server, count: int = COUNT) -> list[Event]:
    """Invitations the user can decline (found before anything is timed)."""
    start = dt.datetime.combine(server.today, dt.time(), dt.UTC)
    found: list[Event] = []
    async with GraphClient(server.base_url, server.token, timezone="UTC") as client:
        async for page in client.calendar_view(CalendarRef(ME), start,
                                               start + dt.timedelta(days=365)):
            found.extend(e for e in page if not e.is_organizer and not e.is_cancelled
                         and not e.is_recurring and e.response_requested
                         and e.my_response != "declined")
            if len(found) >= count:
                break
    if len(found) < count:
        raise RuntimeError(f"only {len(found)} invitations to decline in the bench data")
    return found[:count]


class Counter:
    """The HTTP requests a client sends, and how many carry a reply (alone or batched)."""

    def __init__(self) -> None:
        self.total = 0
        self.replies = 0

    def hook(self, client: GraphClient) -> None:
        async def count(request: Any) -> None:
            self.total += 1
            path = request.url.path
            if request.method != "POST":
                return
            if path.endswith("/decline"):
                self.replies += 1
            elif path.endswith("/$batch"):
                with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
                    items = json.loads(request.content)["requests"]
                    if any(str(item["url"]).endswith("/decline") for item in items):
                        self.replies += 1

        client.transport.http.event_hooks["request"].append(count)


@contextlib.contextmanager
def _audit_home() -> Iterator[None]:
    """A throwaway state folder: the bulk run audits every decline."""
    saved = os.environ.get("CAL365_HOME")
    with tempfile.TemporaryDirectory(prefix="cal365-bench-") as home:
        os.environ["CAL365_HOME"] = home
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop("CAL365_HOME", None)
            else:
                os.environ["CAL365_HOME"] = saved


async def via_actions(server: Server, events: list[Event]) -> tuple[float, Counter, int]:
    """(seconds, requests counted, invitations declined) through `BulkRun`."""
    from tui.actions.cancel import BulkAction, BulkRun

    counter = Counter()
    with _audit_home():
        async with GraphClient(server.base_url, server.token, timezone="UTC") as client:
            counter.hook(client)
            began = time.perf_counter()
            run = BulkRun(client, events, COMMENT, action=BulkAction.reply("decline"),
                          check_first=False, account=None, source="cli")
            if (blocked := await run.blocked()) is not None:
                raise RuntimeError(blocked)
            done = sum([1 async for a in run.answers() if a.kind == "done"])
            return time.perf_counter() - began, counter, done


async def one_by_one(server: Server, events: list[Event]) -> tuple[float, Counter]:
    """(seconds, requests counted) to decline each invitation with a request of its own,
    one after the other."""
    counter = Counter()
    async with GraphClient(server.base_url, server.token, timezone="UTC") as client:
        counter.hook(client)
        began = time.perf_counter()
        for event in events:
            await client.reply(event.ref, "decline", COMMENT)
        return time.perf_counter() - began, counter
