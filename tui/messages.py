"""Messages that workers post to the screen that owns the state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from textual.message import Message

from tui.actions.cancel import Answer, BulkAnswer
from tui.cache import CachedTree, CacheStore, LastView
from tui.graph import Calendar, CalendarGroup, CalendarRef, Event, User
from tui.graph.policy import WaitNotice
from tui.graph.recurrence import Recurrence
from tui.sync import Synced

Section = Sequence[tuple[CalendarGroup | None, list[tuple[CalendarRef, Calendar]]]]


class SignedIn(Message):
    def __init__(self, user: User) -> None:
        super().__init__()
        self.user = user


class CalendarsLoaded(Message):
    """Calendars for one part of the calendars pane (`key`: "me", "groups", "user:…")."""

    def __init__(
        self,
        key: str,
        title: str | None,
        groups: Sequence[tuple[CalendarGroup | None, list[tuple[CalendarRef, Calendar]]]],
        *,
        announce: bool = True,
    ) -> None:
        super().__init__()
        self.key = key
        self.title = title
        self.groups = groups
        self.announce = announce
        """A mailbox the user just opened (`u`) says so; one listed again quietly does not."""


class EventsPage(Message):
    """One page of a calendar window; `generation` drops pages of a superseded load."""

    def __init__(self, generation: int, events: list[Event]) -> None:
        super().__init__()
        self.generation = generation
        self.events = events


class EventsLoaded(Message):
    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class CancelAnswered(Message):
    """What became of a cancel sent alone (or why nothing was sent)."""

    def __init__(self, answer: Answer) -> None:
        super().__init__()
        self.answer = answer


class BulkBlocked(Message):
    """Nothing was sent: the audit log cannot take the records of this bulk cancel,
    checked just before sending."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class CancelFinished(Message):
    """Sent after every cancel attempt, whatever happened, so the event can be sent again."""

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id


class DraftsSettled(Message):
    """Events whose comment drafts can go: looked at on Graph, and cancelled or deleted."""

    def __init__(self, mailbox: str, event_ids: list[str]) -> None:
        super().__init__()
        self.mailbox = mailbox
        self.event_ids = event_ids


class SeriesLoaded(Message):
    """The recurrence pattern of a series, fetched from its master for the details pane."""

    def __init__(self, master_id: str, recurrence: Recurrence | None) -> None:
        super().__init__()
        self.master_id = master_id
        self.recurrence = recurrence


class GraphWaiting(Message):
    """The Graph client waits before retrying (throttled, or Graph unavailable)."""

    def __init__(self, notice: WaitNotice) -> None:
        super().__init__()
        self.notice = notice


class BulkProgress(Message):
    """One event's answer in a bulk cancel, as soon as it is known."""

    def __init__(self, answer: BulkAnswer) -> None:
        super().__init__()
        self.answer = answer


class BulkFinished(Message):
    def __init__(self, batches: int) -> None:
        super().__init__()
        self.batches = batches


class CacheOpened(Message):
    """The calendar cache is open (or cannot be: `problem`), with what a start shows first."""

    def __init__(self, store: CacheStore | None, view: LastView | None, tree: CachedTree | None,
                 notices: list[str], problem: str = "", signed_in: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.view = view
        self.tree = tree
        self.notices = notices
        self.problem = problem
        self.signed_in = signed_in
        """Who was signed in when the cache last heard from Graph (the title bar's name)."""


class CachedEvents(Message):
    """A batch of a window's events read from the cache; `last` after the final one."""

    def __init__(self, generation: int, events: list[Event], synced_at: dt.datetime | None,
                 last: bool) -> None:
        super().__init__()
        self.generation = generation
        self.events = events
        self.synced_at = synced_at
        self.last = last


class SyncStarted(Message):
    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class SyncPage(Message):
    """A page of a full delta round (unordered): merged into the table as it arrives."""

    def __init__(self, generation: int, events: list[Event]) -> None:
        super().__init__()
        self.generation = generation
        self.events = events


class SyncDone(Message):
    def __init__(self, generation: int, synced: Synced) -> None:
        super().__init__()
        self.generation = generation
        self.synced = synced
