"""Small things a person triaging meetings runs into: every key answers, every line tells
the truth, and titles say whose calendar is open."""

from __future__ import annotations

from tests.app.helpers import (
    listed_calendars,
    loaded,
    make_app,
    mark,
    marked_count,
    open_their_calendar,
    wait_for,
)
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.fake.seed import JONAS_UPN
from tui.graph import Event
from tui.screens.bulk import BulkCancelScreen, BulkResultsScreen
from tui.screens.prompt import PromptScreen
from tui.widgets.calendar_tree import CalendarTree


async def test_keys_with_nothing_to_act_on_say_so(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        await pilot.press("/", *"zzzz-nothing", "enter")
        await wait_for(pilot, lambda: not main.table.visible_events)
        for key, said in [("space", "No event to mark here."),
                          ("A", "No events shown: nothing to mark."),
                          ("U", "No events are marked."),
                          ("o", "No event selected."),
                          ("y", "No event selected.")]:
            main.status.show("", "info")
            await pilot.press(key)
            assert main.status.message == said, key
        assert marked_count(app) == 0


async def test_bulk_results_count_in_the_singular_and_offer_retry_only_after_a_failure(
    fake_graph: FakeGraph,
) -> None:
    [added] = add_meetings(fake_graph.store, 1)
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        await wait_for(pilot, lambda: any(e.id == added for e in main.table.all_events))
        await mark(pilot, [added])
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen), timeout=30)
        results = app.screen
        hint = str(results.query_one("#results-hint").render())
        assert hint.startswith("1 meeting in 1 batch request. ")
        assert results.check_action("retry", ()) is False
        assert "retry" not in {b.binding.action for b in app.active_bindings.values()}
        await pilot.press("escape")


async def test_another_persons_calendar_says_whose_it_is_in_the_title(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        await open_their_calendar(pilot, JONAS_UPN)
        title = str(main.query_one("#events-pane").border_title)
        assert title.startswith("Calendar (Jonas Berg) · "), title
        assert main.status.message.startswith("Calendar (Jonas Berg): ")
        # Graph's organizer flag and response there are Jonas's, and the details say so.
        from tui.widgets.event_details import describe

        theirs_organized = next(e for e in main.table.all_events if e.is_organizer)
        text = describe(theirs_organized).plain
        assert f"{JONAS_UPN}: organizes this meeting" in text and "You:" not in text


async def test_the_kept_event_is_scrolled_into_view_when_the_window_grows(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(80, 24)) as pilot:
        app = await loaded(pilot)
        main, table = app.main, app.main.table
        await pilot.press("j", "j", "j")
        kept = table.current
        assert kept is not None
        await pilot.press("4")  # the month: the event is now far down the list
        await wait_for(pilot, lambda: main.window.view == "month" and main.status.kind == "info"
                       and "events" in main.status.message)
        await pilot.pause()
        assert table.current == kept and table.cursor > table.size.height - 1
        top = round(table.scroll_offset.y)
        assert top <= table.cursor < top + table.size.height - 1  # a line for the header


async def test_a_retry_notice_gives_way_once_the_background_request_got_through(
    fake_graph: FakeGraph,
) -> None:
    from tui.fake.faults import Fault

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        before = (main.status.message, main.status.kind)
        fake_graph.faults.add(Fault("throttle", path="/calendarGroups$", times=1,
                                    retry_after="1"))
        main.load_calendars()  # a background load: it says nothing when it works
        await wait_for(pilot, lambda: "throttling" in main.status.message)
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
        await wait_for(pilot, lambda: "throttling" not in main.status.message)
        assert (main.status.message, main.status.kind) == before


async def test_the_cancel_dialog_names_the_other_persons_calendar(fake_graph: FakeGraph) -> None:
    from tests.app.helpers import select
    from tui.screens.cancel import CancelScreen
    from tui.screens.reply import ReplyScreen

    def organized(e: Event) -> bool:
        return e.is_organizer and not e.is_cancelled and bool(e.attendees)

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        await select(pilot, organized)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        assert "In the calendar of" not in str(app.screen.query_one("#cancel-summary").render())
        await pilot.press("escape")
        await open_their_calendar(pilot, JONAS_UPN)
        await select(pilot, organized)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        summary = str(app.screen.query_one("#cancel-summary").render())
        assert f"In the calendar of {JONAS_UPN}." in summary
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main)
        # One Jonas is invited to: c offers his decline, and says for whom.
        await select(pilot, lambda e: not e.is_organizer and not e.is_cancelled)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        summary = str(app.screen.query_one("#cancel-summary").render())
        assert f"Replying for {JONAS_UPN}." in summary, summary
        await pilot.press("escape")


def test_the_audit_view_tells_meetings_with_the_same_subject_apart() -> None:
    import datetime as dt
    import io
    from zoneinfo import ZoneInfo

    from rich.console import Console

    from tui.actions import audit
    from tui.screens.audit_view import audit_table

    def entry(start: str | None) -> audit.AuditEntry:
        return audit.AuditEntry(dt.datetime(2026, 11, 25, 16, 1, tzinfo=dt.UTC), "me", "E",
                                "Design review", start, None, "cancelled", None)

    log = audit.AuditLog([entry("2026-11-27T09:00:00+01:00"), entry("2026-12-08T13:30:00+01:00"),
                          entry(None), entry("garbled\x1b[31m")], 0)
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(audit_table(log, ZoneInfo("Europe/Berlin")))
    text = console.export_text()
    assert "Fri 27 Nov 2026 09:00 CET" in text and "Tue 08 Dec 2026 13:30 CET" in text
    assert "\x1b" not in text and text.count("Design review") == 4


async def test_c_in_the_details_pane_cancels_the_meeting_shown(fake_graph: FakeGraph) -> None:
    from tests.app.helpers import cancel_posts, select
    from tui.screens.cancel import CancelScreen
    from tui.widgets.event_details import EventDetails

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled
                             and not e.series_master_id)
        await pilot.press("enter")
        assert isinstance(app.focused, EventDetails)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        assert app.screen.event == event  # type: ignore[attr-defined]
        await pilot.press(*"read the agenda first", "ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        assert len(cancel_posts(fake_graph)) == 1
        assert event not in app.main.table.all_events


async def test_the_cancel_dialogs_fit_a_24_row_terminal_and_offer_only_keys_that_apply(
    fake_graph: FakeGraph,
) -> None:
    from textual.containers import Vertical
    from textual.widgets import Button

    from tests.app.helpers import select
    from tui.screens.cancel import CancelScreen
    from tui.screens.reply import ReplyScreen

    def fits() -> None:
        dialog = app.screen.query_one("#cancel-dialog", Vertical)
        inside = dialog.content_region
        for button in app.screen.query(Button):
            assert inside.contains_region(button.region), button.id
        assert inside.bottom <= app.screen.size.height

    async with make_app(fake_graph).run_test(size=(80, 24)) as pilot:
        app = await loaded(pilot)
        # The tallest single dialog: the decline of an occurrence of a series someone else
        # organizes (scope, response, a new time, the comment).
        await select(pilot, lambda e: e.is_occurrence and not e.is_organizer
                     and not e.is_cancelled)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplyScreen))
        await pilot.pause()
        fits()
        assert app.screen.check_action("toggle_scope", ()) is True
        await pilot.press("escape")
        await select(pilot, lambda e: not e.is_occurrence and not e.series_master_id
                     and e.is_organizer and not e.is_cancelled)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.pause()
        fits()
        assert app.screen.check_action("toggle_scope", ()) is False
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, CancelScreen))
        await pilot.press("A", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        await pilot.pause()
        fits()
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, BulkCancelScreen))
        await pilot.press("U", "space", "c")  # one marked meeting: said in the singular
        await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
        title = str(app.screen.query_one("#cancel-title").render())
        assert title == "Cancel 1 marked meeting"
        await pilot.press("escape")


async def test_one_event_is_counted_in_the_singular(fake_graph: FakeGraph) -> None:
    import datetime as dt

    day = dt.date(2031, 3, 2)  # a Sunday, years ahead: nothing else of the demo's there
    assert day.weekday() == 6
    start = dt.datetime(2031, 3, 2, 10, tzinfo=dt.UTC)
    fake_graph.add_event("Lone meeting", start, start + dt.timedelta(hours=1))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        await pilot.press("1", "g")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*day.isoformat(), "enter")
        await wait_for(pilot, lambda: main.window.anchor == day and main.status.kind == "info"
                       and "Lone meeting" in [e.subject for e in main.table.all_events])
        assert len(main.table.all_events) == 1
        assert main.status.message.startswith("Calendar: 1 event.")
        assert str(main.query_one("#events-pane").border_subtitle) == "1 event"


async def test_the_drafts_kept_from_last_time_are_counted_in_words(
    fake_graph: FakeGraph,
) -> None:
    from tui.actions.drafts import Drafts

    Drafts.load().put("me", "some-event", "not sent yet")
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        assert app.main.status.message.endswith(" 1 comment draft kept from last time.")


async def test_c_in_the_calendars_pane_says_how_to_cancel_and_sends_nothing(
    fake_graph: FakeGraph,
) -> None:
    from tests.app.helpers import cancel_posts

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        app.main.query_one(CalendarTree).focus()
        await pilot.press("c")
        assert app.main.status.message.startswith("To cancel, choose the event in the events")
        assert app.screen is app.main and not cancel_posts(fake_graph)


async def test_q_while_a_cancel_is_on_its_way_asks_to_be_pressed_again(
    fake_graph: FakeGraph,
) -> None:
    from tests.app.helpers import select
    from tui.fake.faults import Fault
    from tui.screens.cancel import CancelScreen

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        exits: list[object] = []
        app.exit = lambda *args, **kwargs: exits.append(args)  # type: ignore[method-assign]
        await select(pilot, lambda e: e.is_organizer and not e.is_cancelled
                     and not e.series_master_id)
        fake_graph.faults.add(Fault("latency", method="POST", path="/cancel$", seconds=1.5))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
        await pilot.press(*"going out", "ctrl+s")
        await wait_for(pilot, lambda: bool(main.sending))
        await pilot.press("q")
        assert not exits and "Press q again to quit anyway" in main.status.message
        await wait_for(pilot, lambda: not main.sending and main.status.kind == "success")
        await pilot.press("q")  # nothing on its way any more: q quits at once
        assert len(exits) == 1


async def test_opening_a_mailbox_again_says_it_was_reloaded_not_added(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        said = []
        for _ in range(2):
            main.status.show("", "info")
            await pilot.press("u")
            await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
            await pilot.press(*JONAS_UPN, "enter")
            await wait_for(pilot, lambda: "calendars pane" in main.status.message)
            said.append(main.status.message)
        assert said == ["Added Jonas Berg to the calendars pane.",
                        "Reloaded Jonas Berg in the calendars pane."]
        tree = main.query_one(CalendarTree)
        theirs = [leaf for leaf in listed_calendars(tree)
                  if leaf.data is not None and leaf.data.ref.mailbox.kind == "user"]
        assert len(theirs) == 1  # listed once, not once per opening
