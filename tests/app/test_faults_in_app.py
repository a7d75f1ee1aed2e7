"""What a user sees when Graph throttles, drops the line, or loses a cancel's answer."""

from __future__ import annotations

import json

import pytest

from tests.app.helpers import cancel_posts, loaded, make_app, select, wait_for
from tui.fake import FakeGraph
from tui.fake.faults import Fault
from tui.graph.policy import RetryPolicy
from tui.screens.cancel import CancelScreen
from tui.screens.main import MainScreen


async def test_throttling_is_shown_and_the_events_still_load(fake_graph: FakeGraph) -> None:
    fake_graph.faults.add(Fault("throttle", path="/calendarView$", times=1, retry_after="1"))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert any("throttling" in text for _, text in app.main.status.history)
        assert app.main.table.all_events


async def test_a_dead_network_recovers_by_itself(
    fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainScreen, "offline_retry", 0.3)
    fake_graph.faults.add(Fault("reset_before", path="/calendarView$", times=8))
    app = make_app(fake_graph)
    # Short backoff steps: the test is about the app recovering, not about waiting.
    app.client.policy = RetryPolicy(base_delay=0.01, max_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert any("Retrying in" in text for _, text in app.main.status.history)
        assert app.main.table.all_events


async def _send(pilot, fake: FakeGraph, fault: Fault) -> None:  # type: ignore[no-untyped-def]
    app = await loaded(pilot)
    await select(pilot, lambda e: e.is_organizer and not e.is_cancelled and bool(e.attendees))
    fake.faults.add(fault)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
    await pilot.press(*"see you later", "ctrl+s")
    await wait_for(pilot, lambda: app.main.status.kind in ("success", "error"))


async def test_a_cancel_whose_answer_was_lost_is_checked_not_resent(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        await _send(pilot, fake_graph, Fault("reset_after", method="POST", path="/cancel$"))
        app = pilot.app
        assert app.main.status.kind == "success"  # type: ignore[attr-defined]
        posts = cancel_posts(fake_graph)
        assert len(posts) == 1 and json.loads(posts[0].body) == {"Comment": "see you later"}
        assert len(fake_graph.store.sent_cancellations) == 1


async def test_a_cancel_that_never_arrived_says_so_and_keeps_the_comment(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        await _send(pilot, fake_graph, Fault("reset_before", method="POST", path="/cancel$"))
        main = pilot.app.main  # type: ignore[attr-defined]
        assert main.status.kind == "error" and "Not cancelled" in main.status.message
        assert "see you later" in [text for _, _, text in main.drafts]
        assert fake_graph.store.sent_cancellations == []
