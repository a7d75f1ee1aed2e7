"""The app against the fake Graph's hostile answers (`tui.fake.hostile`), through the pilot.

Whatever Graph sends, the app keeps running: what the screen shows holds no raw control
character, a listing it cannot finish ends with an error in the status bar (and `r` brings
the events back once Graph behaves), and the events Graph did send are listed, each odd
field named. Every wait is bounded (`wait_for` fails a test that would hang).
"""

from __future__ import annotations

import pytest

from tests.app.helpers import loaded, result_rows, select, wait_for
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.fake import FakeGraph, Fault
from tui.fake.hostile import HOSTILE_TEXT
from tui.graph import ME, CalendarRef, GraphClient, RetryPolicy
from tui.graph.timezones import zone

ZONE = "America/New_York"  # west of UTC: 0001-01-01 UTC is before year 1 here
RAW = ("\x1b", "\x07", "\x9b", "\x85", "\u202e", "\ud800")


async def _instant(seconds: float) -> None:
    """Retries happen at once."""


def _app(fake: FakeGraph) -> Cal365App:
    client = GraphClient(fake.base_url, fake.token, timezone=ZONE, policy=RetryPolicy(
        sleep=_instant, deadline=1.0, max_retries=1, max_pages=40))
    return Cal365App(client, today=DEMO_TODAY, timezone=ZONE)


def _assert_inert(app: Cal365App) -> None:
    shown = app.export_screenshot()
    for char in RAW:
        assert char not in shown, f"U+{ord(char):04X} on screen"


async def test_hostile_text_and_dates_are_listed_inert_and_odd_fields_named(
    fake_graph: FakeGraph,
) -> None:
    fake_graph.faults.add(Fault("hostile", method="GET", items=2, times=None))
    async with _app(fake_graph).run_test(size=(160, 50)) as pilot:
        app = await loaded(pilot)
        events = app.main.table.all_events
        assert len(events) > 10
        odd = [e for e in events if e.unreadable]
        assert len(odd) == 2 and all(set(e.unreadable) == {"start", "end"} for e in odd)
        assert "2 events came with fields that could not be read (end, start)" in \
            app.main.status.message
        _assert_inert(app)
        # Each far-dated event and a hostile one in the details pane: inert, fields named.
        for event in (odd[0], odd[1], next(e for e in events if not e.unreadable)):
            await select(pilot, lambda e, wanted=event: e.id == wanted.id)
            await pilot.pause()
            details = app.main.details.text
            assert "[bold red]Q4[/]" in details  # markup shown as text
            for char in RAW:
                assert char not in details
            _assert_inert(app)
        # No bad webLink is handed on: `o` refuses each and says why.
        for event in events[:4]:
            await select(pilot, lambda e, wanted=event: e.id == wanted.id)
            await pilot.press("o")
            await pilot.pause()
            assert app.main.status.kind == "error"
            assert "Not opened: the Outlook link the server sent" in app.main.status.message
            _assert_inert(app)
        assert app.is_running


async def test_a_hostile_error_is_shown_inert(fake_graph: FakeGraph) -> None:
    async with _app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        fake_graph.faults.add(Fault("refuse", method="GET", path="calendarView",
                                    code=f"Err{HOSTILE_TEXT}", message=f"No {HOSTILE_TEXT}"))
        await pilot.press("r")
        await wait_for(pilot, lambda: app.main.status.kind == "error")
        assert "Err" in app.main.status.message
        for char in RAW:
            assert char not in app.main.status.message
        _assert_inert(app)


@pytest.mark.parametrize(("kind", "words"), [
    ("deep", "not JSON"),
    ("not_a_list", "value is not a list"),
    ("self_link", "repeats one followed already"),
    ("cycle_link", "repeats one followed already"),
    ("endless_link", "more than 40 pages"),
    ("drip", "did not answer in time"),
])
async def test_a_listing_graph_cannot_finish_ends_with_an_error_and_recovers(
    fake_graph: FakeGraph, kind: str, words: str,
) -> None:
    async with _app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        before = len(app.main.table.all_events)
        fake = Fault(kind, method="GET", path="calendarView", times=None,  # type: ignore[arg-type]
                     seconds=0.05)
        fake_graph.faults.add(fake)
        await pilot.press("r")
        await wait_for(pilot, lambda: app.main.status.kind == "error", timeout=30)
        assert words in app.main.status.message, app.main.status.message
        _assert_inert(app)
        fake_graph.faults.clear()
        await pilot.press("r")
        await loaded(pilot)
        assert len(app.main.table.all_events) == before


@pytest.mark.parametrize("times", [1, None])
async def test_a_head_start_page_of_the_wrong_shape_is_asked_again_or_reported(
    fake_graph: FakeGraph, times: int | None,
) -> None:
    from tui.startup.headstart import HeadStart
    from tui.window import Window

    tz = zone(ZONE)
    assert tz is not None
    start, end = Window("agenda", DEMO_TODAY, agenda_days=14).bounds(tz)
    fake_graph.faults.add(Fault("not_a_list", method="GET", path="calendarView", times=times))
    head = HeadStart(fake_graph.base_url, fake_graph.token, timezone=ZONE,
                     calendar=CalendarRef(ME), start=start, end=end)
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE,
                         policy=RetryPolicy(sleep=_instant))
    app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE, days=14, head_start=head)
    async with app.run_test(size=(120, 40)) as pilot:
        if times == 1:  # the head start's page was bad, the one asked again is fine
            await loaded(pilot)
            assert app.main.table.all_events
        else:
            await wait_for(pilot, lambda: app.main.status.kind == "error", timeout=30)
            assert "value is not a list" in app.main.status.message
        assert app.is_running


async def test_a_bulk_cancel_with_hostile_batch_answers_is_shown_inert(
    fake_graph: FakeGraph,
) -> None:
    from tui.screens.bulk import BulkCancelScreen, BulkResultsScreen

    async with _app(fake_graph).run_test(size=(140, 45)) as pilot:
        app = await loaded(pilot)
        events = app.main.table.all_events
        mine, gone = [e for e in events if e.is_organizer and not e.is_cancelled
                      and e.type == "singleInstance"][:2]
        for event in (mine, gone):
            await select(pilot, lambda e, wanted=event: e.id == wanted.id)
            await pilot.press("space")
        # Deleted elsewhere meanwhile: Graph's 404 for it comes back hostile in the batch.
        fake_graph.remove_event(gone.id)
        fake_graph.faults.add(Fault("hostile", method="POST", times=None))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        await pilot.press(*"Stopped", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen), timeout=30)
        await wait_for(pilot, lambda: len(result_rows(app)) == 2)
        outcomes = sorted(row.split("  → ")[1] for row in result_rows(app))
        assert outcomes[0] == "cancelled"
        assert outcomes[1].startswith("not cancelled: no longer on the server"), outcomes
        await pilot.pause()
        assert "evil" in app.export_screenshot()  # Graph's words for it, shown inert
        _assert_inert(app)
        assert app.is_running


async def test_a_cancel_whose_answer_trickles_is_never_called_not_sent(
    fake_graph: FakeGraph,
) -> None:
    from tui.screens.cancel import CancelScreen
    from tui.screens.main import MainScreen

    async with _app(fake_graph).run_test(size=(140, 45)) as pilot:
        app = await loaded(pilot)
        mine = next(e for e in app.main.table.all_events
                    if e.is_organizer and not e.is_cancelled and e.type == "singleInstance")
        await select(pilot, lambda e: e.id == mine.id)
        # The cancel's answer and the look at the event afterwards both trickle in.
        fake_graph.faults.add(Fault("drip", seconds=0.05, times=None))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"Sorry", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen)
                       and app.main.status.kind in ("success", "error"), timeout=30)
        message = app.main.status.message
        assert app.main.status.kind == "error", message
        assert "cannot tell whether the meeting was cancelled" in message, message
        assert "did not answer in time" in message
        _assert_inert(app)
