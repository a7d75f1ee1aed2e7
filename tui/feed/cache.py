"""The screen's side of the local calendar cache, without the screen: opening it, and what
is kept in it as the user browses (the last view, the calendars pane, cancels).

With no cache (`--no-cache`, or none could be opened) `sync` stays None and the window is
listed from Graph. Blocking calls come back as coroutines that run them in a thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.cache import CachedTree, CacheError, CacheOpener, CacheStore, LastView, keyring_advice
from tui.graph.models import Calendar, CalendarGroup
from tui.graph.urls import CalendarRef, Mailbox
from tui.secrets.keyring_access import KeyringUnavailable
from tui.sync import SyncController, with_section

if TYPE_CHECKING:
    from tui.graph.client import GraphClient

PaneSection = Sequence[tuple[CalendarGroup | None, list[tuple[CalendarRef, Calendar]]]]
"""A section of the calendars pane as listed: its calendar groups and their calendars."""


@dataclass(frozen=True, slots=True)
class Opening:
    """The cache opened (or not: `problem`), with what a start shows first."""

    store: CacheStore | None
    view: LastView | None = None
    tree: CachedTree | None = None
    notices: list[str] = field(default_factory=list)
    problem: str = ""
    signed_in: str | None = None
    """Who was signed in when the cache last heard from Graph (the title bar's name)."""


class CacheLink:
    """One screen's cache: its sync controller once open, and the calendars pane's record."""

    def __init__(self, opener: CacheOpener | None, client: GraphClient, tz: dt.tzinfo,
                 mailbox: Mailbox) -> None:
        self.opener = opener
        self.client, self.tz, self.mailbox = client, tz, mailbox
        self.sync: SyncController | None = None
        self.beside = False
        """The cache is opening while the first window is listed from Graph: it had nothing
        to start from, so the screen did not wait for it."""
        self.beside_opening = False
        self.tree: CachedTree | None = None
        """The calendars pane as last kept (each section keeps the others' last listing)."""
        self._unsaved: dict[str, tuple[PaneSection, str | None]] = {}
        self._tree_saves = 0

    def open(self) -> Opening:
        """Open the cache (blocking) and read what a start shows first."""
        assert self.opener is not None
        try:
            store = self.opener()
        except KeyringUnavailable as error:
            return Opening(None, problem=keyring_advice(error))
        except CacheError as error:
            return Opening(None, problem=str(error))
        if store is None:
            return Opening(None)
        controller = SyncController(store, self.client, self.tz)
        signed_in = store.signed_in() if self.mailbox.kind == "me" else None
        return Opening(store, controller.last_view(), controller.tree(self.mailbox),
                       store.take_notices(), signed_in=signed_in)

    def use(self, store: CacheStore) -> None:
        """From now on the cache keeps what the screen shows."""
        self.sync = SyncController(store, self.client, self.tz)

    @property
    def persistent(self) -> bool:
        """A cache that outlives this run (not the session one, kept in memory)."""
        return self.sync is not None and self.sync.store.persistent

    def save_view(self, view: LastView) -> Coroutine[Any, Any, None] | None:
        return None if self.sync is None else asyncio.to_thread(self.sync.save_view, view)

    def save_signed_in(self, label: str) -> Coroutine[Any, Any, None] | None:
        if self.sync is None or self.mailbox.kind != "me":
            return None
        return asyncio.to_thread(self.sync.store.save_signed_in, label)

    def cancelled(self, event_id: str) -> Coroutine[Any, Any, None] | None:
        """A cancel went through: the cache forgets the event at once."""
        return None if self.sync is None else asyncio.to_thread(self.sync.cancelled, event_id)

    def keep_section(self, key: str, section: PaneSection, title: str | None = None
                     ) -> Coroutine[Any, Any, None] | None:
        """A section of the calendars pane was listed (own calendars, groups, a mailbox
        opened with `u`): the save that keeps it for the next start, if there is one."""
        if not (key in ("me", "groups") or key.startswith("user:")):
            return None
        if self.sync is None:
            if self.beside:  # kept until the cache is open
                self._unsaved[key] = (section, title)
            return None
        self.tree = tree = with_section(self.tree, key, list(section), title)
        self._tree_saves += 1
        return asyncio.to_thread(self.sync.save_tree, self.mailbox, tree, self._tree_saves)

    def unsaved(self) -> list[tuple[str, PaneSection, str | None]]:
        """The sections listed while the cache was opening beside a listing (taken once)."""
        found = [(key, section, title) for key, (section, title) in self._unsaved.items()]
        self._unsaved = {}
        return found

    def opened_mailboxes(self) -> list[Mailbox]:
        """The mailboxes opened with `u`, as the cache keeps them."""
        return [] if self.tree is None else [user.mailbox for user in self.tree.users]
