"""The fault suite: the real Graph client against the fake over loopback HTTP, with faults.

The client's sleep is replaced by one that records the wait and yields, so tests honour
Retry-After by checking what was asked for, not by waiting.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.graph import EventRef, GraphClient, RetryPolicy, WaitNotice


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


@pytest.fixture
async def make_rig(fake_graph: FakeGraph) -> AsyncIterator[MakeRig]:
    clients: list[GraphClient] = []

    def make(**policy: Any) -> Rig:
        waits = Waits()
        notices: list[WaitNotice] = []
        client = GraphClient(
            fake_graph.base_url, fake_graph.token,
            policy=RetryPolicy(sleep=waits, rng=random.Random(7), **policy),
            on_wait=notices.append,
        )
        clients.append(client)
        return Rig(fake_graph, client, waits, notices)

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def rig(make_rig: MakeRig) -> Rig:
    return make_rig()
