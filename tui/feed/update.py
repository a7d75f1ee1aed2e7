"""The one kind of update a calendar window's rows arrive in, whatever their source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tui.cache import Applied
from tui.graph.models import Event

Source = Literal["listing", "head-start", "cache", "sync"]
"""Where rows came from: a calendarView listing; the page asked for before the UI started;
the local cache; a delta sync of the window (a full round's pages, or its outcome)."""


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """A step of a window's rows. `added` come in order of start and go after the rows
    there; `changed` (new or not, any order) take their place by time; `removed` ids go, and
    with `whole` every row not in `changed` goes too. `done`: the source has sent all it has
    (a cache read then hands over to a sync); `final`: nothing more changes the window's
    rows. `as_of`: when the rows were Graph's (the cache's last sync, or the sync's end);
    None for rows read from Graph as they arrive, and for a window never synced."""

    source: Source
    added: Sequence[Event] = ()
    changed: Sequence[Event] = ()
    removed: Sequence[str] = ()
    whole: bool = False
    done: bool = False
    final: bool = False
    as_of: dt.datetime | None = None
    counts: Applied | None = None
    """A sync's changes to the cache (news only if the window was synced before)."""

    @property
    def events(self) -> list[Event]:
        """Every event the update brings, added or changed."""
        return [*self.added, *self.changed]
