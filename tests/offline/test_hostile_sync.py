"""The app with its cache, synced through `calendarView/delta` from the fake Graph's hostile
answers: what is stored and shown again from the cache is inert and read as far as it goes,
and a round Graph cannot finish is reported with the cached rows kept."""

from __future__ import annotations

import pytest

from tests.app.helpers import offline, wait_for
from tests.offline.test_offline_app import cached_app, first_run, synced
from tui.fake import FakeGraph, Fault

RAW = ("\x1b", "\x07", "\x9b", "\x85", "\u202e", "\ud800")


async def test_a_hostile_sync_is_stored_and_shown_again_inert(fake_graph: FakeGraph) -> None:
    fake_graph.faults.add(Fault("hostile", method="GET", path="delta", items=2, times=None))
    async with cached_app(fake_graph).run_test(size=(140, 45)) as pilot:
        app = await synced(pilot)
        first = [(e.id, e.subject, e.unreadable) for e in app.main.table.all_events]
    assert sum(1 for _, _, odd in first if set(odd) == {"start", "end"}) == 2
    assert all("\ufffd" in subject for _, subject, _ in first)
    fake_graph.faults.clear()
    fake_graph.stop()  # the second start has the cache only
    async with cached_app(fake_graph).run_test(size=(140, 45)) as pilot:
        main = pilot.app.main  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: main.table.all_events and offline(pilot.app),
                       timeout=30)
        again = [(e.id, e.subject, e.unreadable) for e in main.table.all_events]
        assert sorted(again) == sorted(first)
        shown = pilot.app.export_screenshot()
        for char in RAW:
            assert char not in shown


@pytest.mark.parametrize(("kind", "words"), [
    ("self_link", "repeats one followed already"), ("not_a_list", "value is not a list"),
    ("deep", "not JSON"),
])
async def test_a_sync_round_graph_cannot_finish_is_reported(
    fake_graph: FakeGraph, kind: str, words: str,
) -> None:
    shown = await first_run(fake_graph)
    fake_graph.faults.add(Fault(kind, path="delta", times=None))  # type: ignore[arg-type]
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        main = pilot.app.main  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: main.status.kind == "error", timeout=30)
        assert words in main.status.message, main.status.message
        assert [e.id for e in main.table.all_events] == shown
