"""The calendar cache of one account, as the rest of cal365 uses it.

One object over one SQLite file, made of three parts with a job each: `CacheFile` (opening,
the account binding, damage and recovery: tui/cache/database.py), `EventWindows` (events by
window and their delta links: windows.py) and `SessionRecords` (tree, last view, who is
signed in, the sealed frame: session.py); `info()` is the diagnosis (diagnostics.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from tui.cache.cipher import Cipher
from tui.cache.codec import CachedTree, LastView
from tui.cache.database import CacheFile, Owner
from tui.cache.diagnostics import CacheInfo, inspect
from tui.cache.session import SessionRecords
from tui.cache.windows import Applied, CachedWindow, DeltaRoundLike, EventWindows, Target
from tui.graph.models import Event
from tui.graph.urls import Mailbox


class CacheStore:
    """The calendar cache of one account. Thread-safe: every call holds one lock.

    `path=None` is the session-only cache: the same tables in memory, gone at exit.
    """

    def __init__(self, path: Path | None, cipher: Cipher, owner: Owner) -> None:
        self.file = CacheFile(path, cipher, owner)
        self._windows = EventWindows(self.file)
        self._session = SessionRecords(self.file)

    # -- the file -----------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        return self.file.path

    @property
    def cipher(self) -> Cipher:
        return self.file.cipher

    @property
    def owner(self) -> Owner:
        return self.file.owner

    @property
    def persistent(self) -> bool:
        return self.file.persistent

    @property
    def encrypted(self) -> bool:
        return self.file.encrypted

    def take_notices(self) -> list[str]:
        """Messages for the user about what happened to the cache (moved aside, rebuilt)."""
        return self.file.take_notices()

    def clear(self) -> None:
        """Empty every table but the account binding."""
        self.file.clear()

    def close(self) -> None:
        self.file.close()

    def info(self) -> CacheInfo | None:
        """Where the cache is, how big and old, what it holds; None for a session cache."""
        return None if self.path is None else inspect(self.path)

    # -- events by window ---------------------------------------------------------------------

    def put_round(self, calendar: Target, start: dt.datetime, end: dt.datetime,
                  round: DeltaRoundLike) -> Applied:
        """Apply one delta round of `calendar`'s window [start, end) and keep its deltaLink."""
        return self._windows.put_round(calendar, start, end, round)

    def mark_cancelled(self, event_id: str) -> int:
        """Show an event (or a series' occurrences) as cancelled until the next sync."""
        return self._windows.mark_cancelled(event_id)

    def remove_event(self, event_id: str) -> int:
        """Forget an event (and a series' occurrences) at once; returns the rows removed."""
        return self._windows.remove_event(event_id)

    def count(self, calendar: Target, start: dt.datetime, end: dt.datetime) -> int:
        """How many cached events overlap [start, end) — without decrypting any."""
        return self._windows.count(calendar, start, end)

    def events(self, calendar: Target, start: dt.datetime, end: dt.datetime,
               tz: dt.tzinfo, limit: int | None = None, offset: int = 0) -> list[Event]:
        """The cached events overlapping [start, end), by start; decrypts only `limit` rows."""
        return self._windows.events(calendar, start, end, tz, limit, offset)

    def iter_events(self, calendar: Target, start: dt.datetime, end: dt.datetime,
                    tz: dt.tzinfo, batch: int = 500, first: int | None = None
                    ) -> Iterator[list[Event]]:
        """The same events in batches, the first screen's worth (`first` rows) first."""
        return self._windows.iter_events(calendar, start, end, tz, batch, first)

    def delta_link(self, calendar: Target, start: dt.datetime, end: dt.datetime
                   ) -> str | None:
        """The deltaLink of exactly this window, if it was synced before."""
        return self._windows.delta_link(calendar, start, end)

    def synced_at(self, calendar: Target, start: dt.datetime, end: dt.datetime
                  ) -> dt.datetime | None:
        """When the freshest synced window covering [start, end) was synced; None if none."""
        return self._windows.synced_at(calendar, start, end)

    def windows(self) -> list[CachedWindow]:
        """Every synced window, for `cal365 sync` and for a resync of what was seen."""
        return self._windows.windows()

    def forget_window(self, calendar: Target, start: dt.datetime, end: dt.datetime
                      ) -> None:
        """Drop a window's deltaLink (Graph no longer accepts it): the next sync is full."""
        self._windows.forget_window(calendar, start, end)

    # -- what the UI keeps between runs -------------------------------------------------------

    def put_tree(self, mailbox: Mailbox, tree: CachedTree) -> None:
        self._session.put_tree(mailbox, tree)

    def tree(self, mailbox: Mailbox) -> tuple[CachedTree, dt.datetime] | None:
        return self._session.tree(mailbox)

    def save_last_view(self, view: LastView) -> None:
        self._session.save_last_view(view)

    def last_view(self) -> LastView | None:
        return self._session.last_view()

    def save_signed_in(self, label: str) -> None:
        """Who is signed in, as the title bar names them (written only when it changed)."""
        self._session.save_signed_in(label)

    def signed_in(self) -> str | None:
        return self._session.signed_in()

    def save_frame(self, fit: str, frame: bytes) -> None:
        """Keep the screen the app showed last for the next start of the same `fit`."""
        self._session.save_frame(fit, frame)

    def frame(self, fit: str) -> bytes | None:
        """The sealed last frame if it was made for `fit` and nothing it shows changed since."""
        return self._session.frame(fit)
