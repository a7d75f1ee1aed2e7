"""Answering invitations from the events pane: the response marks, a / T / D and their
dialog, the cancel key by role, Del, and bulk replies (alone and split with cancels)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from rich.console import Console
from textual.widgets import Static, TextArea

from tests.app.helpers import (
    cancel_posts,
    loaded,
    make_app,
    mark,
    result_rows,
    select,
    wait_for,
)
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.fake.seed import ATTENDED_TODAY, CANCELLED_COPY
from tui.graph import Event
from tui.screens.bulk import BulkCancelScreen, BulkResultsScreen
from tui.screens.bulk_reply import BulkReplyScreen
from tui.screens.cancel import CancelScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.screens.reply import ReplyScreen


def shown_rows(app: Cal365App) -> list[str]:
    """The events pane's lines as drawn on the screen now (the header first)."""
    table = app.main.table
    return ["".join(s.text for s in table.render_line(y)) for y in range(table.size.height)]


def row_of(app: Cal365App, subject: str) -> str:
    return next(row for row in shown_rows(app) if subject in row)


def posts_to(fake: FakeGraph, action: str) -> list[dict[str, object]]:
    """The bodies of every `action` request Graph got, alone or inside a batch."""
    bodies: list[dict[str, object]] = []
    for request in fake.requests:
        if request.method == "POST" and request.path.endswith(f"/{action}"):
            bodies.append(json.loads(request.body) if request.body else {})
    return bodies


def invitation(event: Event) -> bool:
    return not event.is_organizer and not event.is_cancelled


def unanswered(event: Event) -> bool:
    return invitation(event) and event.my_response in ("notResponded", "none")


async def test_each_row_shows_the_users_response_and_help_explains_the_marks(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert "◉" in row_of(app, ATTENDED_TODAY)  # accepted
        assert "◐" in row_of(app, "Обзор квартального плана")  # tentative
        assert "●" in row_of(app, "Budget")  # organized
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-body", Static).content)
        help_text = console.export_text()
        for line in ("invited; you accepted", "invited; you accepted tentatively",
                     "invited; you declined", "not answered"):
            assert line in help_text


async def test_a_accepts_with_a_comment_and_the_row_shows_it(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("3")  # the week: it holds unanswered invitations
        await wait_for(pilot, lambda: any(unanswered(e) for e in app.main.table.all_events))
        event = await select(pilot, unanswered)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        assert "Accept invitation" in str(app.screen.query_one("#cancel-title").render())
        await pilot.press(*"Happy to join", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        assert app.main.status.message.startswith("Accepted “")
        assert posts_to(fake_graph, "accept") == [{"comment": "Happy to join",
                                                   "sendResponse": True}]
        assert "◉" in row_of(app, event.subject[:20])
        assert cancel_posts(fake_graph) == []


async def test_a_on_a_meeting_one_organizes_says_so_and_sends_nothing(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.is_organizer and not e.is_cancelled)
        await pilot.press("a")
        await wait_for(pilot, lambda: "there is no invitation to answer" in
                       app.main.status.message)
        assert not isinstance(app.screen, ReplyScreen)
        assert posts_to(fake_graph, "accept") == []


async def test_T_proposes_a_new_time_and_a_bad_one_keeps_the_dialog_open(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: invitation(e) and e.allow_new_time_proposals
                     and e.response_requested and not e.is_occurrence)
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        dialog = app.screen
        await pilot.press(*"Clash with a review", "shift+tab")  # to the new time line
        await pilot.press(*"17:00-16:00", "ctrl+s")
        await wait_for(pilot, lambda: "ends before it starts" in (dialog.problem or ""))
        assert app.screen is dialog and posts_to(fake_graph, "tentativelyAccept") == []
        for _ in range(11):
            await pilot.press("backspace")
        await pilot.press(*"17:00-18:00", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        [body] = posts_to(fake_graph, "tentativelyAccept")
        assert body["comment"] == "Clash with a review"
        proposed = body["proposedNewTime"]
        assert isinstance(proposed, dict)
        assert proposed["start"]["dateTime"].startswith(  # type: ignore[index]
            ("2026-11-23T16:00", "2026-11-23T17:00"))  # Berlin 17:00 in UTC, or as sent


async def test_c_on_an_invitation_offers_a_decline_and_esc_keeps_the_comment(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.subject == ATTENDED_TODAY)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        assert "Decline invitation" in str(app.screen.query_one("#cancel-title").render())
        assert "cannot be cancelled" in str(app.screen.query_one("#reply-note").render())
        await pilot.press(*"Out that day", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ReplyScreen))
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        assert app.screen.query_one("#cancel-comment").text == "Out that day"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        assert posts_to(fake_graph, "decline") == [{"comment": "Out that day",
                                                    "sendResponse": True}]
        assert cancel_posts(fake_graph) == []


async def test_a_comment_without_a_response_is_refused_before_sending(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: invitation(e) and e.response_requested)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        await pilot.press(*"No thanks", "ctrl+r", "ctrl+s")
        await wait_for(pilot, lambda: "goes only with a response" in (
            getattr(app.screen, "problem", None) or ""))
        assert isinstance(app.screen, ReplyScreen) and posts_to(fake_graph, "decline") == []
        for _ in range(9):
            await pilot.press("backspace")
        await pilot.press("ctrl+s")  # no response, no comment: Outlook's "don't send"
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        assert posts_to(fake_graph, "decline") == [{"sendResponse": False}]
        assert "no response sent" in app.main.status.message


async def test_del_removes_a_cancelled_copy_after_a_yes_and_refuses_a_meeting(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.is_organizer and bool(e.attendees)
                     and not e.is_cancelled)
        await pilot.press("delete")
        await wait_for(pilot, lambda: "c cancels it with a message" in app.main.status.message)
        assert not isinstance(app.screen, ConfirmScreen)
        event = await select(pilot, lambda e: e.subject == CANCELLED_COPY)
        await pilot.press("c")  # c by role: removing it is all that is left to do
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Not deleted" in app.main.status.message)
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        deletes = [r for r in fake_graph.requests if r.method == "DELETE"]
        assert len(deletes) == 1 and event.id in deletes[0].path
        assert event.id not in {e.id for e in app.main.table.all_events}


async def test_c_on_an_appointment_without_attendees_deletes_it_after_a_yes(
        fake_graph: FakeGraph) -> None:
    from zoneinfo import ZoneInfo

    from tests.conftest import DEMO_TODAY

    start = dt.datetime.combine(DEMO_TODAY, dt.time(7, 0), ZoneInfo("Europe/Berlin"))
    added = fake_graph.add_event("Dentist", start, start + dt.timedelta(hours=1))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.id == added)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Delete appointment" in str(app.screen.query_one("#confirm-title").render())
        assert "nobody is told" in str(app.screen.query_one("#confirm-text").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        assert app.main.status.message.startswith("Deleted “Dentist”")
        assert [r.method for r in fake_graph.requests if added in r.path
                and r.method != "GET"] == ["DELETE"]
        assert added not in {e.id for e in app.main.table.all_events}
        assert not fake_graph.store.sent_cancellations


async def test_D_on_marked_invitations_declines_them_in_one_batch(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("3")
        await wait_for(pilot, lambda: sum(invitation(e) for e in app.main.table.all_events) > 4)
        chosen = [e for e in app.main.table.all_events if invitation(e)][:3]
        mine = next(e for e in app.main.table.all_events if e.is_organizer)
        await mark(pilot, {e.id for e in chosen} | {mine.id})
        fake_graph.clear_requests()
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkReplyScreen))
        heading = str(app.screen.query_one(".bulk-heading").render())
        assert heading.startswith("Left out: 1 you organize")
        await pilot.press(*"Travelling that week", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen), timeout=30)
        await wait_for(pilot, lambda: len(result_rows(app)) == 3)
        assert all(row.endswith("→ declined") for row in result_rows(app))
        title = str(app.screen.query_one("#results-title").render())
        assert title == "Bulk decline: 3 declined"
        batches = [r for r in fake_graph.requests if r.path.endswith("/$batch")]
        sub = [q for r in batches for q in json.loads(r.body)["requests"]]
        assert len(batches) == 1 and len(sub) == 3
        assert all(q["url"].endswith("/decline") and q["body"] == {
            "comment": "Travelling that week", "sendResponse": True} for q in sub)
        assert not [r for r in fake_graph.requests if r.method == "POST" and not r.in_batch
                    and not r.path.endswith("/$batch")]


async def test_c_on_mixed_marks_splits_cancel_and_decline(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        events = app.main.table.all_events
        mine = next(e for e in events if e.is_organizer and not e.is_cancelled)
        theirs = next(e for e in events if invitation(e) and e.response_requested)
        await mark(pilot, {mine.id, theirs.id})
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        summary = lambda: str(app.screen.query_one("#cancel-summary").render())  # noqa: E731
        assert summary().startswith("1 you organize will be cancelled")
        assert "declined" not in summary()
        await pilot.press("ctrl+t")  # only decline
        await wait_for(pilot, lambda: summary().startswith("1 you attend will be declined"))
        await pilot.press("ctrl+t")  # both
        await wait_for(pilot, lambda: "cancelled" in summary() and "declined" in summary())
        await pilot.press(*"Plans changed", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen), timeout=30)
        await wait_for(pilot, lambda: len(result_rows(app)) == 2)
        rows = result_rows(app)
        assert any(r.endswith("→ cancelled") for r in rows)
        assert any(r.endswith("→ declined") for r in rows)
        assert len(posts_to(fake_graph, "decline")) == 1
        assert len(posts_to(fake_graph, "cancel")) == 1


async def test_cancel_key_still_cancels_what_one_organizes(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.is_organizer and bool(e.attendees)
                     and not e.is_cancelled)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))


async def test_a_reply_comment_is_on_disk_while_typed_and_back_after_a_restart(
        fake_graph: FakeGraph, private_home: Path) -> None:
    # On disk with the dialog still open: a kill -9 then loses nothing (the pty test of the
    # cancel dialog, whose saving this dialog shares, kills the whole app).
    from tests.app.test_drafts_as_typed import on_disk

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: e.subject == ATTENDED_TODAY)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        await pilot.press(*"Cannot make it, sorry")
        key = (event.ref.mailbox.key, event.id)
        await wait_for(pilot, lambda: on_disk(private_home).get(key) == "Cannot make it, sorry")
        assert isinstance(app.screen, ReplyScreen)  # still open: nothing closed it
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.subject == ATTENDED_TODAY)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        area = app.screen.query_one("#cancel-comment", TextArea)
        assert area.text == "Cannot make it, sorry"
        assert posts_to(fake_graph, "decline") == []


async def test_a_name_written_as_markup_is_shown_as_typed(fake_graph: FakeGraph) -> None:
    from tests.conftest import DEMO_TODAY
    from tui.fake.bulk import add_meetings
    from tui.fake.model import Person

    hostile = "Ops [/] [@click=screen.send]x[/]"
    (added,) = add_meetings(fake_graph.store, 1, day=DEMO_TODAY, subject="Markup organizer",
                            organizer=Person(hostile, "ops@example.test"),
                            response="notResponded")
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.id == added)
        await pilot.press("D")  # a markup error here was a crash
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        label = str(app.screen.query_one("#reply-respond").render())
        assert "[@click=screen.send]x[/]" in label
        await pilot.press("escape")
        assert posts_to(fake_graph, "decline") == []


async def test_keys_typed_behind_c_never_answer_the_delete_question(
        fake_graph: FakeGraph) -> None:
    from tests.app.test_typed_burst import burst

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.subject == CANCELLED_COPY)
        burst(app, "c", "y", "enter")  # typed ahead, as if for a comment
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause(0.5)
        assert isinstance(app.screen, ConfirmScreen)
        assert not [r for r in fake_graph.requests if r.method == "DELETE"]
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))


async def test_an_invitation_on_its_way_is_not_sent_again_from_the_marks(
        fake_graph: FakeGraph) -> None:
    from tui.fake.faults import Fault

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: invitation(e) and e.response_requested)
        fake_graph.faults.add(Fault("latency", method="POST", path="/accept$", seconds=1.5))
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: event.id in app.main.sending)
        await pilot.press("space", "up", "a")  # mark it while its accept is on its way
        await wait_for(pilot, lambda: "still on their way" in app.main.status.message)
        assert not isinstance(app.screen, BulkReplyScreen)
        await wait_for(pilot, lambda: app.main.status.kind == "success", timeout=15)
        assert len(posts_to(fake_graph, "accept")) == 1
