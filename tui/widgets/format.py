"""Fitting text into terminal cells (titles, the status line, table cells), and the words of
tui.words that the widgets and screens use with them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

# The UI-free words live in tui.words; the widgets and screens take them from here too.
from tui.words import (
    RESPONSES,
    comment_problem,
    counted,
    day_label,
    printable,
    printable_block,
    recurrence_label,
    response_label,
    time_label,
    when_label,
)

__all__ = [
    "RESPONSES",
    "comment_problem",
    "counted",
    "day_label",
    "fit_bar",
    "fit_cell",
    "fit_title",
    "printable",
    "printable_block",
    "recurrence_label",
    "response_label",
    "shorten",
    "time_label",
    "when_label",
]


def fit_cell(text: str, width: int) -> str:
    """`text` in exactly `width` terminal cells: padded, or cut and ending in "…" so a cut
    word never reads as a whole one. Cells, not characters: CJK and emoji take two, and a
    wide character that would straddle the cut goes whole."""
    if width <= 0:
        return ""
    if len(text) <= width and text.isascii():  # the common case, without measuring
        return text.ljust(width)
    size = cell_len(text)
    if size <= width:
        return text + " " * (width - size)
    head = set_cell_size(text, width - 1).rstrip()
    return head + "…" + " " * (width - 1 - cell_len(head))


def shorten(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, ending in "…" when cut (no padding)."""
    return text if cell_len(text) <= width else fit_cell(text, width).rstrip()


TITLE_NAME_MIN = 8  # cells a calendar's name keeps ("Holiday…") before the view's name goes


def fit_title(name: str, window_forms: Sequence[str], width: int) -> str:
    """A pane title "name · window" in `width` cells. The window's dates are what the user
    cannot see elsewhere, so they stay whole: the name is shortened first, then the
    window's longer forms give way to shorter ones, and only then does the name go."""
    for form in window_forms:
        room = width - cell_len(form) - 3  # " · "
        if cell_len(name) <= room:
            return f"{name} · {form}"
        if room >= TITLE_NAME_MIN:
            return f"{shorten(name, room)} · {form}"
    for form in window_forms:
        if cell_len(form) <= width:
            return form
    return shorten(window_forms[-1], width)


def fit_bar(who: str, fresh: str, width: int) -> str:
    """"cal365 · who · fresh" in `width` cells (0: not laid out yet, the whole line). The
    freshness ("offline — as of 17:40") is what the user must not miss: `who` is shortened,
    then left out, before it is."""
    tail = f" · {fresh}" if fresh else ""
    full = f"cal365 · {who}{tail}" if who else f"cal365{tail}"
    if width <= 0 or cell_len(full) <= width:
        return full
    room = width - cell_len(f"cal365 · {tail}")
    if who and room >= TITLE_NAME_MIN:
        return f"cal365 · {shorten(who, room)}{tail}"
    bare = f"cal365{tail}"
    return bare if cell_len(bare) <= width else shorten(fresh or bare, width)


