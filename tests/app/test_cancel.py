"""Cancelling from the app: own meetings go, others' are refused, comments are never lost."""

from __future__ import annotations

import io
import json

from rich.console import Console
from textual.widgets import TextArea

from tests.app.helpers import (
    ORGANIZER_MESSAGE,
    cancel_posts,
    loaded,
    make_app,
    refuse_cancels,
    select,
    wait_for,
)
from tui.fake import FakeGraph
from tui.screens.cancel import CancelScreen


async def test_cancelling_your_own_meeting_removes_it_and_posts_the_comment(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(
            pilot, lambda e: e.is_organizer and not e.is_cancelled and len(e.attendees) > 0
        )
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        summary = str(app.screen.query_one("#cancel-summary").render())
        assert f"{len(event.notified_attendees)} attendee" in summary
        await pilot.press(*"Sorry, moved to Friday")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        assert event.id not in [e.id for e in app.main.table.all_events]
        assert "Cancelled" in app.main.status.message
        posts = cancel_posts(fake_graph)
        assert len(posts) == 1
        assert json.loads(posts[0].body) == {"Comment": "Sorry, moved to Friday"}
        assert posts[0].status == 202
        assert app.main.drafts.get(event.ref.mailbox.key, event.id) is None


async def test_a_cancel_graph_refuses_shows_its_words_and_keeps_the_comment(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled)
        count = len(app.main.table.all_events)
        refuse_cancels(fake_graph)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"Can we skip this one?")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "error")
        status = app.main.status
        assert ORGANIZER_MESSAGE in status.message and "Not cancelled" in status.message
        assert status.has_class("-error")
        assert len(app.main.table.all_events) == count
        assert app.main.table.current == event
        posts = cancel_posts(fake_graph)
        assert len(posts) == 1 and posts[0].status == 400
        # Reopening the dialog brings the comment back.
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        assert app.screen.query_one(TextArea).text == "Can we skip this one?"


async def test_escape_sends_nothing_and_keeps_the_draft(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"draft text", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, CancelScreen))
        await pilot.pause(0.2)
        assert cancel_posts(fake_graph) == []
        assert app.main.drafts.get(event.ref.mailbox.key, event.id) == "draft text"
        assert event.id in [e.id for e in app.main.table.all_events]


async def test_pressing_send_twice_sends_once(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.is_organizer and not e.is_cancelled)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press("ctrl+s", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        await pilot.pause(0.2)
        assert len(cancel_posts(fake_graph)) == 1


async def test_cancelling_an_occurrence_says_so_and_cancels_only_it(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(
            pilot, lambda e: e.is_organizer and e.is_occurrence and not e.is_cancelled
        )
        siblings = [
            e.id
            for e in app.main.table.all_events
            if e.series_master_id == event.series_master_id and e.id != event.id
        ]
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        assert "This occurrence only" in str(app.screen.query_one("#cancel-summary").render())
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        remaining = [e.id for e in app.main.table.all_events]
        assert event.id not in remaining
        assert all(s in remaining for s in siblings)
        (post,) = cancel_posts(fake_graph)
        assert json.loads(post.body or b"{}") == {}


async def test_cancelling_the_whole_series_of_an_occurrence(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(
            pilot, lambda e: e.is_organizer and e.is_occurrence and not e.is_cancelled
        )
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press("ctrl+o")
        assert "whole recurring series" in str(app.screen.query_one("#cancel-summary").render())
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        assert "whole series" in app.main.status.message
        assert not [
            e for e in app.main.table.all_events if e.series_master_id == event.series_master_id
        ]
        (post,) = cancel_posts(fake_graph)
        assert event.series_master_id is not None
        assert post.path.split("/events/")[1] == f"{event.series_master_id}/cancel"


async def test_a_draft_survives_quitting_and_every_cancel_is_audited(
    fake_graph: FakeGraph,
) -> None:
    from tui.actions import audit

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        mine = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"half-written note", "escape")
    # A new start (after a crash as much as after q) finds the comment again.
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert await select(pilot, lambda e: e.id == mine.id) == mine
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        assert app.screen.query_one(TextArea).text == "half-written note"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        theirs = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled
                              and e.id != mine.id)
        refuse_cancels(fake_graph)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "error")
    entries = audit.read().entries
    assert [(e.event_id, e.outcome) for e in entries] == [
        (mine.id, "cancelled"),
        (theirs.id, "not-organizer"),
    ]
    assert entries[0].comment == "half-written note" and entries[0].source == "tui"
    assert entries[0].request_id and entries[1].error == ORGANIZER_MESSAGE
    assert fake_graph.token not in audit.audit_path().read_text()


async def test_the_audit_log_is_viewable_in_the_app(fake_graph: FakeGraph) -> None:
    from tui.screens.audit_view import AuditScreen

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"audited", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        body = app.screen.query_one("#audit-table")
        await wait_for(pilot, lambda: "Reading" not in str(body.render()))
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(body.content)  # type: ignore[attr-defined]
        text = console.export_text()
        assert "cancelled" in text and "audited" in text and event.subject[:10] in text
        await pilot.press("escape")
        assert not isinstance(app.screen, AuditScreen)


async def test_c_on_a_copy_its_organizer_cancelled_offers_only_its_removal(
    fake_graph: FakeGraph,
) -> None:
    from tui.screens.confirm import ConfirmScreen

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: e.is_cancelled and not e.is_organizer)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        text = str(app.screen.query_one("#confirm-text").render())
        assert text.startswith("Remove “") and "tells nobody" in text
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert app.main.status.message.startswith("Not deleted: “")
        assert cancel_posts(fake_graph) == []
        assert not [r for r in fake_graph.requests if r.method == "DELETE"]
        assert event.id in [e.id for e in app.main.table.all_events]
