"""Marking meetings and cancelling them in one go, through JSON batching."""

from __future__ import annotations

import json

from tests.app.helpers import loaded, make_app, mark, marked_count, result_rows, wait_for
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.screens.bulk import BulkCancelScreen, BulkResultsScreen


async def test_mark_and_bulk_cancel_sends_batches_once_each(fake_graph: FakeGraph) -> None:
    added = set(add_meetings(fake_graph.store, 100, raw_ids=True))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await wait_for(pilot, lambda: app.main.status.kind == "info")
        mine = [e for e in app.main.table.all_events if e.id in added]
        assert len(mine) == 100
        await mark(pilot, added)  # Space on each: the demo's own events share the window
        assert marked_count(app) == 100
        fake_graph.clear_requests()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        await pilot.press(*"Project stopped", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen), timeout=30)
        await wait_for(pilot, lambda: len(result_rows(app)) == 100)
        assert all(row.endswith("→ cancelled") for row in result_rows(app))
        batches = [r for r in fake_graph.requests if r.path.endswith("/$batch")]
        assert 5 <= len(batches) <= 6
        assert [r for r in fake_graph.requests if r.method == "POST" and not r.in_batch] == batches
        sub = [q for r in batches for q in json.loads(r.body)["requests"]]
        assert len(sub) == 100 and len({q["url"] for q in sub}) == 100
        assert all(q["body"] == {"Comment": "Project stopped"} for q in sub)
        assert {n.event_id for n in fake_graph.store.sent_cancellations} >= added
        assert marked_count(app) == 0
        assert not added & {e.id for e in app.main.table.all_events}
        await pilot.press("escape")


async def test_marks_space_a_u_and_others_left_out(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        table = app.main.table
        await pilot.press("space", "space")
        assert marked_count(app) == 2 and table.cursor == 2
        await pilot.press("space")
        await pilot.press("up", "space")
        assert marked_count(app) == 2
        await pilot.press("U")
        assert marked_count(app) == 0
        await pilot.press("A")
        assert marked_count(app) == len(table.all_events)
        others = [e for e in table.all_events if not e.is_organizer or e.is_cancelled]
        assert others
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        text = " ".join(str(w.render()) for w in app.screen.query(".bulk-heading"))
        assert f"Left out: {len(others)}" in text
        await pilot.press(*"later", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, BulkCancelScreen))
        assert app.main.drafts.get("bulk", "marked") == "later" and marked_count(app) > 0


async def test_r_on_the_results_retries_only_the_failed_ones_and_cancels_each_once(
    fake_graph: FakeGraph,
) -> None:
    from tests.app.helpers import ZONE
    from tests.conftest import DEMO_TODAY
    from tui.app import Cal365App
    from tui.fake.faults import Fault
    from tui.graph import GraphClient
    from tui.graph.policy import RetryPolicy

    added = add_meetings(fake_graph.store, 3)
    # No retries inside the bulk cancel: a refused item ends as failed at once.
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE,
                         policy=RetryPolicy(max_retries=0))
    async with Cal365App(client, today=DEMO_TODAY, timezone=ZONE).run_test(
        size=(120, 40)
    ) as pilot:
        app = await loaded(pilot)
        await wait_for(pilot, lambda: app.main.status.kind == "info"
                       and {e.id for e in app.main.table.all_events} >= set(added))
        await mark(pilot, added)
        unlucky = next(e for e in app.main.table.all_events if e.id == added[1])
        fault = Fault("unavailable", path=f"{unlucky.id}/cancel$", in_batch=True, times=None)
        fake_graph.faults.add(fault)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        await pilot.press(*"Stopped", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen), timeout=30)
        await wait_for(pilot, lambda: len(result_rows(app)) == 3)
        first = [row.split("→ ")[1] for row in result_rows(app)]
        # Every try of it answered 503: it never took effect.
        assert sorted(first)[:2] == ["cancelled", "cancelled"]
        assert sorted(first)[2].startswith("not cancelled: nothing reached the attendees: ")
        fake_graph.faults.clear()
        fake_graph.clear_requests()
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen)
                       and len(result_rows(app)) == 1, timeout=30)
        assert result_rows(app)[0].endswith("→ cancelled")
        sub = [q for r in fake_graph.requests if r.path.endswith("/$batch")
               for q in json.loads(r.body)["requests"]]
        assert [q["url"].lstrip("/") for q in sub] == [unlucky.ref.cancel_path.lstrip("/")]
        done = [r.event_id for r in fake_graph.store.cancel_log]
        assert sorted(done) == sorted(added) and len(done) == 3
        await pilot.press("escape")
        assert not isinstance(app.screen, BulkResultsScreen)
