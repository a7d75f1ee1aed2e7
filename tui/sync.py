"""Keeping the local calendar cache fresh: the one place the app and `cal365 sync` read the
cache and run calendarView delta rounds into it.

UI-free (no Textual): the main screen drives a `SyncController` from its workers and turns
what it returns into messages. Blocking cache calls run in a thread here, so callers on an
event loop simply await.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.cache import (
    Applied,
    CachedTree,
    CacheStore,
    LastView,
    MailboxSection,
    Owner,
)
from tui.config import Settings
from tui.graph.errors import GraphError
from tui.graph.models import Calendar, CalendarGroup, Event, Group
from tui.graph.urls import CalendarRef, Mailbox, is_under

if TYPE_CHECKING:
    from tui.graph.client import GraphClient

# Events decrypted per read: the first batch fills a tall screen, the rest follow in the
# background (keyset paging in the store, so no batch costs more than the first).
FIRST_BATCH = 100
READ_BATCH = 1000


@dataclass(frozen=True, slots=True)
class Synced:
    """What one sync of a window did: the changes to apply to what is on screen."""

    upserts: list[Event]
    removed: list[str]
    full: bool
    applied: Applied
    requests: int
    bytes: int
    synced_at: dt.datetime


@dataclass(frozen=True, slots=True)
class WindowSummary:
    """One calendar window's outcome in `cal365 sync`."""

    calendar: CalendarRef
    start: dt.datetime
    end: dt.datetime
    applied: Applied
    full: bool


class SyncController:
    """One account's cache and the Graph client that refreshes it."""

    def __init__(self, store: CacheStore, client: GraphClient | None, tz: dt.tzinfo) -> None:
        self.store = store
        self.client = client
        self.tz = tz
        self._tree_lock = threading.Lock()
        self._tree_version = 0

    # -- reading (blocking; call through asyncio.to_thread from a loop) --------------------

    def last_view(self) -> LastView | None:
        return self.store.last_view()

    def tree(self, mailbox: Mailbox) -> CachedTree | None:
        """The calendars pane as last listed: `mailbox`'s calendars and the user's groups."""
        found = self.store.tree(mailbox)
        return None if found is None else found[0]

    def read(self, calendar: CalendarRef, start: dt.datetime, end: dt.datetime
             ) -> Iterator[list[Event]]:
        """The cached events of the window, in batches, the first screen first."""
        return self.store.iter_events(calendar, start, end, self.tz, batch=READ_BATCH,
                                      first=FIRST_BATCH)

    def synced_at(self, calendar: CalendarRef, start: dt.datetime, end: dt.datetime
                  ) -> dt.datetime | None:
        return self.store.synced_at(calendar, start, end)

    # -- writing --------------------------------------------------------------------------

    def save_view(self, view: LastView) -> None:
        self.store.save_last_view(view)

    def save_tree(self, mailbox: Mailbox, tree: CachedTree, version: int) -> None:
        """Keep the calendars pane; `version` orders saves made from several threads, so an
        older tree that is written late never replaces a newer one."""
        with self._tree_lock:
            if version <= self._tree_version:
                return
            self._tree_version = version
            self.store.put_tree(mailbox, tree)

    def cancelled(self, event_id: str) -> None:
        """A cancel sent from cal365 went through: the event is gone from the organizer's
        calendar (Graph deletes it there), so it goes from the cache at once."""
        self.store.remove_event(event_id)

    # -- syncing --------------------------------------------------------------------------

    async def sync(self, calendar: CalendarRef, start: dt.datetime, end: dt.datetime,
                   on_page: Callable[[list[Event]], None] | None = None) -> Synced:
        """One delta round of the window: incremental with the stored deltaLink, else full
        (`on_page` then sees each page as it arrives). Raises what the client raises."""
        assert self.client is not None
        link = await asyncio.to_thread(self.store.delta_link, calendar, start, end)
        if link is not None and not is_under(link, self.client.base_url):
            # Made against another Graph root (another cloud, or the demo's fake on an
            # earlier port): never send it elsewhere; a full round makes a new one.
            link = None
        round = await self.client.calendar_view_delta(calendar, start, end, link,
                                                      on_page=on_page)
        applied = await asyncio.to_thread(self.store.put_round, calendar, start, end, round)
        return Synced(list(round.upserts), list(round.removed), round.full, applied,
                      round.requests, round.bytes, dt.datetime.now(dt.UTC))

    async def sync_seen(self, calendar_id: str | None = None,
                        first: dt.datetime | None = None, last: dt.datetime | None = None
                        ) -> list[WindowSummary]:
        """Every window the cache holds (optionally one calendar's, or those overlapping
        [first, last)), each synced once; for `cal365 sync`."""
        windows = await asyncio.to_thread(self.store.windows)
        done: list[WindowSummary] = []
        seen: set[tuple[str, float, float]] = set()
        for window in windows:
            ref = window.calendar
            key = (ref.mailbox.key + "|" + (ref.calendar_id or ""),
                   window.start.timestamp(), window.end.timestamp())
            if key in seen:
                continue
            seen.add(key)
            if calendar_id is not None and ref.calendar_id != calendar_id:
                continue
            if first is not None and window.end <= first:
                continue
            if last is not None and window.start >= last:
                continue
            result = await self.sync(ref, window.start, window.end)
            done.append(WindowSummary(ref, window.start, window.end, result.applied,
                                      result.full))
        return done


def freshness(synced_at: dt.datetime | None, now: dt.datetime, *, offline: bool = False,
              syncing: bool = False) -> str:
    """The quiet marker in the title bar: "as of 08:12", "as of 08:12 · syncing…" (or just
    "syncing…" for a window never synced), "offline — as of yesterday 17:40"."""
    if synced_at is None:
        if offline:
            return "offline — nothing cached"
        return "syncing…" if syncing else ""
    local = synced_at.astimezone(now.tzinfo)
    days = (now.date() - local.date()).days
    if days == 0:
        when = local.strftime("%H:%M")
    elif days == 1:
        when = local.strftime("yesterday %H:%M")
    elif 1 < days < 7:
        when = local.strftime("%a %H:%M")
    else:
        when = local.strftime("%d %b %Y %H:%M")
    if offline:
        return f"offline — as of {when}"
    return f"as of {when} · syncing…" if syncing else f"as of {when}"


# The demo's mailbox is fake: its cache is bound to this owner, in the demo's own home.
DEMO_OWNER = Owner("demo", "demo@cal365.invalid", "demo")


def app_only_owner(settings: Settings) -> Owner:
    """App-only mode has no signed-in user: the cache belongs to the mailbox it opens."""
    return Owner(f"app-only:{settings.mailbox.lower()}", settings.mailbox, settings.tenant)


Section = list[tuple[CalendarGroup | None, list[tuple[CalendarRef, Calendar]]]]


def calendars_section(mailbox: Mailbox, tree: CachedTree) -> Section:
    """The calendars pane's section of `mailbox`'s own calendars, from a cached tree."""
    return [(group, [(CalendarRef(mailbox, c.id, group.id), c) for c in calendars])
            for group, calendars in tree.calendar_groups]


def groups_section(tree: CachedTree) -> Section:
    """The Microsoft 365 groups section, from a cached tree."""
    found = [(CalendarRef(Mailbox("group", g.id)), g.as_calendar()) for g in tree.groups]
    return [(None, found)] if found else []


def user_key(mailbox: Mailbox) -> str:
    """The calendars pane's key of another person's section ("user:…", any case)."""
    return f"user:{mailbox.id.lower()}"


def user_sections(tree: CachedTree) -> list[tuple[str, str, Section]]:
    """The opened mailboxes' sections (key, title, section) from a cached tree, in the order
    they were opened."""
    return [(user_key(user.mailbox), user.title,
             [(group, list(calendars)) for group, calendars in user.calendar_groups])
            for user in tree.users]


async def list_mailbox(client: GraphClient, mailbox: Mailbox) -> tuple[str, Section]:
    """Another user's calendars: all their groups when delegated, else the one they share;
    with the title of their section (their name).

    Each calendar is reached as `/users/{id}/calendars/{id}` and the default one as
    `/users/{id}/calendar`: the forms Graph documents for calendarView delta, so their
    windows sync like the user's own. Their name comes from their calendars' owner: reading
    their profile would need one more permission (User.ReadBasic.All) than their calendars.
    """
    section: Section
    try:
        groups = await client.calendar_groups(mailbox)
        section = []
        for group in groups:
            found = await client.calendars_in_group(mailbox, group.id)
            section.append((group, [(CalendarRef(mailbox) if c.is_default
                                     else CalendarRef(mailbox, c.id), c) for c in found]))
    except GraphError:
        # A shared (not delegated) calendar: only the default calendar is readable.
        ref = CalendarRef(mailbox)
        section = [(None, [(ref, await client.calendar(ref))])]
    owners = [c.owner_name for _, calendars in section for _, c in calendars if c.owner_name]
    return (owners[0] if owners else mailbox.id), section


def mailbox_names(mailbox: Mailbox, section: Section) -> tuple[str, set[str]] | None:
    """Another person's mailbox under a key that does not depend on how it was typed
    (`/users/{upn}` and `/users/{object id}` are one mailbox): the owner address of their
    default calendar, read with the calendars, and the other names (the typed one), all as
    `Mailbox.key`s. Their profile would give their object id, but Graph asks for
    User.ReadBasic.All there, which cal365 does not ask for. None when no address is known."""
    address = next((c.owner_address for _, calendars in section for _, c in calendars
                    if c.is_default and c.owner_address), "")
    if not address:
        return None
    key = Mailbox("user", address).key
    return key, {mailbox.key, key}


def with_section(tree: CachedTree | None, key: str, section: Section,
                 title: str | None = None) -> CachedTree:
    """`tree` with the pane's section `key` ("me", "groups" or "user:…", titled `title`)
    replaced by what was listed; a mailbox opened for the first time goes last."""
    tree = tree or CachedTree(())
    if key == "groups":
        groups = tuple(Group(ref.mailbox.id, c.name, c.owner_address)
                       for _, calendars in section for ref, c in calendars)
        return dataclasses.replace(tree, groups=groups)
    if key.startswith("user:"):
        refs = [ref for _, calendars in section for ref, _ in calendars]
        mailbox = refs[0].mailbox if refs else Mailbox("user", key.removeprefix("user:"))
        user = MailboxSection(mailbox, title or mailbox.id, tuple(
            (group, tuple(calendars)) for group, calendars in section))
        users = [user if user_key(u.mailbox) == key else u for u in tree.users]
        if user not in users:
            users.append(user)
        return dataclasses.replace(tree, users=tuple(users))
    own = tuple((group, tuple(c for _, c in calendars))
                for group, calendars in section if group is not None)
    return dataclasses.replace(tree, calendar_groups=own)
