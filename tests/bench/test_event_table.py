"""The events table's filter and its row-level repaint, driven through the real app."""

from __future__ import annotations

from tests.app.helpers import loaded, make_app
from tui.fake import FakeGraph
from tui.graph import Event


def _matches(event: Event, text: str) -> bool:
    fields = [event.subject, event.organizer.name, event.organizer.address, event.location]
    fields += [f for a in event.attendees for f in (a.person.name, a.person.address)]
    return any(text.casefold() in field.casefold() for field in fields)


async def test_filter_matches_subject_people_and_location(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        table = app.main.table
        every = list(table.all_events)
        attendee = next(e for e in every if e.attendees).attendees[0].person.name
        for text in ("SYNC", attendee.upper(), "room", "fabrikam.onmicrosoft", "zzz-nothing"):
            table.set_filter(text)
            expected = [e for e in every if _matches(e, text)]
            assert table.visible_events == expected, text
            assert table.all_events == every  # filtering hides, never drops
        assert table.current is None  # nothing matches the last text
        table.set_filter("")
        assert table.visible_events == every


async def test_typing_on_narrows_and_keeps_the_cursor_on_its_event(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        table = app.main.table
        target = [e for e in table.all_events if _matches(e, "sync")][-1]
        table.select_id(target.id)
        for end in range(1, 5):
            table.set_filter("sync"[:end])
            assert table.current == target
            assert all(_matches(e, "sync"[:end]) for e in table.visible_events)
        await pilot.press("home")
        assert table.cursor == 0
        table.set_filter("")
        assert len(table.visible_events) == len(table.all_events)


async def test_a_cursor_move_repaints_only_two_rows(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        table = app.main.table
        await pilot.pause(0.1)
        painted: list[int] = []
        original = table.render_line

        def spy(y: int):  # type: ignore[no-untyped-def]
            painted.append(y)
            return original(y)

        table.render_line = spy  # type: ignore[method-assign]
        await pilot.press("down")
        await pilot.pause(0.1)
        assert sorted(painted) == [1, 2]


async def test_a_page_below_the_screen_grows_the_scrollbar_and_its_rows_can_be_reached(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        table = app.main.table
        every = list(table.all_events)
        first = table.size.height + 5  # more than the screen holds
        assert len(every) > first + 10
        table.clear()
        table.extend(every[:first])
        await pilot.pause(0.1)
        painted: list[int] = []
        original = table.render_line

        def spy(y: int):  # type: ignore[no-untyped-def]
            painted.append(y)
            return original(y)

        table.render_line = spy  # type: ignore[method-assign]
        table.extend(every[first:])
        await pilot.pause(0.1)
        assert painted == []  # no row on screen changed
        assert table.virtual_size.height == len(every) + 1
        assert table.vertical_scrollbar.window_virtual_size == len(every) + 1
        await pilot.press("end")
        await pilot.pause(0.1)
        assert table.current == every[-1]
        line = original(table.cursor - round(table.scroll_offset.y) + 1).text
        assert every[-1].subject[:20] in line
