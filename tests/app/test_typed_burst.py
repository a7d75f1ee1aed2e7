"""Keys that act on what was typed (send, back out, confirm) see every character typed
before them, even when the characters and the key arrive in one terminal read, as they do
over SSH, from fast typing or from a terminal that sends a paste as keys.

A terminal read is posted to the app as one batch of Key events with no pause between them;
`burst` does the same."""

from __future__ import annotations

import json

from textual import events
from textual.app import App
from textual.widgets import Button, TextArea

from tests.app.helpers import (
    cancel_posts,
    cancellable,
    loaded,
    make_app,
    open_cancel_dialog,
    select,
    wait_for,
)
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.screens.bulk import BulkCancelScreen, BulkResultsScreen
from tui.screens.cancel import CancelScreen

_NAMES = {" ": "space", "-": "minus", ",": "comma", ".": "full_stop", "'": "apostrophe",
          "@": "at"}


def burst(app: App[object], *keys: str) -> None:
    """Posts keys the way one terminal read does: all at once. A single character stands
    for itself; a longer string is a key name (`ctrl+s`, `escape`)."""
    for key in keys:
        if len(key) == 1:
            name = key if key.isalnum() else _NAMES[key]
            app.post_message(events.Key(name, key))
        else:
            app.post_message(events.Key(key, None))


async def test_ctrl_s_in_the_same_read_sends_the_whole_comment(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, _, _ = await open_cancel_dialog(pilot)
        burst(app, *"Sorry all, moved to Friday", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        [post] = cancel_posts(fake_graph)
        assert json.loads(post.body) == {"Comment": "Sorry all, moved to Friday"}


async def test_escape_in_the_same_read_keeps_the_whole_draft(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, _, _ = await open_cancel_dialog(pilot)
        burst(app, *"Sorry all", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, CancelScreen))
        await pilot.pause(0.2)
        assert cancel_posts(fake_graph) == []
        await pilot.press("c")  # the draft comes back whole
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        assert app.screen.query_one(TextArea).text == "Sorry all"


async def test_after_a_stray_tab_a_burst_still_lands_whole(fake_graph: FakeGraph) -> None:
    """Focus on the Send button (a stray Tab): the characters of one read go to the comment,
    every one of them, and the Ctrl+S of the same read sends them."""
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, _, _ = await open_cancel_dialog(pilot)
        await pilot.press(*"Sorry", "tab")
        assert app.screen.focused is app.screen.query_one("#cancel-send", Button)
        tail = " all, see you on Friday in the usual room" * 5  # a long read: a paste as keys
        burst(app, *tail, "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        [post] = cancel_posts(fake_graph)
        assert json.loads(post.body) == {"Comment": "Sorry" + tail}


async def test_a_paste_then_ctrl_s_in_the_same_read_sends_the_paste(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, _, _ = await open_cancel_dialog(pilot)
        app.post_message(events.Paste("Pasted line one\nline two"))
        burst(app, "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        [post] = cancel_posts(fake_graph)
        assert json.loads(post.body) == {"Comment": "Pasted line one\nline two"}


async def test_a_paste_while_a_button_has_focus_goes_in_once(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, _, _ = await open_cancel_dialog(pilot)
        await pilot.press(*"Sorry", "tab")
        app.post_message(events.Paste(" all"))
        burst(app, "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        [post] = cancel_posts(fake_graph)
        assert json.loads(post.body) == {"Comment": "Sorry all"}


async def _bulk_dialog(pilot: object, fake_graph: FakeGraph) -> tuple[App[object], set[str]]:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    added = set(add_meetings(fake_graph.store, 3, raw_ids=True))
    app = await loaded(pilot)
    mine = [e for e in app.main.table.all_events if e.id in added]
    assert len(mine) == 3
    for event in mine:
        await select(pilot, lambda e, wanted=event.id: e.id == wanted)
        await pilot.press("space")
    assert "3 marked" in str(app.main.query_one("#events-pane").border_subtitle)
    fake_graph.clear_requests()
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
    return app, added


async def test_bulk_ctrl_s_in_the_same_read_sends_the_whole_comment(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, _ = await _bulk_dialog(pilot, fake_graph)
        burst(app, *"Project stopped", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen), timeout=30)
        batches = [r for r in fake_graph.requests if r.path.endswith("/$batch")]
        sub = [q for r in batches for q in json.loads(r.body)["requests"]]
        assert len(sub) == 3
        assert all(q["body"] == {"Comment": "Project stopped"} for q in sub)


async def test_bulk_escape_in_the_same_read_keeps_the_whole_draft(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, _ = await _bulk_dialog(pilot, fake_graph)
        burst(app, *"Project stopped", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, BulkCancelScreen))
        await pilot.pause(0.2)
        assert not [r for r in fake_graph.requests if r.method == "POST"]
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        assert app.screen.query_one(TextArea).text == "Project stopped"


async def test_a_filter_typed_with_its_enter_in_one_read_is_kept_whole(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("slash")
        await pilot.pause()
        burst(app, *"review", "enter")
        await wait_for(pilot, lambda: "“review”" in app.main.status.message)
        await pilot.pause(0.2)
        assert "“review”" in app.main.status.message


# Type-ahead: the characters typed right behind a key that opens a text box, in the same
# read (or before the box is up), are the box's text, never commands.

async def test_a_filter_typed_right_behind_its_slash_is_the_filter(
        fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        before = app.main.status.message
        burst(app, "slash", *"standup")  # its "d" hides declined events, its "u" asks a mailbox
        await wait_for(pilot, lambda: "“standup”" in app.main.status.message)
        await pilot.pause(0.2)
        assert app.screen is app.main  # no question was opened
        assert "no declined" not in app.main.status.message, (before, app.main.status.message)


async def test_a_comment_typed_right_behind_c_is_the_comment(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, cancellable)
        # "o" would open the meeting in a browser, "r" reload, "y" copy its link.
        burst(app, "c", *"Sorry all, moved to Friday", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        [post] = cancel_posts(fake_graph)
        assert json.loads(post.body) == {"Comment": "Sorry all, moved to Friday"}


async def test_a_date_typed_right_behind_g_is_the_date(fake_graph: FakeGraph) -> None:
    import datetime as dt

    from tui.screens.prompt import PromptScreen

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        burst(app, "g", *"2026-12-03", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, PromptScreen)
                       and app.main.table.current is not None
                       and app.main.table.current.start is not None
                       and app.main.table.current.start.date() >= dt.date(2026, 12, 3))
        await loaded(pilot)
        current = app.main.table.current
        assert current is not None and current.start is not None
        assert current.start.date() >= dt.date(2026, 12, 3)


async def test_keys_behind_c_that_opens_nothing_act_as_keys(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.is_organizer and not e.is_cancelled)
        start = app.main.table.cursor
        burst(app, "a", "j")  # nothing to accept in one's own meeting: "j" moves down
        await wait_for(pilot, lambda: "no invitation to answer" in app.main.status.message)
        await wait_for(pilot, lambda: app.main.table.cursor == start + 1)


async def test_a_mailbox_typed_right_behind_u_is_opened(fake_graph: FakeGraph) -> None:
    from tui.fake.seed import JONAS_UPN

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        burst(app, "u", *JONAS_UPN, "enter")
        await wait_for(pilot, lambda: "Added" in app.main.status.message)
        assert "Added Jonas Berg" in app.main.status.message


async def test_words_typed_right_behind_ctrl_p_go_to_the_palette(
        fake_graph: FakeGraph) -> None:
    from textual.widgets import Input

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        burst(app, "ctrl+p", *"today")  # "t" would jump to today, "d" hide declined
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette")
        # Pushed is not yet composed (on a busy machine the gap shows): wait for its line.
        await wait_for(pilot, lambda: [i.value for i in app.screen.query(Input)] == ["today"])
        assert "no declined" not in app.main.status.message
