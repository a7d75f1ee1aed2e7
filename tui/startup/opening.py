"""Getting the local cache ready at start-up without holding up the first frame.

Begun before Textual is imported, so that their waits overlap its start-up:

* the sealed last frame (tui/startup/sealed_frame.py) is read by a forked child (a thread
  where forking is not safe: `frame_reader`): the cache's modules, the keyring and the
  account's identity cost this process nothing before that frame is painted;
* the cache itself is opened in a thread of its own, for the main screen.

No Textual and no cache modules are imported here at load: this runs before them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tui.cache import CacheOpener as CacheOpener  # what opens the cache, in a worker thread
from tui.config import Settings
from tui.startup.forking import ForkedCall

if TYPE_CHECKING:
    import datetime as dt

    from tui.cache import CacheStore, Owner

# Past this the child is given up: the app starts without the frame, as it would anyway.
READ_LIMIT = 10.0



class CacheOpening(Protocol):
    """The cache's opener as the main screen gets it (see tui/startup/early.py)."""

    def __call__(self) -> CacheStore | None: ...

    def ready(self) -> bool:
        """Opened (or failed) already: calling it will not wait."""
        ...


def frame_peek(settings: Settings, owner: Callable[[], Owner | None], fit: str, *,
               directory: Path | None = None) -> Callable[[], bytes | None]:
    """What reads the sealed last frame of `fit` without changing the cache (see
    `tui.cache.peek_frame`); for `frame_reader`."""
    def peek() -> bytes | None:
        from tui.cache import peek_frame

        who = owner()
        return None if who is None else peek_frame(settings, who, fit, directory)

    return peek


def frame_fit(columns: int, lines: int, today: dt.date, timezone: str, days: int) -> str:
    """What a sealed frame must have been made for to be shown at a start: the same
    terminal size, day, zone, window length and cal365 version. Anything it shows from the
    cache is guarded by the cache itself (a write forgets the frame)."""
    from tui import __version__

    return f"{__version__} {columns}x{lines} {today.isoformat()} {timezone} {days}"


def frame_reader(peek: Callable[[], bytes | None]) -> ForkedCall:
    """`peek` (see `frame_peek`) begun now in a forked child: the cache's modules, the
    keyring and the account's identity then cost this process nothing."""
    return ForkedCall(peek, limit=READ_LIMIT, name="cal365-frame")


class StartedOpen:
    """A cache being opened in a thread of its own (from now on, or from `start()`);
    calling it waits for the store (or the error) from there. `frame` is the sealed last
    frame's reader, begun at once (see `frame_reader`)."""

    def __init__(self, open_: Callable[[], CacheStore | None], *,
                 frame: ForkedCall | None = None, now: bool = True) -> None:
        self._open = open_
        self._future: Future[CacheStore | None] | None = None
        self._frame = frame
        if now:
            self.start()

    def start(self) -> None:
        if self._future is None:
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cal365-cache")
            self._future = pool.submit(self._open)
            pool.shutdown(wait=False)

    def __call__(self) -> CacheStore | None:
        self.start()
        assert self._future is not None
        return self._future.result()

    def ready(self) -> bool:
        """Opened (or failed) already: calling it will not wait."""
        return self._future is not None and self._future.done()

    def wait(self, seconds: float) -> bool:
        """Started if it was not, and waited for up to `seconds`: whether it is ready."""
        self.start()
        assert self._future is not None
        with contextlib.suppress(TimeoutError):
            self._future.exception(timeout=seconds)
        return self._future.done()

    def first_frame(self, wait: float) -> bytes | None:
        """The sealed last frame, if it is read within `wait` seconds and there is one."""
        return None if self._frame is None else self._frame.result(wait)


def started(open_: Callable[[], CacheStore | None], frame: ForkedCall | None = None, *,
            now: bool = True) -> StartedOpen:
    """Begin opening the cache (now, or at `start()`), and hand over the result later.

    Asking the keyring (and importing its backends) takes a good part of a start; begun
    before the app's own imports and start-up, it overlaps them instead of following them.
    """
    return StartedOpen(open_, frame=frame, now=now)
