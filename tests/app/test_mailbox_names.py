"""One person's mailbox opened by UPN and by object id is one mailbox for the comment
drafts: a comment typed in one is found in the other, with no permission beyond reading
their calendars and no request beyond listing them."""

from __future__ import annotations

import json

from tests.app.helpers import ZONE, listed_calendars, loaded, make_app, wait_for
from tests.conftest import DEMO_TODAY
from tui.actions.drafts import Drafts
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.fake.seed import JONAS_ID, JONAS_UPN
from tui.graph import GraphClient
from tui.screens.comment_dialog import CommentDialog
from tui.screens.prompt import PromptScreen
from tui.widgets.calendar_tree import CalendarTree


async def _open(pilot, typed: str) -> None:  # type: ignore[no-untyped-def]
    """`u`, `typed`, enter; then that section's default calendar opened and loaded."""
    app = pilot.app
    main = app.main
    await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
    await pilot.press(*typed, "enter")
    await wait_for(pilot, lambda: "Added" in main.status.message)
    tree = main.query_one(CalendarTree)
    leaf = next(leaf for leaf in listed_calendars(tree) if leaf.data is not None
                and leaf.data.ref.mailbox.id == typed and leaf.data.calendar.is_default)
    assert leaf.data is not None
    ref = leaf.data.ref
    tree.focus()
    tree.move_cursor(leaf)
    await pilot.press("enter")
    await wait_for(pilot, lambda: main.calendar == ref and main.status.kind == "info"
                   and bool(main.table.all_events))
    main.table.focus()


async def _type_draft(pilot, event_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    main = pilot.app.main
    assert main.table.select_id(event_id)
    await pilot.press("c")  # a cancel, or by role a decline: the draft is the event's
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommentDialog))
    await pilot.press(*text, "escape")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, CommentDialog))


async def _draft_shown(pilot, event_id: str) -> str:  # type: ignore[no-untyped-def]
    main = pilot.app.main
    assert main.table.select_id(event_id)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommentDialog))
    text = pilot.app.screen.query_one("#cancel-comment").text
    await pilot.press("escape")
    return str(text)


async def _typed_by_upn_found_by_id(pilot) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    main = pilot.app.main
    await _open(pilot, JONAS_UPN)
    event = next(e for e in main.table.all_events if not e.is_cancelled and e.attendees)
    await _type_draft(pilot, event.id, "typed by UPN")
    await wait_for(pilot, lambda: all(w.is_finished for w in pilot.app.workers))
    await _open(pilot, JONAS_ID)
    await wait_for(pilot, lambda: all(w.is_finished for w in pilot.app.workers))
    assert await _draft_shown(pilot, event.id) == "typed by UPN"
    return event.id, main.drafts.mailbox_key(f"user:{JONAS_ID}")


def _profile_requests(fake: FakeGraph) -> list[object]:
    return [r for r in fake.requests if r.method == "GET"
            and r.path.rstrip("/").endswith((f"/users/{JONAS_UPN}", f"/users/{JONAS_ID}"))]


async def test_a_draft_typed_by_upn_is_found_by_object_id(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        event_id, key = await _typed_by_upn_found_by_id(pilot)
    # Filed under his calendar's owner address (his UPN here), found by either name at the
    # next start too.
    assert key == f"user:{JONAS_UPN}"
    restored = Drafts.load()
    assert restored.get(f"user:{JONAS_UPN}", event_id) == "typed by UPN"
    assert restored.get(f"user:{JONAS_ID}", event_id) == "typed by UPN"
    saved = json.loads(restored.path.read_text())
    assert saved["aliases"][f"user:{JONAS_ID}"] == key
    # His profile would name his object id, but needs User.ReadBasic.All: never asked for.
    assert _profile_requests(fake_graph) == []


async def test_the_calendar_permissions_alone_are_enough(fake_graph: FakeGraph) -> None:
    fake_graph.grant("calendars-only", ["Calendars.ReadWrite", "Calendars.ReadWrite.Shared",
                                        "User.Read"])
    client = GraphClient(fake_graph.base_url, "calendars-only", timezone=ZONE)
    async with Cal365App(client, today=DEMO_TODAY, timezone=ZONE).run_test(
        size=(120, 40)
    ) as pilot:
        await loaded(pilot)
        event_id, _ = await _typed_by_upn_found_by_id(pilot)
        assert pilot.app.main.status.kind != "error"
    assert not [r for r in fake_graph.requests if r.status == 403]
    assert Drafts.load().get(f"user:{JONAS_ID}", event_id) == "typed by UPN"
