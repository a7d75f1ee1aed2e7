"""The rig of the fault suite: the real Graph client against the fake over loopback HTTP.

The client's sleep is replaced by one that records the wait and yields, so tests honour
Retry-After by checking what was asked for, not by waiting.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.graph import EventRef, GraphClient, WaitNotice


@dataclass
class Waits:
    """Stands in for asyncio.sleep: remembers every wait, sleeps for none."""

    seconds: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)
        await asyncio.sleep(0)


@dataclass
class Rig:
    fake: FakeGraph
    client: GraphClient
    waits: Waits
    notices: list[WaitNotice]

    def meetings(self, count: int, **kwargs: Any) -> list[EventRef]:
        return [EventRef(i) for i in add_meetings(self.fake.store, count, **kwargs)]

    def requests(self, method: str, suffix: str, *, in_batch: bool | None = False) -> int:
        return sum(
            1 for r in self.fake.requests
            if r.method == method and r.path.endswith(suffix)
            and (in_batch is None or r.in_batch == in_batch)
        )

    def cancels_of(self, event_id: str) -> int:
        return sum(1 for rec in self.fake.store.cancel_log if rec.event_id == event_id)


MakeRig = Callable[..., Rig]


