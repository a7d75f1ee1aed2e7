"""The comment drafts as the main screen keeps them: every write is saved at once, and a
write that fails is said on the status line, never raised (the typed text stays on screen)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tui.actions.drafts import Drafts, DraftsError
from tui.graph import CalendarRef, Event, EventRef, Mailbox
from tui.sync import Section, mailbox_names
from tui.widgets.status_bar import StatusBar

# Where the one comment of a bulk cancel is kept among the drafts.
BULK_DRAFT = ("bulk", "marked")


class DraftKeeper:
    def __init__(self, drafts: Drafts, status: Callable[[], StatusBar]) -> None:
        self.drafts = drafts
        self._status = status

    def _failed(self, error: DraftsError) -> None:
        self._status().show(str(error), "error")

    def keep(self, event: Event, text: str) -> None:
        """Remember (or, with empty text, forget) the comment typed for `event`."""
        try:
            self.drafts.put(event.ref.mailbox.key, event.id, text)
        except DraftsError as error:
            self._failed(error)

    def bulk(self) -> str:
        return self.drafts.get(*BULK_DRAFT) or ""

    def save_bulk(self, text: str) -> None:
        try:
            self.drafts.put(*BULK_DRAFT, text)
        except DraftsError as error:
            self._failed(error)

    def drop(self, mailbox: str, event_ids: list[str]) -> None:
        """The events' cancels went through (by any route): their comments are done with."""
        try:
            self.drafts.discard_events(mailbox, event_ids)
        except DraftsError as error:
            self._failed(error)

    def name_mailbox(self, mailbox: Mailbox, section: Section) -> None:
        """File the drafts of a mailbox opened with `u` under one key, whichever name its
        events are reached through (see `tui.sync.mailbox_names`)."""
        named = mailbox_names(mailbox, section)
        if named is None:
            return
        try:
            self.drafts.same_mailbox(named[1], named[0])
        except DraftsError as error:
            self._failed(error)

    def settled(self, calendar: CalendarRef, events: Iterable[Event],
                vanished: Iterable[str]) -> list[EventRef]:
        """Events as Graph now has them, and ids no longer in `calendar`. A cancelled one's
        draft goes; a vanished one's only once Graph confirms it is cancelled or deleted (it
        may just have moved out of the window): those are returned, to be checked."""
        mailbox = calendar.mailbox.key
        cancelled = [e.id for e in events if e.is_cancelled and self.drafts.get(mailbox, e.id)]
        if cancelled:
            self.drop(mailbox, cancelled)
        return [EventRef(i, calendar.mailbox, calendar)
                for i in vanished if self.drafts.get(mailbox, i) is not None]
