"""The main screen's triage state, apart from any widget: marks, quick toggles and the
filter they make, cancels on their way, events cancelled this session, a running bulk
cancel and its answers.

The screen keeps one `Triage`, changes it on keys and messages, and paints what it holds;
the rules (what a sync does to a mark, which marks a bulk cancel sends, what hides an
event) live here and are tested without an app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from tui.actions.outcome import Kind, classify_item, is_gone
from tui.graph import Event

if TYPE_CHECKING:  # both import httpx: the main screen's first frame does without it
    from tui.actions.cancel import BulkAnswer
    from tui.graph.batch import BatchItemOutcome

TOGGLES = ("mine", "cancelled", "declined")
"""The quick toggles: only meetings one organizes; hide cancelled ones; hide declined ones."""


def keeps(toggles: Iterable[str]) -> Callable[[Event], bool] | None:
    """The filter the quick toggles make (None: every event shows)."""
    on = frozenset(toggles)
    if not on:
        return None

    def keep(event: Event) -> bool:
        if "mine" in on and not event.is_organizer:
            return False
        if "cancelled" in on and event.is_cancelled:
            return False
        return not ("declined" in on and event.my_response == "declined")

    return keep


Settled = Literal["gone", "answered", "left"]
RESPONSE_AFTER = {"accept": "accepted", "tentativelyAccept": "tentativelyAccepted",
                  "decline": "declined"}
"""The calendar owner's response once a reply took effect (Graph's responseStatus words)."""


def settles(kind: Kind, action: str) -> Settled:
    """What an outcome does to the event in the table: a cancel, decline or delete that
    went (or found the event gone) takes it away; an accept or tentative that went changes
    its response."""
    if action in ("accept", "tentativelyAccept"):
        if kind == "done":
            return "answered"
        return "gone" if kind == "not-found" else "left"
    # A decline takes the attendee's copy out of the calendar, as a cancel or a delete
    # does (docs/graph-notes.md).
    return "gone" if is_gone(kind) else "left"


@dataclass
class BulkTally:
    """The answers of one bulk run (cancels, replies or deletes) so far."""

    total: int
    results: list[tuple[Event, BatchItemOutcome]] = field(default_factory=list)
    actions: dict[str, str] = field(default_factory=dict)  # event id → its write (cancel…)
    unaudited: list[str] = field(default_factory=list)  # why records could not be written
    running: bool = True

    @property
    def done(self) -> int:
        """Answered and taken effect (cancelled, answered or deleted)."""
        return sum(1 for _, item in self.results if item.status == "done")

    def done_by_action(self) -> dict[str, int]:
        """How many of each write took effect so far ({"cancel": 3, "decline": 4})."""
        counts: dict[str, int] = {}
        for event, item in self.results:
            if classify_item(item) == "done":
                action = self.actions.get(event.id, "cancel")
                counts[action] = counts.get(action, 0) + 1
        return counts

    @property
    def left(self) -> int:
        """Answered and not done: they stay marked, for the results screen's retry."""
        return len(self.results) - self.done


class Triage:
    def __init__(self) -> None:
        self.marked: dict[str, Event] = {}
        self.toggles: set[str] = set()
        self.keep: Callable[[Event], bool] | None = None
        self.sending: set[str] = set()  # ids of single cancels on their way
        self.gone: set[str] = set()  # cancelled in this session: no page brings them back
        self.bulk = BulkTally(0, running=False)
        self.bulk_ids: set[str] = set()  # the events of the running bulk run

    # -- marks -----------------------------------------------------------------------------

    def toggle_mark(self, event: Event) -> bool:
        """Mark `event`, or unmark it if marked; True when it is marked now."""
        if self.marked.pop(event.id, None) is not None:
            return False
        self.marked[event.id] = event
        return True

    def mark_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.marked.setdefault(event.id, event)

    def unmark_all(self) -> bool:
        """False when nothing was marked."""
        had = bool(self.marked)
        self.marked.clear()
        return had

    def follow(self, events: Iterable[Event], vanished: Iterable[str]) -> int:
        """Marks follow a sync or reload: a marked event Graph sent again is kept as it is
        now (a bulk cancel then judges it as it is), one that went away is unmarked, as a
        cancel of it could only be "not found". Returns how many went."""
        marked = self.marked
        for event in events:
            if event.id in marked:
                marked[event.id] = event
        return sum(1 for i in vanished if marked.pop(i, None) is not None)

    def live_marks(self) -> list[Event]:
        """The marked events not cancelled meanwhile (a sync drops the others), and none
        whose own request is still on its way (it is not sent twice)."""
        return [e for e in self.marked.values()
                if e.id not in self.gone and not self.in_flight(e.id)]

    @staticmethod
    def to_send(live: Iterable[Event], *, include_others: bool) -> list[Event]:
        """What a bulk cancel sends: the meetings one organizes that are not cancelled
        already, or every one when the user asked to send the others too."""
        return [e for e in live if include_others or (e.is_organizer and not e.is_cancelled)]

    @staticmethod
    def invitations(live: Iterable[Event]) -> list[Event]:
        """What a reply can go to: meetings someone else organizes, not cancelled."""
        return [e for e in live if not e.is_organizer and not e.is_cancelled]

    # -- quick toggles ---------------------------------------------------------------------

    def flip(self, name: str) -> None:
        """Turn a quick toggle on or off; `keep` follows."""
        if name in self.toggles:
            self.toggles.discard(name)
        else:
            self.toggles.add(name)
        self.keep = keeps(self.toggles)

    # -- cancels ---------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A cancel is on its way: quitting would leave its outcome unseen."""
        return bool(self.sending) or self.bulk.running

    def in_flight(self, event_id: str) -> bool:
        """A request for this event is on its way, alone or in the running bulk run."""
        return event_id in self.sending or event_id in self.bulk_ids

    def begin_send(self, event_id: str) -> bool:
        """False when a request for this event is on its way already (nothing twice)."""
        if self.in_flight(event_id):
            return False
        self.sending.add(event_id)
        return True

    def end_send(self, event_id: str) -> None:
        self.sending.discard(event_id)

    def cancelled(self, event_ids: Iterable[str]) -> None:
        """These events went (cancelled, or found gone): no page fetched before brings
        them back, and a bulk cancel leaves them out."""
        self.gone.update(event_ids)

    def begin_bulk(self, total: int, event_ids: Iterable[str] = ()) -> None:
        self.bulk = BulkTally(total)
        self.bulk_ids = set(event_ids)

    def bulk_answered(self, answer: BulkAnswer, action: str = "cancel") -> Settled:
        """Count one answer of the running bulk action: "gone" when the event went
        (cancelled, deleted, or found gone), "answered" when a reply took effect (the event
        stays, with the user's new response), "left" otherwise (it stays marked)."""
        self.bulk.results.append((answer.event, answer.item))
        self.bulk.actions[answer.event.id] = action
        if answer.unaudited is not None:
            self.bulk.unaudited.append(answer.unaudited)
        settled = settles(answer.kind, action)
        if settled == "gone":
            self.cancelled([answer.event.id])
        if settled != "left":
            self.marked.pop(answer.event.id, None)
        return settled

    def end_bulk(self) -> BulkTally:
        self.bulk.running = False
        self.bulk_ids = set()
        return self.bulk
