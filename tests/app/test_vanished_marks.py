"""Marks follow the calendar: an event that goes away in a sync or a reload loses its mark
(and the status line says so), the other marks stay, the bulk cancel counts only those
left, and no comment typed for the one that went is dropped with its mark."""

from __future__ import annotations

import datetime as dt

from tests.app.helpers import (
    loaded,
    make_app,
    mark,
    marked_count,
    marked_rows,
    syncing,
    wait_for,
)
from tests.offline.test_offline_app import cached_app, synced
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.screens.bulk import BulkCancelScreen


async def test_a_sync_unmarks_what_went_away_and_says_so(fake_graph: FakeGraph) -> None:
    added = [id for subject in ("Deleted", "Moving", "Kept", "Also kept")
             for id in add_meetings(fake_graph.store, 1, subject=subject)]
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        await wait_for(pilot, lambda: {e.id for e in main.table.all_events} >= set(added))
        deleted, moved, kept, _ = added
        await mark(pilot, added)
        main.drafts.put("me", moved, "about the one that moves")
        main.drafts.put("bulk", "marked", "the bulk comment")
        fake_graph.remove_event(deleted)
        fake_graph.change_event(moved, subject="Moved away",
                                start=dt.datetime(2030, 1, 7, 9, tzinfo=dt.UTC))
        fake_graph.change_event(kept, subject="Renamed elsewhere")
        await pilot.press("r")
        await wait_for(pilot, lambda: "went away" in main.status.message)
        assert "2 marked events went away in the sync; 2 still marked." in main.status.message
        assert marked_count(app) == 2
        # Dropping a mark drops no comment: the moved event's draft and the bulk one stay.
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        assert main.drafts.get("me", moved) == "about the one that moves"
        assert main.drafts.get("bulk", "marked") == "the bulk comment"
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        dialog = app.screen
        assert str(dialog.query_one("#cancel-title").render()) == "Cancel 2 marked meetings"
        # The marks hold the events as Graph now has them.
        rows = sorted(str(row.render()).split(maxsplit=4)[-1]
                      for row in dialog.query(".bulk-row"))
        assert rows == ["Also kept 1", "Renamed elsewhere"], rows
        await pilot.press("escape")


async def test_a_sync_that_takes_no_marked_event_says_nothing_of_marks(
    fake_graph: FakeGraph,
) -> None:
    added = [id for subject in ("Marked", "Removed")
             for id in add_meetings(fake_graph.store, 1, subject=subject)]
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        await wait_for(pilot, lambda: {e.id for e in main.table.all_events} >= set(added))
        await mark(pilot, added[:1])
        fake_graph.remove_event(added[1])
        await pilot.press("r")
        await wait_for(pilot, lambda: added[1] not in {e.id for e in main.table.all_events}
                       and not syncing(app) and main.status.kind == "info"
                       and "removed" in main.status.message)
        assert "marked" not in main.status.message
        [row] = await marked_rows(pilot)
        assert row.endswith(" Marked 1"), row


async def test_without_a_cache_a_reload_unmarks_what_went_away(fake_graph: FakeGraph) -> None:
    added = add_meetings(fake_graph.store, 3)
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        await wait_for(pilot, lambda: {e.id for e in main.table.all_events} >= set(added))
        await mark(pilot, added)
        fake_graph.remove_event(added[0])
        await pilot.press("r")
        await wait_for(pilot, lambda: "went away" in main.status.message)
        assert "1 marked event went away on reload; 2 still marked." in main.status.message
        assert marked_count(app) == 2
        # Marks on another window are not this reload's business: moving on keeps them.
        await pilot.press("]")
        await wait_for(pilot, lambda: main.status.kind == "info"
                       and added[1] not in {e.id for e in main.table.all_events})
        assert marked_count(app) == 2


async def test_marks_gone_while_the_bulk_dialog_is_open_are_not_sent(
    fake_graph: FakeGraph,
) -> None:
    added = add_meetings(fake_graph.store, 1)
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await synced(pilot)
        main = app.main
        await wait_for(pilot, lambda: added[0] in {e.id for e in main.table.all_events})
        await mark(pilot, added)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        fake_graph.remove_event(added[0])
        main.sync_now()  # the timer's sync, while the dialog is up
        await wait_for(pilot, lambda: marked_count(app) == 0)
        fake_graph.clear_requests()
        await pilot.press(*"sorry", "ctrl+s")
        await wait_for(pilot, lambda: "Nothing to send" in main.status.message)
        assert "went away" in main.status.message
        assert not [r for r in fake_graph.requests if r.method == "POST"]
        assert main.drafts.get("bulk", "marked") == "sorry"
