"""Where the open window's rows stand, and how fresh they are: one per screen, no UI."""

from __future__ import annotations

import datetime as dt

from tui.feed.update import FeedUpdate
from tui.sync import freshness


class FeedState:
    """The load of the window on screen: which one is current (`generation`: updates of an
    earlier one are dropped), what is filling it, when it was last Graph's, offline or not."""

    def __init__(self) -> None:
        self.generation = 0
        self.listing = False
        """A calendarView listing (not the cache) is filling the table."""
        self.reading = False
        """The window's rows are being read from the cache."""
        self.syncing = False
        self.synced_at: dt.datetime | None = None
        self.offline = False
        self.asked = False
        """The user pressed `r`: the outcome is said even while offline."""
        self.retry_pending = False
        """A retry is set to run while offline."""
        self.said = False
        """The status line has said how this window's load ended (in rows, or offline)."""

    def begin(self, *, cached: bool) -> int:
        """A new load of the window (from the cache, or listed from Graph): its generation."""
        self.generation += 1
        self.listing, self.reading, self.said = not cached, cached, False
        if cached:
            self.synced_at = None
        return self.generation

    @property
    def settled(self) -> bool:
        """Nothing is loading or syncing the window."""
        return not (self.listing or self.reading or self.syncing)

    def took(self, update: FeedUpdate) -> None:
        """`update` of the current window arrived (before the screen applies it)."""
        if update.source == "cache":
            self.synced_at = update.as_of
            if update.done:
                self.reading = False
        elif update.source == "sync":
            self.syncing = not update.final
        if update.final:
            self.listing = self.reading = self.syncing = False
            if update.as_of is not None:
                self.synced_at = update.as_of
            self.offline = self.asked = False
            self.said = True

    def failed(self) -> None:
        """The load or sync failed: nothing is filling the window any more."""
        self.reading = self.syncing = False

    def went_offline(self) -> tuple[bool, bool]:
        """Graph cannot be reached: (offline already, the user had asked for a sync)."""
        was_offline, self.offline = self.offline, True
        asked, self.asked = self.asked, False
        self.failed()
        return was_offline, asked

    def freshness(self, now: dt.datetime) -> str:
        """The title bar's marker: "as of 08:12", "offline — as of yesterday 17:40"…"""
        return freshness(self.synced_at, now, offline=self.offline, syncing=self.syncing)
