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
    _key_waiters: list[Callable[[], object]] | None = None

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

    def keys_waiting(self) -> bool:
        """The app still holds the keys typed while it started (`keys_on_hold`): it hands
        them to this screen once its first frame is up, then calls `keys_handed_on`."""
        return bool(getattr(self.app, "keys_on_hold", False))

    def after_paint_and_keys(self, callback: Callable[[], object]) -> None:
        """`after_paint`, and not before the keys typed during the start are answered: the
        requests and syncs that follow a first frame (the HTTP stack's import, the replies
        and their repaints) would hold back the answer to a key the user is waiting on."""
        def run() -> None:
            if self.keys_waiting():
                if self._key_waiters is None:
                    self._key_waiters = []
                self._key_waiters.append(callback)
            else:
                callback()

        self.after_paint(run)

    def keys_handed_on(self) -> None:
        """The keys typed during the start went to their handlers: what waited for them
        runs once their answer is on the terminal (a screen they opened painted, or this
        one repainted; at the latest after PAINT_AT_LATEST)."""
        waiters, self._key_waiters = self._key_waiters or [], None
        if not waiters:
            return
        top = self.app.screen
        done = False

        def run(_screen: object = None) -> None:
            nonlocal done
            if done or (_screen is not None and in_batch(self.app)):
                return  # a layout inside a batch writes no frame: wait for the next one
            done = True
            if top is not self:
                top.screen_layout_refresh_signal.unsubscribe(self)
            for callback in waiters:
                callback()

        if top is self:
            self.after_paint(run)
            return
        top.screen_layout_refresh_signal.subscribe(self, run)
        self.set_timer(PAINT_AT_LATEST, run)

    async def wait_for_paint(self, *, keys_first: bool = False) -> None:
        """Until `after_paint` (or `after_paint_and_keys` with `keys_first`) would run."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def resolve() -> None:
            if not done.done():
                done.set_result(None)

        (self.after_paint_and_keys if keys_first else self.after_paint)(resolve)
        await done
