"""Helpers for driving cal365 with Textual's pilot against the fake Graph."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from textual.pilot import Pilot

from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.graph import Event, GraphClient
from tui.widgets.format import printable

if TYPE_CHECKING:
    from textual.widgets.tree import TreeNode

    from tui.screens.cancel import CancelScreen
    from tui.widgets.calendar_tree import CalendarNode, CalendarTree

ZONE = "Europe/Berlin"


def make_app(fake: FakeGraph) -> Cal365App:
    client = GraphClient(fake.base_url, fake.token, timezone=ZONE)
    return Cal365App(client, today=DEMO_TODAY, timezone=ZONE)


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], object], timeout: float = 10
) -> None:
    """Let the app run until `condition()` holds; fail the test if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition never held")
        await pilot.pause(0.02)


def title_text(app: Cal365App) -> str:
    """The title bar as shown: who is signed in, and how fresh the events are ("" before
    the main screen is up)."""
    bars = app.main.query("#title-bar")
    return str(bars.first().render()) if bars else ""


def offline(app: Cal365App) -> bool:
    """The title bar says the app is offline (with a cache: "offline — as of …")."""
    return "offline —" in title_text(app)


def syncing(app: Cal365App) -> bool:
    """The title bar says a sync of the window is on its way."""
    return "syncing…" in title_text(app)


def settled_in_cache(app: Cal365App, *, rows: bool = True) -> bool:
    """The window is shown, in the cache and synced: the title bar gives its time and says
    nothing of syncing or offline, and the status line no longer says it is loading."""
    main, fresh = app.main, title_text(app)
    return ("as of" in fresh and "syncing" not in fresh and "offline" not in fresh
            and main.status.kind != "busy" and "syncing…" not in main.status.message
            and (bool(main.table.all_events) or not rows))


async def loaded(pilot: Pilot[None]) -> Cal365App:
    app = pilot.app
    assert isinstance(app, Cal365App)
    await wait_for(pilot, lambda: app.main.status.kind == "info" and app.main.table.all_events)
    return app


async def settled(pilot: Pilot[None]) -> Cal365App:
    """Loaded, and every background load (profile, calendars, groups, series) finished: what a
    snapshot needs, as those arrive in any order."""
    app = await loaded(pilot)
    await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
    await pilot.pause()
    return app


async def select(pilot: Pilot[None], predicate: Callable[[Event], bool]) -> Event:
    """Move the cursor with the keyboard to the first event matching `predicate`."""
    app = pilot.app
    assert isinstance(app, Cal365App)
    table = app.main.table
    target = next(i for i, e in enumerate(table.all_events) if predicate(e))
    await pilot.press("home")
    for _ in range(target):
        await pilot.press("j")
    assert table.cursor == target
    current = table.current
    assert current is not None
    return current


async def mark(pilot: Pilot[None], event_ids: Collection[str]) -> None:
    """Mark the events with these ids as a user does: the cursor to each, Space (which marks
    and moves down)."""
    app = pilot.app
    assert isinstance(app, Cal365App)
    table = app.main.table
    rows = sorted(i for i, e in enumerate(table.all_events) if e.id in event_ids)
    assert len(rows) == len(set(event_ids)), "an event to mark is not shown"
    await pilot.press("home")
    at = 0
    for row in rows:
        await pilot.press(*["j"] * (row - at))
        await pilot.press("space")
        at = row + 1
    await wait_for(pilot, lambda: marked_count(app) >= len(rows))


def marked_count(app: Cal365App) -> int:
    """How many events the events pane's lower border says are marked (0: it says none)."""
    said = re.search(r"(\d+) marked", str(app.main.query_one("#events-pane").border_subtitle))
    return int(said.group(1)) if said else 0


async def marked_rows(pilot: Pilot[None]) -> list[str]:
    """The marked meetings as the bulk cancel dialog lists them (`c`, read, Esc): one line
    each, its day, time and subject (and organizer, when left out)."""
    from tui.screens.bulk import BulkCancelScreen

    app = pilot.app
    assert isinstance(app, Cal365App)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
    rows = [str(row.render()) for row in app.screen.query(".bulk-row")]
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, BulkCancelScreen))
    return rows


def result_rows(app: Cal365App) -> list[str]:
    """The bulk results screen's rows as shown: each meeting, then "→" and its outcome."""
    return [str(row.render()) for row in app.screen.query("#results-list .bulk-row")]


def listed_calendars(tree: CalendarTree) -> list[TreeNode[CalendarNode | None]]:
    """The calendars the calendars pane lists, top to bottom: the lines that stand for one."""
    found: list[TreeNode[CalendarNode | None]] = []

    def walk(node: TreeNode[CalendarNode | None]) -> None:
        for child in node.children:
            if child.data is not None:
                found.append(child)
            walk(child)

    walk(tree.root)
    return found


def toasts(app: Cal365App) -> list[str]:
    """The notifications shown now, in the corner of the screen, as text."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def cancellable(event: Event) -> bool:
    """A meeting the user may cancel, with attendees to notify."""
    return event.is_organizer and not event.is_cancelled and bool(event.attendees)


async def open_cancel_dialog(
    pilot: Pilot[None], predicate: Callable[[Event], bool] = cancellable
) -> tuple[Cal365App, Event, CancelScreen]:
    """The app loaded, the cursor on the first event matching `predicate` (by default a
    meeting the user organizes, with attendees), `c` pressed and the cancel dialog up."""
    from tui.screens.cancel import CancelScreen

    app = await loaded(pilot)
    event = await select(pilot, predicate)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
    dialog = app.screen
    assert isinstance(dialog, CancelScreen)
    return app, event, dialog


ORGANIZER_MESSAGE = (
    "Your request can't be completed. You need to be an organizer to cancel a meeting."
)


def refuse_cancels(fake: FakeGraph) -> None:
    """From now on Graph refuses every cancel as it does one from a non-organizer: what the
    app meets when its data is older than the server's (the cancel key itself offers a
    decline, never a cancel, on a meeting the app knows someone else organizes)."""
    from tui.fake.faults import Fault

    fake.faults.add(Fault("refuse", method="POST", path="/cancel$", times=None, status=400,
                          code="ErrorInvalidRequest", message=ORGANIZER_MESSAGE))


def cancel_posts(fake: FakeGraph) -> list[object]:
    return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/cancel")]


async def open_their_calendar(pilot: Pilot[None], upn: str) -> None:
    """`u`, a colleague's UPN, enter; then their one calendar opened from the pane and
    loaded."""
    from tui.screens.prompt import PromptScreen
    from tui.widgets.calendar_tree import CalendarTree

    app = pilot.app
    assert isinstance(app, Cal365App)
    main = app.main
    await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
    await pilot.press(*upn, "enter")
    await wait_for(pilot, lambda: "Added" in main.status.message)
    tree = main.query_one(CalendarTree)
    [theirs] = [leaf for leaf in listed_calendars(tree)
                if leaf.data is not None and leaf.data.ref.mailbox.kind == "user"]
    assert theirs.data is not None
    ref = theirs.data.ref
    tree.focus()
    tree.move_cursor(theirs)
    await pilot.press("enter")
    await wait_for(pilot, lambda: main.status.kind == "info" and bool(main.table.all_events)
                   and main.calendar == ref)


def details_caught_up(app: Cal365App) -> bool:
    """The details pane shows the event under the cursor, or there is none. After quick cursor
    moves the pane's last paint waits out its interval (a held key), so a picture of the
    screen waits for this."""
    current = app.main.table.current
    if current is None:
        return True
    return printable(current.subject)[:30] in app.main.details.text.split("\n", 1)[0]

