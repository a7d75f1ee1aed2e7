"""Fixtures of the fault suite (see rig.py)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.faults.rig import MakeRig, Rig, Waits
from tui.fake import FakeGraph
from tui.graph import GraphClient, RetryPolicy, WaitNotice


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
