"""Requests that wait together for the HTTP stack's first import: one given up must not
take the others with it (the panes' first loads were lost when a series load was)."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future

import pytest

from tests.conftest import DEMO_TODAY
from tui.fake import FakeGraph
from tui.graph import GraphClient, threads


async def test_a_cancelled_request_leaves_the_others_waiting_on_the_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    imported: Future[None] = Future()
    monkeypatch.setattr(threads, "http_modules_soon", lambda: imported)
    with FakeGraph(today=DEMO_TODAY) as fake:
        client = GraphClient(fake.base_url, fake.token, timezone="UTC")
        try:
            given_up = asyncio.create_task(client.me())
            wanted = asyncio.create_task(client.me())
            await asyncio.sleep(0.05)  # both wait on the import now
            given_up.cancel()
            await asyncio.sleep(0.05)
            assert not imported.cancelled()
            imported.set_result(None)
            user = await asyncio.wait_for(wanted, 10)
            assert user.display_name
            assert given_up.cancelled()
        finally:
            await client.aclose()
