"""The details pane repaints only what changes when the cursor moves to another event."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

from tests.app.helpers import loaded, make_app
from tui.fake import FakeGraph
from tui.widgets.event_details import EventDetails, changed_span, describe

BOLD = Style(bold=True)


def _strip(*parts: tuple[str, Style | None]) -> Strip:
    return Strip([Segment(text, style) for text, style in parts])


def test_changed_span_is_the_stretch_that_differs() -> None:
    old = _strip(("Organizer: ", BOLD), ("Avery Quinn    ", None))
    assert changed_span(old, old) is None
    new = _strip(("Organizer: ", BOLD), ("Mira Dubois    ", None))
    assert changed_span(old, new) == (11, 22)
    # The same characters in another style are a change too.
    restyled = _strip(("Organizer: ", None), ("Avery Quinn    ", None))
    assert changed_span(old, restyled) == (0, 11)
    # A longer line: from the first difference to its end.
    assert changed_span(_strip(("ab", None)), _strip(("abcd", None))) == (2, 4)
    # Wide characters: the whole line, rather than guess at cell positions.
    assert changed_span(_strip(("日本", None)), _strip(("日曜", None))) == (0, 4)


async def test_a_cursor_move_repaints_only_the_changed_lines(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        table, details = app.main.table, app.main.details
        assert isinstance(details, EventDetails)
        await pilot.pause(0.1)
        height = details.size.height
        events = table.visible_events
        # Two neighbours whose details both overflow the pane: the scrollbar stays.
        row = next(
            i
            for i in range(len(events) - 1)
            if min(_lines(details, events[i]), _lines(details, events[i + 1])) > height
        )
        table.cursor = row
        await pilot.pause(0.1)
        before = list(details._lines)
        calls: list[tuple[tuple[Region, ...], dict[str, Any]]] = []
        original = details.refresh

        def spy(*regions: Region, **kwargs: Any) -> EventDetails:
            calls.append((regions, kwargs))
            return original(*regions, **kwargs)

        details.refresh = spy  # type: ignore[method-assign]
        await pilot.press("down")
        await pilot.pause(0.1)
        after = details._lines
        assert details.text.startswith(events[row + 1].subject[:20])
        assert calls, "the pane did not repaint"
        assert all(regions and not kwargs.get("layout") for regions, kwargs in calls), calls
        blank = Strip.blank(details.size.width)
        changed = {
            y
            for y in range(height)
            if (before[y] if y < len(before) else blank) != (after[y] if y < len(after) else blank)
        }
        assert {region.y for regions, _ in calls for region in regions} == changed
        # Each repainted stretch stops where the lines stop differing.
        for regions, _ in calls:
            for region in regions:
                span = changed_span(before[region.y], after[region.y])
                assert span is not None and region.x == span[0]


def _lines(details: EventDetails, event: Any) -> int:
    return len(describe(event).wrap(details.app.console, details.size.width - 2))


async def test_the_scrollbar_stays_when_the_next_event_fits(fake_graph: FakeGraph) -> None:
    """Three panes side by side, the details pane tall: from an event whose details overflow
    to one whose details fit, the scrollbar stays and the screen is not laid out again (which
    would send it whole)."""
    async with make_app(fake_graph).run_test(size=(160, 45)) as pilot:
        app = await loaded(pilot)
        table, details = app.main.table, app.main.details
        assert isinstance(details, EventDetails)
        await pilot.pause(0.1)
        height = details.size.height
        events = table.visible_events
        row = next(i for i in range(len(events) - 1)
                   if _lines(details, events[i]) > height >= _lines(details, events[i + 1]))
        table.cursor = row
        await pilot.pause(0.2)
        assert details.show_vertical_scrollbar
        calls: list[dict[str, Any]] = []
        original = details.refresh

        def spy(*regions: Region, **kwargs: Any) -> EventDetails:
            calls.append(kwargs)
            return original(*regions, **kwargs)

        details.refresh = spy  # type: ignore[method-assign]
        await pilot.press("down")
        await pilot.pause(0.2)
        assert details.text.startswith(events[row + 1].subject[:20])
        assert details.show_vertical_scrollbar
        assert calls and not any(kwargs.get("layout") for kwargs in calls), calls
