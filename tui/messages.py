"""Messages that workers post to the screen that owns the state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from tui.feed import FeedUpdate
from tui.feed.cache import Opening
from tui.graph import Calendar, CalendarGroup, CalendarRef, User
from tui.graph.recurrence import Recurrence

if TYPE_CHECKING:  # both import httpx, which the first screen does without
    from tui.actions.cancel import Answer, BulkAnswer
    from tui.graph.policy import WaitNotice

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


class FeedChanged(Message):
    """A step of a calendar window's rows (`tui.feed`): the one message the screen gets,
    whichever way they come; `generation` drops those of a superseded load."""

    def __init__(self, generation: int, update: FeedUpdate) -> None:
        super().__init__()
        self.generation = generation
        self.update = update


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
    """One event's answer in a bulk run, as soon as it is known; `action` is the write
    (cancel, accept, tentativelyAccept, decline, delete)."""

    def __init__(self, answer: BulkAnswer, action: str = "cancel") -> None:
        super().__init__()
        self.answer = answer
        self.action = action


class BulkFinished(Message):
    def __init__(self, batches: int) -> None:
        super().__init__()
        self.batches = batches


class CacheOpened(Message):
    """The calendar cache is open (or cannot be), with what a start shows first."""

    def __init__(self, opening: Opening) -> None:
        super().__init__()
        self.opening = opening
