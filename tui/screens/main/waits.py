"""Graph's waits on the main screen's status line: "retrying in…" while a request waits
(throttled, a server busy), and the line from before it back once the wait is over."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from tui.widgets.status_bar import StatusBar, StatusKind

if TYPE_CHECKING:  # it imports httpx, which the first screen does without
    from tui.graph.policy import WaitNotice


class WaitLines:
    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen
        self._lines: set[str] = set()  # "retrying in…" lines shown
        self._before: tuple[str, StatusKind] = ("", "info")

    def show(self, notice: WaitNotice) -> None:
        status, line = self.screen.query_one(StatusBar), notice.message + "…"
        if status.message not in self._lines:
            self._before = (status.message, status.kind)
        self._lines.add(line)
        status.show(line, "busy")
        # Nothing else may follow a retry that worked (a background load, say): once the
        # wait is over, the line before it comes back unless something else was said since.
        self.screen.set_timer(notice.seconds + 0.5, partial(self._over, line))

    def _over(self, line: str) -> None:
        status = self.screen.query_one(StatusBar)
        if status.message == line:
            status.show(*self._before)
