"""A bounded soak of the app itself, driven by keys through Textual's pilot under random faults.

A seeded random user browses (views, window moves, filters, quick toggles, calendar switches,
refreshes, dates typed at `g`, other people's mailboxes opened with `u`, odd ones included)
and cancels (single and bulk, with comments; some dialogs backed out of) while the fake Graph
throttles, fails, drops connections before and after processing, cuts and breaks bodies, and
answers late. Checked afterwards, against the fake's own record:

- every event the user sent a cancel for was cancelled exactly once, or the app said it was
  not (an "outcome unknown" line is allowed either way, and counted); no other event was
  touched;
- no comment lost: a cancel not known to have gone through, or a dialog backed out of, keeps
  its draft, in memory and on disk;
- the app never crashed: no unhandled exception, no "unexpected error" line, and it still
  answers keys at the end.

`CAL365_SOAK_SEED` replays a run; `CAL365_SOAK_APP_OPS` sets the number of user actions.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Callable, Iterator

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import TextArea
from textual.worker import WorkerState

from tests.app.helpers import ZONE, listed_calendars, wait_for
from tests.conftest import DEMO_TODAY
from tests.faults.soak_common import (
    DONE,
    NOT_DONE,
    SEED,
    UNKNOWN,
    CountingSleep,
    Ledger,
    fast_policy,
    install_faults,
    maybe_burst,
    replay_hint,
)
from tui.actions.drafts import Drafts
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.fake.model import Person
from tui.fake.seed import GUEST_UPN, JONAS_UPN
from tui.graph import Event, GraphClient
from tui.screens.bulk import BulkCancelScreen, BulkResultsScreen
from tui.screens.cancel import CancelScreen
from tui.screens.main import MainScreen, _short
from tui.screens.prompt import PromptScreen
from tui.widgets.calendar_tree import CalendarTree
from tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.soak

OPS = int(os.environ.get("CAL365_SOAK_APP_OPS", "300"))
TEST = "test_soak_of_the_app"
_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


@pytest.fixture
def status_lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Every line the status bar showed, in order (its own history keeps only the last 100)."""
    lines: list[tuple[str, str]] = []
    show = StatusBar.show

    def recording(self: StatusBar, message: str, kind: str = "info") -> None:  # type: ignore[override]
        lines.append((kind, message))
        show(self, message, kind)  # type: ignore[arg-type]

    monkeypatch.setattr(StatusBar, "show", recording)
    yield lines


class FastPilot:
    """Keys as the terminal driver sends them, without the pilot's idle wait per key (a
    tenth of a second here): each key is handed over once every message queue is drained."""

    def __init__(self, pilot: Pilot[None]) -> None:
        self.pilot = pilot
        self.app = pilot.app

    def _drained(self) -> bool:
        screen = self.app.screen
        nodes = [self.app, screen, *screen.walk_children()]
        return all(node._message_queue.empty() for node in nodes)

    async def settle(self) -> None:
        for _ in range(1000):
            await asyncio.sleep(0)
            if self._drained():
                await asyncio.sleep(0)
                if self._drained():
                    return
            await asyncio.sleep(0.001)

    async def press(self, *keys: str) -> None:
        driver = self.app._driver
        assert driver is not None
        for key in keys:
            char = key if len(key) == 1 else None
            driver.send_message(events.Key(key, char))
            await self.settle()

    async def pause(self) -> None:
        await self.settle()


class User:
    """The random user: one method per kind of action, each waiting until the app settles."""

    def __init__(self, pilot: Pilot[None], app: Cal365App, fake: FakeGraph,
                 lines: list[tuple[str, str]], ledger: Ledger) -> None:
        self.pilot = FastPilot(pilot)
        self.app = app
        self.main = app.main
        self.fake = fake
        self.lines = lines
        self.ledger = ledger
        self.rng = random.Random(SEED)
        self.serial = 0

    # -- waiting ------------------------------------------------------------------------

    def _loading(self) -> bool:
        return any(w.group in ("events", "tree") and w.state in _BUSY for w in self.app.workers)

    async def settle(self) -> None:
        """Until nothing is loading: the app must get there whatever the faults."""
        await self.until(lambda: not self._loading(), "the end of loading")

    async def until(self, condition: Callable[[], object], what: str) -> None:
        """Poll briefly (the pilot's own pause waits for the whole process to idle, which
        the fake's server thread delays), within a generous bound."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while not condition():
            if loop.time() > deadline:
                raise AssertionError(f"the app never got to: {what} {replay_hint(TEST)}")
            await asyncio.sleep(0.005)

    # -- browsing -----------------------------------------------------------------------

    async def browse(self) -> None:
        rng, press = self.rng, self.pilot.press
        self.main.table.focus()
        kind = rng.choice(["view", "move", "move", "today", "filter", "toggle", "cursor",
                           "calendar", "refresh", "goto", "mailbox"])
        self.ledger.ops[f"browse {kind}"] += 1
        if kind == "view":
            await press(rng.choice("12345"))
        elif kind == "move":
            await press(rng.choice(["left_square_bracket", "right_square_bracket"]))
        elif kind == "today":
            await press("5", "t")
        elif kind == "filter":
            word = rng.choice(["soak", "Not mine", "sync", "zzz", "ö", "[bold]"])
            await press("slash")
            await self.paste(word)
            await press(rng.choice(["enter", "escape"]))
            if self.main.query_one("#filter").has_focus or rng.random() < 0.5:
                await press("escape")  # cleared (the filter line has focus again after enter?)
            self.main.table.focus()
        elif kind == "toggle":
            await press(rng.choice("mxd"))
        elif kind == "cursor":
            await press(*rng.choices(["j", "k", "pagedown", "pageup", "home", "end"], k=2))
        elif kind == "calendar":
            await self.switch_calendar(rng.random() < 0.5)
        elif kind in ("goto", "mailbox"):
            await self.prompt(kind)
        else:
            await press("r")
        await self.settle()

    async def prompt(self, kind: str) -> None:
        """`g` with a typed date, or `u` with a user name, some of them odd or unknown."""
        rng = self.rng
        if kind == "goto":
            typed = rng.choice(["+3", "-7", "friday", "2026-12-01", "today", "+99999999",
                                "9999-12-31", "0001-01-01", "2999-12-31", "next week", ""])
        else:
            store = self.fake.store
            stranger = next(u.upn for u in store.users.values() if u.id not in store.mailboxes)
            typed = rng.choice([JONAS_UPN, GUEST_UPN, stranger, "nobody@example.com",
                                "o'brien@contoso.com", "x/y?z#w"])
        await self.pilot.press("g" if kind == "goto" else "u")
        await self.until(lambda: isinstance(self.app.screen, PromptScreen), "the prompt")
        await self.paste(typed)
        await self.pilot.press("enter")
        if isinstance(self.app.screen, PromptScreen):
            await self.pilot.press("escape")  # refused with its reason: give up
        await self.until(lambda: self.app.screen is self.main, "the main screen")
        if kind == "mailbox":
            await self.until(lambda: not any(w.group == "mailbox" and w.state in _BUSY
                                             for w in self.app.workers), "the mailbox answer")

    async def switch_calendar(self, home: bool) -> None:
        tree = self.main.query_one(CalendarTree)
        leaves = [leaf for leaf in listed_calendars(tree) if leaf.data is not None]
        if not leaves:
            return
        if home:
            target = next((leaf for leaf in leaves if leaf.data is not None
                           and leaf.data.calendar.is_default
                           and leaf.data.ref.mailbox.kind == "me"), leaves[0])
        else:
            target = self.rng.choice(leaves)
        tree.focus()
        tree.move_cursor(target)
        await self.pilot.press("enter")

    async def go_home(self) -> None:
        """The user's own default calendar, agenda from today, no filter: where the meetings
        to cancel are."""
        await self.pilot.press("escape")
        self.main.table.focus()
        await self.switch_calendar(True)
        await self.pilot.press("5", "t")
        if self.main.toggles:
            for toggle in sorted(self.main.toggles):
                await self.pilot.press({"mine": "m", "cancelled": "x", "declined": "d"}[toggle])
        await self.settle()
        self.main.table.focus()

    # -- cancelling ---------------------------------------------------------------------

    async def cursor_to(self, index: int) -> Event | None:
        """The row, as a click would pick it (keys cost a tenth of a second each here)."""
        table = self.main.table
        if index >= len(table.visible_events):
            return None
        table.focus()
        table.cursor = index
        await self.pilot.pause()
        return table.current

    async def paste(self, text: str) -> None:
        """Text into the focused field in one go, as a terminal's bracketed paste sends it."""
        # Posted to the app, as the driver does: the app hands it to the focused widget.
        self.app.post_message(events.Paste(text))
        await self.pilot.pause()

    def comment(self, event: Event | None) -> str:
        self.serial += 1
        return f"soak {self.serial} " + self.rng.choice(["sorry", "moved", "ÜÇ 日本", "[b]x[/]"])

    def cancellable(self) -> list[int]:
        # c opens the cancel dialog on meetings one organizes with attendees (on others it
        # offers a decline or a delete: tests/app/test_replies.py).
        rows = self.main.table.visible_events
        return [i for i, e in enumerate(rows)
                if not e.is_cancelled and e.is_organizer and e.attendees and (
                    e.id not in self.ledger.outcomes or self.ledger.outcomes[e.id] == NOT_DONE)]

    async def single(self) -> None:
        candidates = self.cancellable()
        if not candidates:
            await self.go_home()
            return
        event = await self.cursor_to(self.rng.choice(candidates))
        if event is None or event.id in self.main.sending:
            return
        await self.pilot.press("c")
        await self.until(lambda: isinstance(self.app.screen, CancelScreen), "the cancel dialog")
        text = self.comment(event)
        self.app.screen.query_one(TextArea).clear()
        await self.paste(text)
        key = (event.ref.mailbox.key, event.id)
        if self.rng.random() < 0.15:
            self.ledger.ops["cancel backed out"] += 1
            await self.pilot.press("escape")
            await self.until(lambda: self.app.screen is self.main, "the main screen")
            assert self.main.drafts.get(*key) == text, f"draft lost on Esc {replay_hint(TEST)}"
            self.ledger.comments[event.id] = text  # the newest typed comment is the one kept
            return
        self.ledger.ops["cancel single"] += 1
        mark = len(self.lines)
        # Pressed twice on purpose: the second press must not send a second cancel.
        await self.pilot.press("ctrl+s", "ctrl+s")
        await self.until(lambda: self.app.screen is self.main
                         and event.id not in self.main.sending, "the end of a cancel")
        self.ledger.report(event.id, self.told(event, mark))
        self.ledger.comments[event.id] = text
        if self.ledger.outcomes[event.id] == DONE:
            assert not self.main.drafts.get(*key), f"draft kept after a cancel {replay_hint(TEST)}"
        else:
            assert self.main.drafts.get(*key) == text, f"comment lost {replay_hint(TEST)}"

    def told(self, event: Event, mark: int) -> str:
        """What the status bar said about this cancel."""
        name = _short(event)
        for kind, line in self.lines[mark:]:
            if name not in line:
                continue
            if line.startswith("Cancelled "):
                assert kind == "success"
                return DONE
            if line.startswith("Not cancelled"):
                assert kind == "error"
                return NOT_DONE
            if line.startswith("Outcome unknown"):
                assert kind == "error"
                return UNKNOWN
        raise AssertionError(f"no outcome shown for {name}: {self.lines[mark:]} "
                             f"{replay_hint(TEST)}")

    async def bulk(self) -> None:
        candidates = self.cancellable()
        if len(candidates) < 2:
            await self.go_home()
            return
        picks = sorted(self.rng.sample(candidates, min(len(candidates), self.rng.randint(2, 8))))
        for index in picks:
            await self.cursor_to(index)
            if self.main.table.current is not None and \
                    self.main.table.current.id not in self.main.marked:
                await self.pilot.press("space")
        marked = dict(self.main.marked)
        if not marked:
            return
        await self.pilot.press("c")
        await self.until(lambda: isinstance(self.app.screen, BulkCancelScreen), "the bulk dialog")
        text = self.comment(None)
        self.app.screen.query_one(TextArea).clear()
        await self.paste(text)
        if self.rng.random() < 0.1:
            self.ledger.ops["bulk backed out"] += 1
            await self.pilot.press("escape")
            await self.until(lambda: self.app.screen is self.main, "the main screen")
            assert self.main.drafts.get("bulk", "marked") == text, "bulk draft lost on Esc"
            await self.pilot.press("U")
            return
        sendable = {i for i, e in marked.items() if e.is_organizer and not e.is_cancelled}
        self.ledger.ops["cancel bulk"] += 1
        self.ledger.ops["bulk items"] += len(sendable)
        await self.pilot.press("ctrl+s", "ctrl+s")
        if not sendable:
            await self.until(lambda: self.app.screen is self.main, "the main screen")
            await self.pilot.press("U")
            return
        await self.until(lambda: isinstance(self.app.screen, BulkResultsScreen),
                         "the bulk results")
        shown = self.app.screen
        assert isinstance(shown, BulkResultsScreen)
        results = {e.id: o for e, o in shown.outcomes}
        assert set(results) == sendable, f"bulk answered for other events {replay_hint(TEST)}"
        for event_id, outcome in results.items():
            status = outcome.status
            self.ledger.report(event_id, DONE if status == "done" else
                               UNKNOWN if status == "unknown" else NOT_DONE)
            self.ledger.comments.pop(event_id, None)  # its single draft, if any, is not ours
        left = [i for i, o in results.items() if o.status != "done"]
        draft = self.main.drafts.get("bulk", "marked")
        if left:
            assert draft == text, f"bulk comment lost {replay_hint(TEST)}"
            assert set(left) <= set(self.main.marked), "failed ones must stay marked"
        else:
            assert not draft
        await self.pilot.press("escape")
        await self.until(lambda: self.app.screen is self.main, "the main screen")
        await self.pilot.press("U")


def cancelled_by_another_route(fake: FakeGraph, event_id: str) -> bool:
    """The event is there and cancelled now, though its own cancel was not sent or not
    accepted: an attendee's copy of a meeting whose organizer's copy was cancelled."""
    event = fake.store.lookup_event(event_id)
    return event is not None and event.is_cancelled


async def test_soak_of_the_app(fake_graph: FakeGraph, status_lines: list[tuple[str, str]],
                               monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(MainScreen, "offline_retry", 0.05)
    store = fake_graph.store
    add_meetings(store, 64, subject="Soak")
    add_meetings(store, 16, subject="Not mine", organizer=Person("Noah", "noah@x.test"))
    sleep = CountingSleep()
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE,
                         policy=fast_policy(sleep, read_timeout=0.5))
    app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE)
    ledger = Ledger(TEST)
    began = time.perf_counter()
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.main.table.all_events), timeout=20)
        install_faults(fake_graph, slow_after=0.8)
        user = User(pilot, app, fake_graph, status_lines, ledger)
        # Until OPS operations are done: a turn with nothing to act on (no cancellable
        # event in view, nothing marked) does none.
        for _ in range(3 * OPS):
            if sum(ledger.ops.values()) >= OPS:
                break
            roll = user.rng.random()
            maybe_burst(fake_graph, user.rng, ledger.ops)
            if roll < 0.6:
                await user.browse()
            elif roll < 0.9:
                await user.single()
            else:
                await user.bulk()
        # Still alive: with the faults gone the app answers a key and loads a window.
        fake_graph.faults.clear()
        await user.go_home()
        mark = len(status_lines)
        await pilot.press("r")
        await user.until(lambda: any(k == "info" and "events" in t
                                     for k, t in status_lines[mark:]), "a reload after the run")
        drafts_on_screen = {(box, i): text for box, i, text in app.main.drafts}
    elapsed = time.perf_counter() - began

    # ---- invariants ---------------------------------------------------------------------
    cancelled = ledger.check_server(fake_graph)
    crashes = [t for _, t in status_lines if "unexpected error" in t]
    assert not crashes, f"{crashes[:3]} {replay_hint(TEST)}"
    on_disk = {(box, i): text for box, i, text in Drafts.load()}
    assert on_disk == drafts_on_screen, "the drafts on disk differ from the app's"
    for event_id, comment in ledger.comments.items():  # single dialogs (bulk: checked above)
        kept = [t for (_, i), t in on_disk.items() if i == event_id]
        if ledger.outcomes.get(event_id) == DONE:
            assert not kept, f"draft of cancelled {event_id} kept {replay_hint(TEST)}"
        elif cancelled_by_another_route(fake_graph, event_id):
            # Its organizer's copy was cancelled (the user cancelled their own meeting, so
            # the copy in a colleague's shared calendar reads as cancelled): the app drops
            # its draft once a listing shows it so, as for any meeting called off elsewhere.
            assert kept in ([], [comment]), f"comment of {event_id} changed {replay_hint(TEST)}"
        else:
            assert kept == [comment], f"comment of {event_id} lost {replay_hint(TEST)}"

    lines = ledger.figures(fake_graph, elapsed, sleep.waits, cancelled)
    lines.insert(1, f"  HTTP requests served by the fake: {len(fake_graph.requests)}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert sum(ledger.ops.values()) >= OPS
    assert ledger.ops["cancel single"] and ledger.ops["cancel bulk"]
    assert sum(fake_graph.faults.injected.values()) > 0
