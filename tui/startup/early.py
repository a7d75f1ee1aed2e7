"""What a start began before Textual was imported, handed to the app as one object.

The command begins the work (tui/cli.py: the cache's opening and the sealed last frame's
read, or the head start's first page); the app asks `EarlyStart` for what it needs when it
needs it and knows nothing of forks, threads or frames:

* `frame_screen`: the sealed last frame, to paint before the main screen is built;
* `begin_cache` and `wait_for_cache`: the cache opens while the main screen's modules load,
  and its first rows are in that screen's first frame when they come soon enough;
* `cache` and `head_start`: what the main screen opens its cache with, and its first page.

No Textual at load: this is imported before the app's first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.startup.opening import CacheOpener, CacheOpening, StartedOpen

if TYPE_CHECKING:
    from textual.geometry import Size

    from tui.cache import CacheStore
    from tui.startup.frame import FrameScreen
    from tui.startup.headstart import HeadStart

# How long the first frame waits for the cache (opening since the process began) to hand
# over the sealed last frame; a keyring slower than this costs only the quick first frame.
FRAME_WAIT = 0.3
# How long the main screen waits for the cache to open before it shows without its rows:
# behind a sealed frame, and on a terminal that shows nothing yet (a keyring that asks for
# a password must not leave it blank for long).
MAIN_WAIT = 1.0
MAIN_WAIT_BLANK = 0.25


class EarlyStart:
    """The cache's opening and the head start, as the command began them (or not at all:
    an opener given as it is, as tests and tools do, opens when the main screen asks)."""

    def __init__(self, cache: CacheOpener | None = None,
                 head_start: HeadStart | None = None) -> None:
        self._begun = cache if isinstance(cache, StartedOpen) else None
        self.cache: CacheOpening | None = (
            self._begun if self._begun is not None or cache is None else _NotBegun(cache))
        self.head_start = head_start

    def frame_screen(self, size: Size, then: Callable[[], object]) -> FrameScreen | None:
        """A screen showing the last frame kept in the cache, if this start has one made
        for a terminal of `size`; it calls `then` once that frame is on the terminal."""
        if self._begun is None or self.head_start is not None:
            return None  # a head start is made only when there is no cache to show
        frame = self._begun.first_frame(FRAME_WAIT)
        if frame is None:
            return None
        from tui.startup.sealed_frame import FrameUnreadable, decode

        try:
            strips = decode(frame, size)
        except FrameUnreadable:
            return None
        from tui.startup.frame import FrameScreen

        return FrameScreen(strips, then=then)

    def begin_cache(self) -> None:
        """Open the cache from now on (while the main screen's modules load), if a sealed
        frame held it back."""
        if self._begun is not None:
            self._begun.start()

    def wait_for_cache(self, *, behind_frame: bool) -> None:
        """A moment for the cache to open, so that the main screen's first frame shows the
        cached rows, not an empty table before them."""
        if self._begun is not None:
            self._begun.wait(MAIN_WAIT if behind_frame else MAIN_WAIT_BLANK)


class _NotBegun:
    """An opener nobody began early: called in the main screen's worker thread."""

    def __init__(self, open_: CacheOpener) -> None:
        self._open = open_

    def __call__(self) -> CacheStore | None:
        return self._open()

    def ready(self) -> bool:
        return False
