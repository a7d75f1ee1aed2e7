"""A comment draft lives until its event's cancel goes through, by whatever route, and no
longer: a single cancel, a bulk cancel, the whole series, or Graph showing it gone."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

from tests.app.helpers import ZONE, loaded, make_app, marked_count, result_rows, select, wait_for
from tests.conftest import DEMO_TODAY
from tests.offline.test_offline_app import cached_app, synced
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.fake.faults import Fault
from tui.fake.seed import ATTENDED_TODAY, JONAS_UPN
from tui.graph import Event, GraphClient
from tui.graph.policy import RetryPolicy
from tui.screens.bulk import BulkCancelScreen, BulkResultsScreen
from tui.screens.cancel import CancelScreen


def _own(e: Event) -> bool:
    return e.is_organizer and not e.is_cancelled and bool(e.attendees) and not e.series_master_id


async def _failed_single_cancel(pilot, fake: FakeGraph, event: Event, text: str) -> None:  # type: ignore[no-untyped-def]
    """Send a cancel for the selected `event` that never reaches Graph: its draft stays."""
    main = pilot.app.main
    fake.faults.add(Fault("reset_before", method="POST", path="/cancel$"))
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CancelScreen))
    await pilot.press(*text, "ctrl+s")
    await wait_for(pilot, lambda: main.status.kind == "error" and not main.sending)
    assert main.drafts.get(event.ref.mailbox.key, event.id) == text


async def test_a_bulk_cancel_clears_the_single_cancel_draft_of_what_it_cancelled(
    fake_graph: FakeGraph,
) -> None:
    added = add_meetings(fake_graph.store, 2)
    # No retries: a failing cancel, single or in a batch, ends as failed at once.
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE,
                         policy=RetryPolicy(max_retries=0))
    async with Cal365App(client, today=DEMO_TODAY, timezone=ZONE).run_test(
        size=(120, 40)
    ) as pilot:
        app = await loaded(pilot)
        main = app.main
        await wait_for(pilot, lambda: {e.id for e in main.table.all_events} >= set(added))
        first = await select(pilot, lambda e: e.id == added[0])
        await _failed_single_cancel(pilot, fake_graph, first, "moved to Friday")
        second = await select(pilot, lambda e: e.id == added[1])
        await _failed_single_cancel(pilot, fake_graph, second, "ask Jonas first")
        # Both marked; the second one's cancel inside the batch fails.
        await select(pilot, lambda e: e.id == added[0])
        await pilot.press("space")
        await select(pilot, lambda e: e.id == added[1])
        await pilot.press("space")
        assert marked_count(app) == 2
        fake_graph.faults.add(Fault("unavailable", path=f"{second.id}/cancel$", in_batch=True,
                                    times=None))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        await pilot.press(*"project stopped", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen), timeout=30)
        await wait_for(pilot, lambda: len(result_rows(app)) == 2)
        said = {row.split("  → ")[0].split(maxsplit=4)[-1]: row.split("  → ")[1]
                for row in result_rows(app)}
        assert said[first.subject] == "cancelled"
        assert said[second.subject].startswith("not cancelled: nothing reached the attendees")
        assert main.drafts.get(first.ref.mailbox.key, first.id) is None
        assert main.drafts.get(second.ref.mailbox.key, second.id) == "ask Jonas first"
        await pilot.press("escape")


async def test_cancelling_a_series_clears_the_drafts_of_its_occurrences(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        events = main.table.all_events
        master = next(
            m for m in {e.series_master_id for e in events if e.is_organizer and e.attendees}
            if m and sum(e.series_master_id == m for e in events) >= 2
        )
        first, later = [e for e in events if e.series_master_id == master][:2]
        main.drafts.put(later.ref.mailbox.key, later.id, "typed for the later one")
        await select(pilot, lambda e: e.id == first.id)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"series over")
        await pilot.press("ctrl+o")  # the whole series
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: main.status.kind in ("success", "error"))
        assert "whole series" in main.status.message, main.status.message
        assert list(main.drafts) == []


async def test_a_sync_drops_drafts_of_events_gone_but_not_of_events_moved_away(
    fake_graph: FakeGraph,
) -> None:
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        deleted, moved, cancelled_there = [e for e in main.table.all_events if _own(e)][:3]
        for event in (deleted, moved, cancelled_there):
            main.drafts.put(event.ref.mailbox.key, event.id, f"about {event.subject}")
        fake_graph.remove_event(deleted.id)
        fake_graph.change_event(moved.id, start=dt.datetime(2030, 1, 7, 9, tzinfo=dt.UTC))
        ev = fake_graph.store.lookup_event(cancelled_there.id)
        assert ev is not None
        fake_graph.store.cancel(ev, None)  # the organizer cancelled it in Outlook
        await pilot.press("r")
        await wait_for(pilot, lambda: main.drafts.get("me", deleted.id) is None
                       and main.drafts.get("me", cancelled_there.id) is None)
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        assert main.drafts.get("me", moved.id) == f"about {moved.subject}"
        assert moved.id not in {e.id for e in main.table.all_events}


async def test_without_a_cache_a_reload_drops_the_draft_of_a_deleted_event_only(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        deleted, kept = [e for e in main.table.all_events if _own(e)][:2]
        for event in (deleted, kept):
            main.drafts.put("me", event.id, f"about {event.subject}")
        fake_graph.remove_event(deleted.id)
        await pilot.press("r")
        await wait_for(pilot, lambda: main.drafts.get("me", deleted.id) is None)
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        assert main.drafts.get("me", kept.id) == f"about {kept.subject}"
        # Moving to another window is no reload: its drafts are not looked up one by one.
        fake_graph.clear_requests()
        await pilot.press("]")
        await wait_for(pilot, lambda: main.status.kind == "info"
                       and kept.id not in {e.id for e in main.table.all_events})
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        assert not [r for r in fake_graph.requests if r.method == "GET"
                    and unquote(r.path).endswith(kept.id)]
        assert main.drafts.get("me", kept.id) == f"about {kept.subject}"


async def test_a_copy_whose_meeting_its_organizer_cancelled_loses_its_draft_when_listed(
    fake_graph: FakeGraph,
) -> None:
    """The meeting is called off by its organizer (here, in their own copy): the attendee's
    copy then reads as cancelled, and the comment typed to cancel it is done with. (The app
    soak met this when it cancelled the user's own meeting, whose copy in a colleague's
    shared calendar held a refused cancel's comment.)"""
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        copy = next(e for e in main.table.all_events if e.subject == ATTENDED_TODAY)
        other = next(e for e in main.table.all_events if _own(e))
        for event in (copy, other):
            main.drafts.put("me", event.id, f"about {event.subject}")
        [theirs] = fake_graph.store.find_events(lambda j: j["subject"] == ATTENDED_TODAY,
                                                user=JONAS_UPN)
        organizers = fake_graph.store.lookup_event(theirs["id"])
        assert organizers is not None and organizers.id != copy.id
        fake_graph.store.cancel(organizers, None)
        await pilot.press("r")
        await wait_for(pilot, lambda: main.drafts.get("me", copy.id) is None)
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        assert main.drafts.get("me", other.id) == f"about {other.subject}"
        assert next(e for e in main.table.all_events if e.id == copy.id).is_cancelled
