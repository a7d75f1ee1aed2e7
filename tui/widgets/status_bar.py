"""The status bar: a line of its own above the footer that says what happened last.

Unlike a toast it stays until the next message, so an error such as Graph's organizer
rejection can be read at leisure.
"""

from __future__ import annotations

from collections import deque
from typing import Literal

from rich.text import Text
from textual.widgets import Static

from tui.widgets.format import printable

StatusKind = Literal["info", "busy", "success", "error"]
_PREFIX: dict[StatusKind, str] = {"info": "", "busy": "… ", "success": "✓ ", "error": "✗ "}


class StatusBar(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.kind: StatusKind = "info"
        self.message = ""
        # The last lines shown, newest last: what scrolled past while the user looked away.
        self.history: deque[tuple[StatusKind, str]] = deque(maxlen=100)

    def show(self, message: str, kind: StatusKind = "info") -> None:
        self.kind = kind
        self.message = message
        self.history.append((kind, message))
        for name in _PREFIX:
            self.set_class(name == kind, f"-{name}")
        self.update(Text(_PREFIX[kind] + printable(message, 1000), end=""))
