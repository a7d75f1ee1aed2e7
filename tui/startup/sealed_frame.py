"""The last screen cal365 showed, kept in the cache so the next start can paint it at once.

A warm start's own first frame costs the imports and the layout of the whole main screen;
this one widget costs what an empty Textual app does. It is shown only when nothing it
shows has changed since (see `CacheStore.frame`), and only until the main screen, built
from the same cache, takes its place a moment later.

The encoding is small and plain: each line a list of text runs and indexes into a table of
Rich style definitions. Links and other metadata are left out: the frame is not interactive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from tui.text import has_unsafe

VERSION = 1


class FrameUnreadable(ValueError):
    """Not a frame this version of cal365 wrote."""


def encode(lines: Iterable[Iterable[Segment]], size: Size) -> bytes:
    """A frame of `size` cells from its lines of segments."""
    styles: dict[str, int] = {}
    rows: list[list[str | int]] = []
    for line in lines:
        row: list[str | int] = []
        for text, style, control in line:
            if control or not text:
                continue
            definition = "" if style is None else _definition(style)
            row += [text, styles.setdefault(definition, len(styles))]
        rows.append(row)
    return json.dumps({"v": VERSION, "w": size.width, "h": size.height, "styles": list(styles),
                       "lines": rows}, separators=(",", ":")).encode("utf-8")


def _definition(style: Style) -> str:
    # Style.parse reads back what str() writes; metadata (click handlers, offsets) is not
    # part of it, which is what a frame nobody can click wants.
    return str(Style(color=style.color, bgcolor=style.bgcolor, bold=style.bold,
                     dim=style.dim, italic=style.italic, underline=style.underline,
                     reverse=style.reverse, strike=style.strike))


def decode(frame: bytes, size: Size) -> list[Strip]:
    """The frame's lines as strips; FrameUnreadable if it is not a frame of `size`."""
    try:
        data = json.loads(frame)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise FrameUnreadable("not a frame of this version")
        if (data["w"], data["h"]) != (size.width, size.height):
            raise FrameUnreadable("a frame of another size")
        styles = [Style.parse(text) if text else Style() for text in data["styles"]]
        strips = []
        for row in data["lines"]:
            texts = row[0::2]
            # A file's text: anything `inert` would change (controls, C1, bidi, format
            # characters) never goes to the terminal; the frame is refused instead.
            if any(not isinstance(t, str) or has_unsafe(t) for t in texts):
                raise FrameUnreadable("a frame with control characters")
            segments = [Segment(row[i], styles[row[i + 1]]) for i in range(0, len(row), 2)]
            strips.append(Strip(segments).crop_extend(0, size.width, None))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError,
            RecursionError) as error:
        raise FrameUnreadable(str(error)) from error
    if len(strips) != size.height:
        raise FrameUnreadable("a frame with lines missing")
    return strips


class SealedFrame(Widget):
    """Paints the decoded lines as they are; nothing in it reacts to the mouse or keys."""

    def __init__(self, strips: list[Strip]) -> None:
        super().__init__()
        self._strips = strips

    def render_line(self, y: int) -> Strip:
        return self._strips[y] if 0 <= y < len(self._strips) else Strip.blank(self.size.width)

    # Sized by its content, so it needs no stylesheet: it is painted before one is read.
    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((strip.cell_length for strip in self._strips), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._strips)
