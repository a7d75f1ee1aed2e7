"""Hostile or odd input through the UI: shown inert, refused with a message, or read as far
as it goes; never a traceback, never a lost comment."""

from __future__ import annotations

import json

from tests.app.helpers import cancel_posts, loaded, make_app, select, wait_for
from tests.conftest import DEMO_TODAY
from tui.fake import FakeGraph, Fault
from tui.fake.bulk import add_meetings
from tui.screens.bulk import BulkCancelScreen
from tui.screens.cancel import CancelScreen
from tui.screens.main import MainScreen

MARKUP = "[bold]Q4[/] [link=https://evil.test]click[/link]"
ESCAPES = "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b31m\x85\x07"
RTL = "שלום עולם مرحبا"
ZERO_WIDTH = "a\u200bb\u200dc\ufeffd\u2066e\u2069"
HOSTILE = f"{MARKUP} {ESCAPES} {RTL} {ZERO_WIDTH} " + "W" * 10_000
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x85")


def _hostile_event(fake: FakeGraph) -> str:
    (event_id,) = add_meetings(fake.store, 1, day=DEMO_TODAY, subject="placeholder")
    with fake.store.lock:
        event = fake.store.lookup_event(event_id)
        assert event is not None
        event.subject = HOSTILE
        event.body_text = f"{MARKUP}\n{ESCAPES}\n{RTL}\n{ZERO_WIDTH}"
        event.location = "[red]Room[/red] \x1b[31m"
    return event_id


async def test_hostile_subjects_and_bodies_are_shown_inert(fake_graph: FakeGraph) -> None:
    event_id = _hostile_event(fake_graph)
    async with make_app(fake_graph).run_test(size=(160, 50)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: e.id == event_id)
        assert event.subject == HOSTILE  # arrives whole
        await pilot.press("enter")
        shown = app.export_screenshot()
        for control in RAW_CONTROLS:
            assert control not in shown
        # Markup stays literal text in the table and the details pane.
        assert "[bold]Q4[/]" in shown.replace("&#160;", " ")
        await pilot.pause()  # the pane follows the cursor in the next frame
        details = app.main.details.text
        assert "[red]Room[/red]" in details and "[bold]Q4[/]" in details
        for control in RAW_CONTROLS:
            assert control not in details
        await pilot.press("escape", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        dialog = app.export_screenshot()
        for control in RAW_CONTROLS:
            assert control not in dialog
        assert "[bold]Q4[/]" in dialog.replace("&#160;", " ")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.main.status.kind == "info"


async def _open_dialog(pilot, event_id: str) -> CancelScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await select(pilot, lambda e: e.id == event_id)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
    screen = app.screen
    assert isinstance(screen, CancelScreen)
    return screen


async def test_a_blank_or_control_character_comment_is_refused_and_kept(
    fake_graph: FakeGraph,
) -> None:
    (event_id,) = add_meetings(fake_graph.store, 1, day=DEMO_TODAY, subject="Blank test")
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        for comment, reason in ((" \n\t  ", "only blank space"),
                                ("see you\x07 later\x1b[2J", "U+0007 at character 8")):
            dialog = await _open_dialog(pilot, event_id)
            dialog.query_one("TextArea").text = comment  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is dialog  # still open, with the text as typed
            assert dialog.problem is not None and reason in dialog.problem
            assert dialog.comment == comment
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
            key = (app.main.table.current.ref.mailbox.key, event_id)
            assert app.main.drafts.get(*key) == comment
        assert cancel_posts(fake_graph) == []


async def test_a_hundred_thousand_character_comment_is_sent_whole(fake_graph: FakeGraph) -> None:
    (event_id,) = add_meetings(fake_graph.store, 1, day=DEMO_TODAY, subject="Long comment")
    comment = "Sorry about this.\n" + "ж" * 100_000
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        dialog = await _open_dialog(pilot, event_id)
        dialog.query_one("TextArea").text = comment  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind in ("success", "error"))
        assert app.main.status.kind == "success", app.main.status.message
        (post,) = cancel_posts(fake_graph)
        assert json.loads(post.body) == {"Comment": comment}  # type: ignore[attr-defined]


async def test_the_bulk_dialog_refuses_a_blank_comment_too(fake_graph: FakeGraph) -> None:
    add_meetings(fake_graph.store, 2, day=DEMO_TODAY, subject="Bulk blank")
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.subject == "Bulk blank 1")
        await pilot.press("space", "space", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        dialog = app.screen
        assert isinstance(dialog, BulkCancelScreen)
        dialog.query_one("TextArea").text = "   "  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and dialog.problem is not None
        assert cancel_posts(fake_graph) == [] and not any(
            r.path.endswith("$batch") for r in fake_graph.requests)


async def test_broken_listings_say_what_went_wrong_and_recover(fake_graph: FakeGraph) -> None:
    cases = [
        (Fault("malformed", method="GET", path="/calendarView$"), "not JSON"),
        (Fault("html", method="GET", path="/calendarView$"), "unexpected response (text/html)"),
    ]
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        for fault, words in cases:
            fake_graph.faults.add(fault)
            await pilot.press("r")
            await wait_for(pilot, lambda: app.main.status.kind == "error")
            assert app.main.status.message.startswith("Loading events failed: ")
            assert words in app.main.status.message, app.main.status.message
            await pilot.press("r")
            await loaded(pilot)
        # A body cut short once is read again by itself.
        fake_graph.faults.add(Fault("truncate", method="GET", path="/calendarView$"))
        await pilot.press("r")
        await loaded(pilot)
        assert any("network problem" in text for _, text in app.main.status.history)


async def test_odd_field_types_are_shown_as_far_as_possible(fake_graph: FakeGraph) -> None:
    fake_graph.faults.add(Fault("odd_fields", method="GET", path="/calendarView$", items=2,
                                fields={"attendees": None, "start": "x", "subject": 42}))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        odd = [e for e in app.main.table.all_events if e.unreadable]
        assert len(odd) == 2 and len(app.main.table.all_events) > 2
        assert set(odd[0].unreadable) == {"subject", "attendees", "start"}
        message = app.main.status.message
        assert "2 events came with fields that could not be read (attendees, start, subject)" \
            in message, message
        await select(pilot, lambda e: e.id == odd[0].id)
        await pilot.pause()  # the pane follows the cursor in the next frame
        assert "could not read: subject, attendees, start" in app.main.details.text
