"""The events table's side of the one event feed: a window's updates go into the rows here,
and the cursor is kept on its event or put on the day the user asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from tui.feed import FeedUpdate
from tui.graph import Event
from tui.widgets.event_table import EventTable
from tui.widgets.format import day_label


@dataclass(slots=True)
class Taken:
    """What one update did to the rows."""

    events: list[Event]
    """The events it brought (none cancelled in this session)."""
    vanished: set[str] = field(default_factory=set)
    """Ids shown before that the window no longer holds (only once it is final)."""
    lost: Event | None = None
    """The event the cursor was on, when the update took it away."""


class WindowRows:
    """The rows of the window on screen, as its feed brings them."""

    def __init__(self, table: Callable[[], EventTable], short: Callable[[Event], str]) -> None:
        self._table, self._short = table, short
        self.keep_id: str | None = None
        self.keep_missing_ok = False
        # The day asked for with `g` or `t`: the cursor goes to its first event as the
        # window's rows come in (`_landed`: the event it was put on, while it stays there).
        self._land_on: dt.date | None = None
        self._landed: str | None = None
        self._shown_before: set[str] = set()  # the rows before a reload of the same window

    def begin(self, keep_id: str | None, *, missing_ok: bool, land_on: dt.date | None,
              reload: bool) -> None:
        """A load of the window starts: `reload` of the one shown, whose rows that do not
        come back are said to have vanished."""
        table = self._table()
        self._shown_before = {e.id for e in table.all_events} if reload else set()
        self.keep_id, self.keep_missing_ok = keep_id, missing_ok
        self._land_on, self._landed = land_on, None
        table.clear("Loading events…")

    def take(self, update: FeedUpdate, gone: Collection[str]) -> Taken:
        """Put `update` into the table; `gone`: cancelled in this session, never shown."""
        table = self._table()
        before = table.current
        shown: set[str] = set()
        if update.final:
            shown, self._shown_before = self._shown_before, set()
            # Rows go only with `removed` or `whole`: only then do the rows shown now count
            # (a set of every id of a big window is tens of milliseconds of the UI thread).
            if update.removed or update.whole:
                shown = shown | {e.id for e in table.all_events}
        # A page fetched before a cancel went through must not bring the event back.
        added = [e for e in update.added if e.id not in gone]
        changed = [e for e in update.changed if e.id not in gone]
        table.extend(added)
        if changed or update.removed or update.whole:
            table.apply(changed, update.removed,
                        keep_only={e.id for e in changed} if update.whole else None)
        taken = Taken(added + changed)
        if shown:
            taken.vanished = shown - {e.id for e in table.all_events}
        current = table.current
        if before is not None and (current is None or current.id != before.id):
            taken.lost = before
        if self.keep_id is not None and table.select_id(self.keep_id):
            self.keep_id = None
        self.land(taken.events)
        return taken

    def keep_missed(self) -> bool:
        """The window is final: the event to keep selected was not in it, and that is news
        (it went away on the server)."""
        keep, self.keep_id = self.keep_id, None
        return keep is not None and not self.keep_missing_ok

    def land(self, arrived: Iterable[Event]) -> None:
        """Rows came in: the cursor goes to the first shown one on or after the day asked
        for (they come in order of start), unless it is there already or the user has
        moved it since."""
        day = self._land_on
        if day is None or self._landed is not None:
            return
        table = self._table()
        for event in arrived:
            if event.start is not None and event.start.date() >= day and \
                    table.select_id(event.id):
                self._landed = event.id
                return

    def landed(self, *, final: bool) -> str:
        """The window's rows are all in (`final`: nothing more will change them): the
        cursor is put on the day's first event, or on the next one when the day has none,
        and that is said (the words returned, for the status line; "" when the day has
        events or no day was asked for)."""
        day = self._land_on
        if day is None:
            return ""
        if final:
            self._land_on = None
        table = self._table()
        current = table.current
        if self._landed is not None and (current is None or current.id != self._landed):
            return ""  # the user moved on: the cursor stays where they put it
        events = table.visible_events
        target = next((e for e in events if e.start is not None and e.start.date() >= day),
                      None)
        shown = " shown" if table.filtering else ""
        if target is None:
            if not events:
                return ""  # an empty window says so itself
            table.select_id(events[-1].id)
            self._landed = events[-1].id
            return f" Nothing{shown} on or after {day_label(day)} in this window."
        table.select_id(target.id)
        self._landed = target.id
        assert target.start is not None
        if target.start.date() == day:
            return ""
        return f" Nothing{shown} on {day_label(day)}: the cursor is on the next event, " \
               f"{self._short(target)}."
