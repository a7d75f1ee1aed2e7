"""Run start-up work once a screen's frame is on the terminal, not before it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.screen import Screen

from tui.startup.textual_private import in_batch

# At the latest, work waiting for a paint starts this many seconds after it was queued.
PAINT_AT_LATEST = 0.5


class PaintWatcher(Screen[None]):
    """A screen that can run work after the frame showing what it holds now is written."""

    _paint_waiters: list[Callable[[], object]] | None = None

    def after_paint(self, callback: Callable[[], object]) -> None:
        """Run `callback` once what the screen holds now is on the terminal.

        For start-up work that would hold the event loop (imports, the HTTP client's
        set-up, the rest of a cache read, the keyring): started before the frame that
        paints the first rows, it delays those rows. A paint shows as the screen's layout
        signal outside a batch of updates (Textual writes no frame inside one); a timer
        stands in if none comes."""
        if self._paint_waiters is None:
            self._paint_waiters = []
            self.screen_layout_refresh_signal.subscribe(self, self._laid_out)
        self._paint_waiters.append(callback)
        self.set_timer(PAINT_AT_LATEST, self.painted)

    def _laid_out(self, _screen: Screen[object]) -> None:
        # Laid out inside a batch of updates (as at start-up), the frame is not written:
        # Textual writes it when the batch ends, and lays out again then.
        if not in_batch(self.app):
            self.painted()

    def painted(self) -> None:
        waiters, self._paint_waiters = self._paint_waiters or [], []
        for callback in waiters:
            callback()

    async def wait_for_paint(self) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def resolve() -> None:
            if not done.done():
                done.set_result(None)

        self.after_paint(resolve)
        await done
