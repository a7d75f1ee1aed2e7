"""The details pane: everything a user needs to decide about one event.

Every cursor move in the events table shows another event here, and over SSH every repainted
cell crosses the link. So the pane draws its own lines (Textual's line API) and, when the event
changes, repaints only the stretch of each line that differs from what is on screen: the labels,
the border and the blank ends of lines stay put, and the layout of the screen is not touched.
"""

from __future__ import annotations

from time import monotonic

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.visual import Visual, visualize

from tui.commands import bindings
from tui.graph import Event
from tui.graph.recurrence import Recurrence
from tui.widgets.format import (
    printable,
    printable_block,
    recurrence_label,
    response_label,
    when_label,
)


def describe(event: Event, series: Recurrence | None = None, owner: str | None = None) -> Text:
    """The event as styled text; server strings are appended as plain text, never markup.
    `owner`: a calendar of one's own mailbox is another person's (one they share)."""
    text = Text()
    text.append(printable(event.subject) or "(no subject)", style="bold")
    text.append("\n")
    if event.is_cancelled:
        text.append("Cancelled by the organizer\n", style="bold red")
    text.append(when_label(event) + "\n", style="italic")
    pattern = event.recurrence or series
    if event.is_occurrence:
        text.append("One occurrence of a recurring series\n")
    elif event.type == "seriesMaster":
        text.append("A recurring series\n")
    if pattern is not None:
        text.append(printable(recurrence_label(pattern)) + "\n", style="dim")  # server words

    def field(label: str, value: str) -> None:
        text.append(f"\n{printable(label, 200)}: ", style="bold")
        text.append(printable(value))

    organizer = event.organizer
    who = organizer.label + (
        f" <{organizer.address}>" if organizer.name and organizer.address else ""
    )
    field("Organizer", who)
    mailbox = event.ref.mailbox
    if mailbox.kind == "me" and owner is None:
        field("You", "organize this meeting" if event.is_organizer
              else response_label(event.my_response))
    elif mailbox.kind == "me":
        # A calendar shared with the user: Graph's flags there are its owner's.
        field(owner or "", "organizes this meeting" if event.is_organizer
              else response_label(event.my_response))
    else:
        # In another mailbox Graph's isOrganizer and responseStatus are its owner's, not yours.
        owner = mailbox.id if mailbox.kind == "user" else "The group"
        field(owner, "organizes this meeting" if event.is_organizer
              else response_label(event.my_response))
    if event.location:
        field("Location", event.location)
    if event.online_meeting_url:
        field("Online meeting", event.online_meeting_url)
    if event.web_link:
        field("In Outlook", "o opens it, y copies the link")
    attendees = event.attendees
    text.append(f"\n\nAttendees ({len(attendees)})", style="bold")
    if not attendees:
        text.append("\n  none")
    for attendee in attendees:
        text.append("\n  ")
        text.append(printable(attendee.person.label, 200))
        note = response_label(attendee.response)
        if attendee.type != "required":
            note = f"{attendee.type}, {note}"
        text.append(f"  ({printable(note, 100)})", style="dim")  # an unknown type is as sent
    if event.unreadable:
        names = printable(", ".join(event.unreadable), 500)
        text.append(f"\n\nGraph sent fields cal365 could not read: {names}", style="italic")
    if event.body_preview.strip():
        text.append("\n\n")
        text.append(printable_block(event.body_preview.strip()))
    return text


_Cell = tuple[str, Style | None]


def _cells(strip: Strip) -> list[_Cell] | None:
    """The strip cell by cell, or None when a character is wider than one cell."""
    cells: list[_Cell] = []
    for text, style, _control in strip:
        if cell_len(text) != len(text):
            return None
        cells.extend((char, style) for char in text)
    return cells


def changed_span(old: Strip, new: Strip) -> tuple[int, int] | None:
    """The cells [start, end) where `new` differs from `old`; None when they are the same."""
    if old == new:
        return None
    before, after = _cells(old), _cells(new)
    if before is None or after is None:
        return 0, max(old.cell_length, new.cell_length)
    length = max(len(before), len(after))
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = length
    if len(before) == len(after):
        while end > start and before[end - 1] == after[end - 1]:
            end -= 1
    return (start, end) if end > start else None


def _bar_rows(bar: ScrollBar, virtual: int) -> list[Segment]:
    """The vertical bar as Textual draws it: one segment per row."""
    window = bar.window_size if bar.window_size < virtual else 0
    rendered = ScrollBarRender.render_bar(
        size=bar.size.height, virtual_size=virtual, window_size=window,
        position=bar.position, thickness=bar.thickness, vertical=True)
    return list(rendered.segments)


def _move_thumb(bar: ScrollBar, virtual: int) -> None:
    """Give the scrollbar a new content length, repainting only the rows whose thumb
    changes (usually one or two) instead of the whole bar."""
    before = _bar_rows(bar, bar.window_virtual_size)
    bar.set_reactive(ScrollBar.window_virtual_size, virtual)
    after = _bar_rows(bar, virtual)
    for y, (old, new) in enumerate(zip(before, after, strict=False)):
        if old != new:
            bar.refresh(Region(0, y, bar.size.width, 1))


class DetailsFrame(Vertical):
    """The details pane's border and padding, drawn apart from its lines.

    Textual repaints a changed line of a widget from the widget's left edge: were the border
    the pane's own, every changed line would resend the border and the padding first."""

    def __init__(self, details: EventDetails, *, id: str | None = None) -> None:
        super().__init__(details, id=id)
        self.border_title = "Details"


class EventDetails(ScrollView, can_focus=True):
    BINDINGS = bindings("details")
    # While a key repeats (every 30-40 ms), the pane follows at most this often: each paint
    # of another event crosses the link, and no one reads the ones a held key runs past.
    interval = 0.1

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text("No event selected.", style="dim")
        self._lines: list[Strip] = []
        self._width = -1  # the width _lines were wrapped at
        self._showing: tuple[Event | None, Recurrence | None, str | None] = (None, None, None)
        self._pending = False
        self._painted = -1e9  # monotonic time of the last paint

    @property
    def text(self) -> str:
        """What the pane shows, as plain text."""
        return self._text.plain

    def show(self, event: Event | None, series: Recurrence | None = None,
             owner: str | None = None) -> None:
        """Show `event`; `series` is its series' pattern when the event is an occurrence;
        `owner` as for `describe`.

        The pane follows in the frame after the one that moves the table's cursor: the
        cursor is not held up by the details. Within `interval` of the last paint (a held
        key) the pane waits out the interval and then shows the last event asked for: never
        more than one paint per interval, and the event under the cursor always shown once
        the keys stop."""
        self._showing = (event, series, owner)
        if self._pending:
            return  # a paint is due already; it shows what was asked last
        self._pending = True
        wait = self._painted + self.interval - monotonic()
        if wait > 0:
            self.set_timer(wait, self._show_now, name="details-trailing")
        else:
            self.call_after_refresh(self._show_now)

    def _show_now(self) -> None:
        self._pending = False
        self._painted = monotonic()
        event, series, owner = self._showing
        if event is not None:
            self.add_class("-shown")  # the scrollbar stays from now on (cal365.tcss)
        self._text = Text("No event selected.", style="dim") if event is None else (
            describe(event, series, owner))
        if self.scroll_y:
            self.scroll_to(y=0, animate=False, immediate=True)  # repaints the whole pane
        self._rewrap(repaint_all=False)

    def _wrap(self, width: int) -> list[Strip]:
        visual = visualize(self, self._text, markup=False)
        return Visual.to_strips(self, visual, width, None, self.visual_style, pad=True)

    def _rewrap(self, *, repaint_all: bool) -> None:
        if not self.is_mounted or not self.size:
            return
        full, height = self.size  # scrollbar included
        overflow = self.styles.overflow_y
        bar = self.styles.scrollbar_size_vertical if overflow != "hidden" else 0
        # Wrapping costs most of a cursor move: wrap once, beside the scrollbar if the pane
        # has one now, and again only if the new text wants the other layout.
        width = full - bar if self.show_vertical_scrollbar else full
        lines = self._wrap(width)
        if overflow == "scroll":
            pass  # the scrollbar is always there (cal365.tcss): one width, one layout
        elif bar and width == full and len(lines) > height:
            width = full - bar  # too long for the pane: beside a scrollbar
            lines = self._wrap(width)
        elif width != full and len(lines) <= height:
            width = full  # fits: no scrollbar, the whole width
            lines = self._wrap(width)
        old, self._lines = self._lines, lines
        resized = width != self._width
        self._width = width
        size = Size(width, len(lines))
        if size != self.virtual_size:
            comes_or_goes = overflow != "scroll" and (len(lines) > height) != (len(old) > height)
            if resized or comes_or_goes:
                self.virtual_size = size  # the scrollbar comes or goes: a new layout
            else:
                # Only the scrollbar's thumb changes: no need to lay the screen out again,
                # which would repaint other widgets too.
                self.set_reactive(EventDetails.virtual_size, size)
                if self.show_vertical_scrollbar:
                    _move_thumb(self.vertical_scrollbar, len(lines))
        if repaint_all or resized:
            self.refresh()
            return
        top = round(self.scroll_y)
        blank = Strip.blank(width)
        for y in range(min(height, max(len(old), len(lines)) - top)):
            row = top + y
            before = old[row] if row < len(old) else blank
            after = lines[row] if row < len(lines) else blank
            span = changed_span(before, after)
            if span is not None:
                self.refresh(Region(span[0], y, span[1] - span[0], 1))

    def on_resize(self) -> None:
        self._rewrap(repaint_all=True)

    def on_mount(self) -> None:
        self._rewrap(repaint_all=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._width = -1  # styles changed (focus, theme): wrap and paint afresh
        self.call_later(self._rewrap, repaint_all=True)

    def render_line(self, y: int) -> Strip:
        row = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if row < len(self._lines):
            return self._lines[row].crop_extend(0, width, self.visual_style.rich_style)
        return Strip([Segment(" " * width, self.visual_style.rich_style)], width)
