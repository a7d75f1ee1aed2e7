"""One event feed: a calendar window's rows, whichever way they come.

Rows come from a calendarView listing, from the page asked for before the UI started (the
head start), or from the local cache and then a delta sync. Each source here is an async
producer of one kind of update (`FeedUpdate`: rows added, changed or removed, final or not,
its source and as-of time); the screen posts each in one message and has one handler for
them. `FeedState` keeps where the window's load stands (listing, reading, syncing, offline)
and its freshness; `CacheLink` the screen's side of the cache (its sync controller, the
calendars pane's record, the saves).

UI-free: nothing here imports Textual.
"""

from __future__ import annotations

from tui.feed.update import FeedUpdate, Source

__all__ = ["FeedUpdate", "Source"]
