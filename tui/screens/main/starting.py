"""The main screen's start from the local cache, and what it leaves for the next start.

At start the cache's last view, calendars pane and first rows come first (opened early, or
waited for in a worker); without anything to start from the cache opens beside a listing
from Graph and takes over once it can. At quit the screen seals its frame for the next
start (tui/startup/sealed_frame.py). The screen owns the worker that opens the cache and
hands its message here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.cache import CacheError, LastView
from tui.feed.cache import CacheLink, Opening
from tui.feed.state import FeedState
from tui.graph import CalendarRef, Mailbox
from tui.screens.main.loading import OpenView
from tui.screens.main.panes import GROUPS_TITLE
from tui.startup.painting import PaintWatcher
from tui.sync import calendars_section, groups_section, user_sections
from tui.widgets.calendar_tree import CalendarTree, shown_name
from tui.widgets.event_table import EventTable
from tui.window import VIEWS, Window

if TYPE_CHECKING:
    from tui.startup.opening import CacheOpening


@dataclass
class StartHooks:
    """What starting from the cache needs of the screen that owns it."""

    screen: PaintWatcher
    view: OpenView
    feed: FeedState
    cache: CacheLink
    mailbox: Mailbox
    opening: CacheOpening | None
    """The cache's opening, begun early or not (tui/startup/early.py)."""
    open_cache: Callable[[], object]
    """Start the screen's worker that opens the cache (it posts `CacheOpened`)."""
    open_calendar: Callable[..., None]
    sync_now: Callable[[], None]
    periodic_sync: Callable[[], None]
    """Start the background syncs, if the user asked for them."""
    in_background: Callable[[Coroutine[Any, Any, None] | None, str], None]
    restore_view: Callable[[], bool]
    cached_user: Callable[[str], None]
    """The title's name as the cache last heard it, until Graph names the user again."""
    panes_wanted: Callable[[], None]
    """The calendars pane and the profile are to be asked for after the first rows."""
    busy: Callable[[], bool]
    """Marks, a filter, a toggle or a send the sealed frame would show but not restore."""


class CacheStart:
    def __init__(self, hooks: StartHooks) -> None:
        self.hooks = hooks
        self.relist_pending = False
        """Mailboxes opened with `u` are listed again once the window's rows are up."""

    @property
    def _window(self) -> Window:
        return self.hooks.view.window

    def last_view(self, selected: str = "") -> LastView:
        window = self._window
        return LastView(self.hooks.view.calendar, window.anchor, window.agenda_days,
                        window.view, selected)

    # -- the sealed last frame ------------------------------------------------------------

    def seal_frame(self, fit: str) -> None:
        """Keep what the screen shows now for the next start to paint before anything else
        (tui/startup/sealed_frame.py). Only a settled main screen with nothing on top: a
        frame that shows a dialog or half-loaded rows would be the wrong first look."""
        screen, sync = self.hooks.screen, self.hooks.cache.sync
        if sync is None or not sync.store.persistent or screen.app.screen is not screen \
                or not self.hooks.feed.settled:
            return
        # What the next start restores is the view and the selected event: marks, a filter
        # or a toggle shown in the frame would be gone from the screen that replaces it.
        if self.hooks.busy():
            return
        from tui.startup.sealed_frame import encode
        from tui.startup.textual_private import frame_lines

        current = screen.query_one(EventTable).current
        lines = frame_lines(screen)
        view = self.last_view(current.id if current is not None else "")
        with contextlib.suppress(CacheError):  # the next start builds its screen as usual
            sync.store.save_last_view(view)  # the cursor's event: before the frame
            sync.store.save_frame(fit, encode(lines, screen.size))

    # -- opening the cache ----------------------------------------------------------------

    def start(self) -> None:
        """At start: a cache whose opening began before the UI and is done shows its first
        screen in this very frame, with no thread in between (each hand-over waits for the
        interpreter lock while the UI is busy starting); else it is waited for in a worker."""
        opener = self.hooks.opening
        if opener is None or not opener.ready():
            self.hooks.open_cache()
            return
        try:
            opened = self.hooks.cache.open()
        except Exception:  # unforeseen: the worker meets it again and reports it as usual
            self.hooks.open_cache()
            return
        self.opened(opened, read_now=True)

    def open_beside(self) -> None:
        cache = self.hooks.cache
        if cache.beside and not cache.beside_opening:
            cache.beside_opening = True
            self.hooks.open_cache()

    def opened(self, opened: Opening, *, read_now: bool = False) -> None:
        hooks = self.hooks
        for notice in opened.notices:
            hooks.screen.notify(notice, title="Calendar cache", severity="warning", timeout=30)
        if opened.problem:
            hooks.screen.notify(opened.problem, title="No calendar cache this run",
                                severity="warning", timeout=60)
        if hooks.cache.beside:
            hooks.cache.beside = False
            self._take_over(opened)
            return
        if opened.store is not None:
            hooks.cache.use(opened.store)
        if opened.signed_in:
            hooks.cached_user(opened.signed_in)
        self._first_screen(opened, read_now=read_now)
        if hooks.cache.sync is not None:
            hooks.periodic_sync()

    def _first_screen(self, opened: Opening, *, read_now: bool) -> None:
        """The calendars pane, the view and the window as the cache keeps them."""
        hooks, mailbox = self.hooks, self.hooks.mailbox
        name = "Calendar"
        hooks.cache.tree = cached = opened.tree
        own = calendars_section(mailbox, cached) if cached is not None else []
        groups = groups_section(cached) if cached is not None else []
        users = user_sections(cached) if cached is not None else []
        tree = hooks.screen.query_one(CalendarTree)
        if own:
            tree.set_section("me", None, own)
        if groups:
            tree.set_section("groups", GROUPS_TITLE, groups)
        for key, title, section in users:  # the mailboxes opened with `u`, as last listed
            tree.set_section(key, title, section)
        # Listed again once the window's rows are up, quietly (the cached ones stay if not).
        self.relist_pending = bool(users)
        view = opened.view
        known = {ref: shown_name(ref, calendar)
                 for sections in (own, groups, *(s for _, _, s in users))
                 for _, calendars in sections for ref, calendar in calendars}
        if hooks.restore_view() and view is not None and view.view in VIEWS and (
                view.calendar.mailbox == mailbox or view.calendar in known
                or view.calendar.mailbox.kind == "group"):
            hooks.view.window = Window(view.view, view.start, agenda_days=view.days)
            hooks.view.calendar = view.calendar
            name = known.get(view.calendar, name)
        calendar: CalendarRef = hooks.view.calendar
        if (own or users) and not tree.select_ref(calendar):
            tree.select_default()  # the default calendar, named by no id
        hooks.panes_wanted()
        # The event the cursor was on at the last quit, as the sealed frame showed it.
        selected = view.selected if view is not None and view.calendar == calendar else ""
        hooks.open_calendar(calendar, name, selected or None, missing_ok=True,
                            read_now=read_now)

    def _take_over(self, opened: Opening) -> None:
        """The cache opened beside a window listed from Graph: from now on it keeps what the
        screen shows, and the window goes into it with a sync (applied in place) once the
        listing is done."""
        if opened.store is None:
            return
        hooks = self.hooks
        hooks.cache.use(opened.store)
        for key, section, title in hooks.cache.unsaved():
            hooks.in_background(hooks.cache.keep_section(key, section, title), "cache-edit")
        hooks.in_background(hooks.cache.save_view(self.last_view()), "save-view")
        if not hooks.feed.listing:
            hooks.sync_now()
        hooks.periodic_sync()

