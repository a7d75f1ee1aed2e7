"""The events pane: a virtual table that renders only the rows on screen.

A widget per row, or a DataTable row per event, costs time and memory in proportion to the
whole window; here a row costs nothing until it is scrolled into view, so a window of many
thousands of events loads and moves as fast as a short one.

Over SSH every repainted cell crosses the link, so a cursor move repaints only the two rows
it changes, each row goes out as one run of text per style, and rendered rows are cached for
the next scroll. Filtering scans one case-folded line of text per event (tui/feed/search.py)
and narrows from the previous matches while the user keeps typing. Those lines are built
once pages stop arriving, a chunk at a time, or at once by the first filter that needs them:
loading a window does not wait for them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
from collections.abc import Callable, Iterable

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from tui.commands import bindings
from tui.feed.search import Index
from tui.graph import Event
from tui.startup.textual_private import scroll_update
from tui.widgets.format import day_label, fit_cell, printable, time_label

MARK_ORGANIZER = "●"
MARK_ATTENDEE = "○"  # invited, no answer yet (or none asked for)
MARK_ACCEPTED = "◉"
MARK_TENTATIVE = "◐"
MARK_DECLINED = "⊘"
MARK_RECURRING = "↻"
MARK_CANCELLED = "✕"
MARK_SELECTED = "✓"

_DAY_W = 10
_TIME_W = 11
_MARKS_W = 3
_CACHE_ROWS = 512
# The filter's index is built when the loop has had nothing to do for a while (no page for
# _INDEX_AFTER seconds), a chunk at a time, so that a window streaming in is not slowed by it.
_INDEX_AFTER = 0.25
_INDEX_CHUNK = 1000  # a few milliseconds


# The first mark is the role and, for an invitation, the calendar owner's answer to it: the
# one thing triage decides, seen at a glance down the column.
_RESPONSE_MARKS = {
    "accepted": MARK_ACCEPTED,
    "tentativelyAccepted": MARK_TENTATIVE,
    "declined": MARK_DECLINED,
}


def role_mark(event: Event) -> str:
    if event.is_organizer:
        return MARK_ORGANIZER
    return _RESPONSE_MARKS.get(event.my_response, MARK_ATTENDEE)


def marks(event: Event) -> str:
    return (
        role_mark(event)
        + (MARK_RECURRING if event.is_recurring else " ")
        + (MARK_CANCELLED if event.is_cancelled else " ")
    )


def _when(event: Event) -> tuple[float, float]:
    start = event.start.timestamp() if event.start else 0.0
    return start, event.end.timestamp() if event.end else start


class EventTable(ScrollView, can_focus=True):
    """Events of one calendar window, one line each, under a fixed header line."""

    BINDINGS = bindings("events")

    COMPONENT_CLASSES = {
        "event-table--header",
        "event-table--cursor",
        "event-table--cancelled",
        "event-table--day",
        "event-table--placeholder",
        "event-table--marked",
    }

    # repaint=False: watch_cursor repaints just the rows that change.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

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
        self._all: list[Event] = []
        self._events: list[Event] = self._all  # the rows shown: all, or the filter's matches
        self._index = Index()
        self._index_timer: Timer | None = None
        self._filter = ""  # case-folded
        self._keep: Callable[[Event], bool] | None = None
        self._matches: list[int] = []  # positions in _all of the filter's matches
        self._placeholder = "Loading events…"
        self._marked: set[str] = set()
        self._last_highlighted: str | None = None
        self._drawn_cursor = 0
        self._strips: dict[tuple[int, int, int, bool, bool], Strip] = {}

    # -- data ------------------------------------------------------------------------------

    @property
    def all_events(self) -> list[Event]:
        """Every event of the window, whether or not the filter shows it."""
        return self._all

    @property
    def visible_events(self) -> list[Event]:
        """The rows on offer: the filter's matches, or every event without a filter."""
        return self._events

    @property
    def filter_text(self) -> str:
        return self._filter

    @property
    def current(self) -> Event | None:
        if 0 <= self.cursor < len(self._events):
            return self._events[self.cursor]
        return None

    def clear(self, placeholder: str = "Loading events…") -> None:
        self._all = []
        self._index.reset()
        self._matches = []
        self._events = self._all if not self.filtering else []
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
        was_empty = not self._events
        shown_before = len(self._events)
        first = len(self._all)
        self._all.extend(added)
        # Matched now while a text filter holds: their haystacks are needed now.
        hays = self._index.add(added, now=bool(self._filter))
        if not self._filter:
            self._index_later()
        if self.filtering:
            needle, keep = self._filter.encode(), self._keep
            found = [
                first + i
                for i, h in enumerate(hays)
                if (h is None or needle in h) and (keep is None or keep(added[i]))
            ]
            self._matches.extend(found)
            self._events.extend(self._all[i] for i in found)
        # The rows live as long as the window: keep them out of the cyclic collector's
        # scans, whose full passes over a big window would stall the UI.
        gc.freeze()
        if shown_before < round(self.scroll_offset.y) + self._visible_rows:
            self._resize()  # new rows on screen: draw them
        else:
            self._grow()
        if was_empty and self._events:
            self.cursor = 0

    def select_id(self, event_id: str) -> bool:
        for index, event in enumerate(self._events):
            if event.id == event_id:
                self.cursor = index
                # Rows just added are not laid out yet, so the scroll above stopped short.
                self.call_after_refresh(self._show_cursor)
                return True
        return False

    def _show_cursor(self, tries: int = 3) -> None:
        top = round(self.scroll_offset.y)
        if not top <= self.cursor < top + self._visible_rows:
            self.scroll_to(y=max(self.cursor - self._visible_rows // 2, 0), animate=False,
                           immediate=True)
            self.refresh()
            if tries and not self.allow_vertical_scroll:
                # No scrollbar yet, so no scrolling: the screen has not been laid out since
                # the rows came. Again after the next refresh, which lays it out.
                self.call_after_refresh(self._show_cursor, tries - 1)

    def remove_id(self, event_id: str) -> Event | None:
        for index, event in enumerate(self._all):
            if event.id == event_id:
                del self._all[index]
                self._index.delete(index)
                if self.filtering:
                    self._apply(self._filter, self._keep, narrow=False)
                self._resize()
                self.cursor = min(self.cursor, max(len(self._events) - 1, 0))
                return event
        return None

    def apply(self, upserts: Iterable[Event], removed: Iterable[str] = (), *,
              keep_only: set[str] | None = None) -> None:
        """Merge changes in place (a sync, or a page of an unordered delta round): changed
        events replace their rows, new ones take their place by time, `removed` ids (and,
        with `keep_only`, every id not in it) go. The cursor stays on its event, the filter
        stays applied."""
        current = self.current
        by_id = {event.id: i for i, event in enumerate(self._all)}
        events, hays = self._all, self._index.lines
        gone = set(removed)
        if keep_only is not None:
            gone.update(e.id for e in events if e.id not in keep_only)
        fresh: dict[str, Event] = {}
        replaced = 0
        for event in upserts:
            index = by_id.get(event.id)
            if index is None:
                fresh[event.id] = event
            else:
                events[index] = event
                hays[index] = None
                replaced += 1
        gone &= by_id.keys() | fresh.keys()
        if not fresh and not gone and not replaced:
            return
        rows = [(e, h) for e, h in zip(events, hays, strict=True) if e.id not in gone]
        rows += [(e, None) for e in fresh.values() if e.id not in gone]
        if fresh or replaced:  # a changed event may have moved; nearly sorted: linear
            rows.sort(key=lambda row: _when(row[0]))
        self._all = [e for e, _ in rows]
        self._index.reset([h for _, h in rows])
        self._index_later()
        self._apply(self._filter, self._keep, narrow=False)
        self._strips.clear()
        self._resize()
        if current is not None and current.id not in gone and self.select_id(current.id):
            return
        self.cursor = min(self.cursor, max(len(self._events) - 1, 0))

    def set_marked(self, event_ids: set[str]) -> None:
        """Which events carry the bulk-cancel mark (ids; kept by the screen)."""
        self._marked = event_ids
        self._strips.clear()
        self.refresh()

    def set_filter(self, text: str, keep: Callable[[Event], bool] | None = None) -> None:
        """Show only events whose subject, organizer, attendees or location contain `text`
        (case-insensitive) and, if given, for which `keep` is true (the quick toggles); an
        empty text and no `keep` show every event. The cursor keeps its event when that
        event still matches."""
        needle = text.strip().casefold()
        if needle == self._filter and keep is self._keep:
            return
        # Where the cursor's event sits among all events (matches are in that order).
        at = -1
        if self.current is not None:
            at = self._matches[self.cursor] if self.filtering else self.cursor
        # Typing on narrows the previous matches: no need to scan every event again.
        narrow = keep is self._keep and bool(self._filter) and self._filter in needle
        self._apply(needle, keep, narrow=narrow)
        self._resize()
        position = 0
        if at >= 0 and not self.filtering:
            position = at
        elif at >= 0:
            found = bisect.bisect_left(self._matches, at)
            if found < len(self._matches) and self._matches[found] == at:
                position = found
        self.scroll_to(y=max(position - self._visible_rows // 2, 0), animate=False,
                       immediate=True)
        self._drawn_cursor = position
        self.cursor = position

    @property
    def filtering(self) -> bool:
        return bool(self._filter) or self._keep is not None

    def _apply(self, needle: str, keep: Callable[[Event], bool] | None, *, narrow: bool) -> None:
        self._filter = needle
        self._keep = keep
        if not needle and keep is None:
            self._matches = []
            self._events = self._all
            return
        every = self._all
        candidates = self._matches if narrow else range(len(every))
        if not needle:  # the quick toggles alone: no text to match
            self._matches = [i for i in candidates if keep is None or keep(every[i])]
        else:
            # Every haystack is built first: a filter typed before the idle builder is done
            # builds the rest now (at most the events that came since the loop last had
            # _INDEX_AFTER to spare). Narrowing: the previous matches' are built.
            hays, encoded = self._index.complete(every), needle.encode()
            self._matches = [
                i for i in candidates if encoded in hays[i] and (keep is None or keep(every[i]))
            ]
        self._events = [every[i] for i in self._matches]

    # -- the filter's index ----------------------------------------------------------------

    @property
    def index_pending(self) -> int:
        """How many events the filter's index has yet to take in."""
        return self._index.pending

    def _index_later(self) -> None:
        """Build the missing haystacks once no page has come for `_INDEX_AFTER` seconds."""
        if self._index_timer is not None:
            self._index_timer.reset()
        elif self.is_mounted:
            self._index_timer = self.set_timer(_INDEX_AFTER, self._index_some,
                                               name="filter-index")

    def _index_some(self) -> None:
        self._index_timer = None
        if self._index.build_more(self._all, _INDEX_CHUNK):
            self._index_timer = self.set_timer(0.01, self._index_some, name="filter-index")

    def _grow(self) -> None:
        """More rows below the screen: only the scrollbar changes. The rows drawn and their
        cached lines stay, and the screen is not laid out again (a ScrollView owns its
        virtual size; Textual's own resize path does the same `_scroll_update`), which
        keeps a page arriving at a refreshed scrollbar instead of a whole new layout."""
        size = Size(self.size.width, len(self._events) + 1)
        if not self.show_vertical_scrollbar or size.width != self.virtual_size.width:
            self.virtual_size = size  # the scrollbar appears: that needs a layout
            return
        self.set_reactive(EventTable.virtual_size, size)
        scroll_update(self, size)

    def _resize(self) -> None:
        self._strips.clear()
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
        new_top = round(self.scroll_offset.y)
        if new_top == top:
            # Only the rows that lost and gained the cursor change.
            self._refresh_row(self._drawn_cursor, top)
            self._refresh_row(value, top)
        else:
            self.refresh()
        self._drawn_cursor = value
        current = self.current
        current_id = current.id if current else None
        if current_id != self._last_highlighted:
            self._last_highlighted = current_id
            self.post_message(self.Highlighted(current))

    def _refresh_row(self, row: int, top: int) -> None:
        y = row - top + 1
        if 1 <= y <= self._visible_rows:
            self.refresh(Region(0, y, self.size.width, 1))

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
        self._strips.clear()
        self.virtual_size = Size(event.size.width, len(self._events) + 1)
        self.cursor = self.cursor

    def on_unmount(self) -> None:
        gc.unfreeze()  # let the collector see the rows again once they can go

    def on_focus(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    # -- rendering -------------------------------------------------------------------------

    def _widths(self, width: int) -> tuple[int, int, int, int, int]:
        # The lead column and a gap after each cell: 29 cells besides subject and organizer
        # (the last gap may fall off the edge).
        rest = width - _DAY_W - _TIME_W - _MARKS_W - 5
        if rest < 16:  # no room for both at 8 cells: the subject takes it all
            return _DAY_W, _TIME_W, _MARKS_W, max(rest, 1), 0
        organizer = max(min(24, (width - _DAY_W - _TIME_W - _MARKS_W) // 4), 8)
        return _DAY_W, _TIME_W, _MARKS_W, rest - organizer, organizer

    def _line(self, cells: list[str], inner: int, width: int, style: Style,
              lead: str = " ") -> Strip:
        """One row as a single segment: one style run costs the terminal one escape code.
        The columns fill `inner` cells, what the scrollbar leaves of `width`; a cell too
        long for its column ends in "…"."""
        widths = self._widths(inner)
        text = lead + "".join(
            fit_cell(cell, cell_width) + " "
            for cell, cell_width in zip(cells, widths, strict=True)
        )
        return Strip([Segment(set_cell_size(text, width), style)], width)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        inner = self.scrollable_content_region.width  # the scrollbar covers the rest
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("event-table--header")
            return self._line(["Day", "Time", "", "Subject", "Organizer"], inner, width,
                              base + header)
        top = round(self.scroll_offset.y)
        row = top + y - 1
        if not self._events:
            if y == 1:
                style = base + self.get_component_rich_style("event-table--placeholder")
                placeholder = self._placeholder
                if self._filter and self._all:
                    placeholder = f"No events match “{printable(self._filter, 80)}”."
                elif self._keep is not None and self._all:
                    placeholder = "No events match the quick filters."
                text = set_cell_size(" " + placeholder, width)
                return Strip([Segment(text, style)], width)
            return Strip.blank(width, base)
        if row >= len(self._events):
            return Strip.blank(width, base)
        key = (row, inner, width, row == top, row == self.cursor)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > _CACHE_ROWS:
                self._strips.clear()
            strip = self._strips[key] = self._render_row(row, top, inner, width, base)
        return strip

    def _render_row(self, row: int, top: int, inner: int, width: int, base: Style) -> Strip:
        event = self._events[row]
        style = base
        if event.is_cancelled:
            style += self.get_component_rich_style("event-table--cancelled")
        marked = event.id in self._marked
        if marked:
            style += self.get_component_rich_style("event-table--marked")
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
        cells = [
            day,
            time_label(event),
            marks(event),
            printable(event.subject, 500) or "(no subject)",
            printable(event.organizer.label, 200),
        ]
        return self._line(cells, inner, width, style, MARK_SELECTED if marked else " ")
