"""The events pane: a virtual table that renders only the rows on screen.

A widget per row, or a DataTable row per event, costs time and memory in proportion to the
whole window; here a row costs nothing until it is scrolled into view, so a window of many
thousands of events loads and moves as fast as a short one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.commands import bindings
from tui.graph import Event
from tui.widgets.format import day_label, printable, time_label

MARK_ORGANIZER = "●"
MARK_ATTENDEE = "○"
MARK_RECURRING = "↻"
MARK_CANCELLED = "✕"

_DAY_W = 10
_TIME_W = 11
_MARKS_W = 3


def marks(event: Event) -> str:
    return (
        (MARK_ORGANIZER if event.is_organizer else MARK_ATTENDEE)
        + (MARK_RECURRING if event.is_recurring else " ")
        + (MARK_CANCELLED if event.is_cancelled else " ")
    )


class EventTable(ScrollView, can_focus=True):
    """Events of one calendar window, one line each, under a fixed header line."""

    BINDINGS = bindings("events")

    COMPONENT_CLASSES = {
        "event-table--header",
        "event-table--cursor",
        "event-table--cancelled",
        "event-table--day",
        "event-table--placeholder",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another event (or the table emptied: event is None)."""

        def __init__(self, event: Event | None) -> None:
            super().__init__()
            self.event = event

    class Opened(Message):
        """Enter or a double click on an event."""

        def __init__(self, event: Event) -> None:
            super().__init__()
            self.event = event

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._events: list[Event] = []
        self._placeholder = "Loading events…"
        self._last_highlighted: str | None = None

    # -- data ------------------------------------------------------------------------------

    @property
    def all_events(self) -> list[Event]:
        return self._events

    @property
    def current(self) -> Event | None:
        if 0 <= self.cursor < len(self._events):
            return self._events[self.cursor]
        return None

    def clear(self, placeholder: str = "Loading events…") -> None:
        self._events = []
        self._placeholder = placeholder
        self._resize()
        self.cursor = 0

    def set_placeholder(self, placeholder: str) -> None:
        self._placeholder = placeholder
        if not self._events:
            self.refresh()

    def extend(self, new: Iterable[Event]) -> None:
        """Append a page as it arrives; the cursor stays on the event it was on."""
        added = list(new)
        if not added:
            return
        self._events.extend(added)
        self._resize()
        if len(self._events) == len(added):
            self.cursor = 0
        else:
            self.refresh()

    def select_id(self, event_id: str) -> bool:
        for index, event in enumerate(self._events):
            if event.id == event_id:
                self.cursor = index
                return True
        return False

    def remove_id(self, event_id: str) -> Event | None:
        for index, event in enumerate(self._events):
            if event.id == event_id:
                del self._events[index]
                self._resize()
                self.cursor = min(self.cursor, max(len(self._events) - 1, 0))
                return event
        return None

    def _resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._events) + 1)
        self.refresh()

    # -- cursor ----------------------------------------------------------------------------

    @property
    def _visible_rows(self) -> int:
        return max(self.size.height - 1, 1)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._events) - 1)) if self._events else 0

    def watch_cursor(self, value: int) -> None:
        top = round(self.scroll_offset.y)
        if value < top:
            self.scroll_to(y=value, animate=False, immediate=True)
        elif value >= top + self._visible_rows:
            self.scroll_to(y=value - self._visible_rows + 1, animate=False, immediate=True)
        self.refresh()
        current = self.current
        current_id = current.id if current else None
        if current_id != self._last_highlighted:
            self._last_highlighted = current_id
            self.post_message(self.Highlighted(current))

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += self._visible_rows

    def action_page_up(self) -> None:
        self.cursor -= self._visible_rows

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._events) - 1

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        row = round(self.scroll_offset.y) + event.y - 1
        if 0 <= row < len(self._events):
            self.cursor = row
            if event.chain >= 2:
                self.action_open()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._events) + 1)
        self.cursor = self.cursor

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- rendering -------------------------------------------------------------------------

    def _widths(self, width: int) -> tuple[int, int, int, int, int]:
        organizer = max(min(24, (width - _DAY_W - _TIME_W - _MARKS_W) // 4), 8)
        subject = max(width - _DAY_W - _TIME_W - _MARKS_W - organizer - 5, 8)
        return _DAY_W, _TIME_W, _MARKS_W, subject, organizer

    def _line(self, cells: list[str], width: int, style: Style) -> Strip:
        widths = self._widths(width)
        segments: list[Segment] = [Segment(" ", style)]
        for text, cell_width in zip(cells, widths, strict=True):
            segments.append(Segment(set_cell_size(text, cell_width), style))
            segments.append(Segment(" ", style))
        strip = Strip(segments)
        return strip.adjust_cell_length(width, style)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("event-table--header")
            return self._line(["Day", "Time", "", "Subject", "Organizer"], width, base + header)
        top = round(self.scroll_offset.y)
        row = top + y - 1
        if not self._events:
            if y == 1:
                style = base + self.get_component_rich_style("event-table--placeholder")
                text = set_cell_size(" " + self._placeholder, width)
                return Strip([Segment(text, style)], width)
            return Strip.blank(width, base)
        if row >= len(self._events):
            return Strip.blank(width, base)
        event = self._events[row]
        style = base
        if event.is_cancelled:
            style += self.get_component_rich_style("event-table--cancelled")
        if row == self.cursor:
            style += self.get_component_rich_style("event-table--cursor")
        day = ""
        if event.start is not None:
            previous = self._events[row - 1] if row > 0 else None
            start_day: dt.date = event.start.date()
            if (
                row == top
                or previous is None
                or previous.start is None
                or (previous.start.date() != start_day)
            ):
                day = day_label(start_day)
        organizer = event.organizer.label
        cells = [
            day,
            time_label(event),
            marks(event),
            printable(event.subject, 500) or "(no subject)",
            printable(organizer, 200),
        ]
        return self._line(cells, width, style)
