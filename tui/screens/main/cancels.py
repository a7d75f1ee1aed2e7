"""Marks and cancels on the main screen: the flows from a key to its dialog, from the dialog
to a send, and from each answer to the table and the status line.

The rules live in tui.actions (triage state, cancels, outcomes) and the words in
tui.screens.status_lines; the screen owns the workers that send and hands their messages here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen

from tui.actions.triage import RESPONSE_AFTER, Triage, settles
from tui.graph import CalendarRef, Event
from tui.messages import BulkBlocked, BulkFinished, BulkProgress, CancelAnswered, CancelFinished
from tui.screens import status_lines as words
from tui.screens.main.drafts import BULK_DRAFT, DraftKeeper
from tui.widgets.event_table import EventTable
from tui.widgets.status_bar import StatusBar, StatusKind

if TYPE_CHECKING:  # the dialogs (and the sending, with httpx) are imported on first use
    from tui.actions.cancel import ActionRequest, Answer, BulkAnswer, BulkRun
    from tui.graph import GraphClient  # httpx: not before the first frame
    from tui.screens.bulk import BulkDecision, BulkResultsScreen
    from tui.screens.cancel import CancelDecision


Run = tuple[str, list[Event], bool]
"""One run of a bulk send: the write, its events, whether a reply tells the organizer."""


@dataclass
class CancelHooks:
    """What the cancel flows need of the screen that owns them."""

    screen: Screen[Any]
    client: GraphClient
    table: Callable[[], EventTable]
    status: Callable[[], StatusBar]
    tz: dt.tzinfo
    calendar: Callable[[], CalendarRef]
    owner_name: Callable[[], str | None]
    account: Callable[[], str | None]
    refused_offline: Callable[[], bool]
    """True while a cached screen is offline: nothing is sent then (nor queued)."""
    marks_changed: Callable[[], None]
    shown: Callable[[], None]
    """The table changed under the cursor: details and titles follow."""
    forget: Callable[[str], None]
    """A cancel went through: the cache forgets the event."""
    send: Callable[[ActionRequest], object]
    """Start the worker that sends one cancel, reply or delete."""
    send_bulk: Callable[[list[tuple[str, BulkRun]]], object]
    """Start the worker that sends the marked events' runs, one after another (each its
    write's name and its run)."""


class Cancels:
    def __init__(self, triage: Triage, drafts: DraftKeeper, hooks: CancelHooks) -> None:
        self.triage = triage
        self.drafts = drafts
        self.hooks = hooks
        self.quit_warned = False
        self._bulk_comment = ""  # the last bulk run's, for its retry
        self._bulk_responds: dict[str, bool] = {}

    @property
    def _table(self) -> EventTable:
        return self.hooks.table()

    def _say(self, line: str, kind: StatusKind = "info") -> None:
        self.hooks.status().show(line, kind)

    # -- marks -----------------------------------------------------------------------------

    def marks_follow(self, events: Iterable[Event], vanished: Iterable[str], *,
                     how: str = "in the sync") -> str:
        """Marks follow a sync or reload (`Triage.follow`). Returns the line that says
        which went ("" if none); their comment drafts stay where they are."""
        gone = self.triage.follow(events, vanished)
        if gone:
            self.hooks.marks_changed()
        return words.marks_went(gone, len(self.triage.marked), how)

    def toggle_mark(self) -> None:
        event = self._table.current
        if event is None:
            self._say(words.NO_EVENT_TO_MARK)
            return
        self.triage.toggle_mark(event)
        self.hooks.marks_changed()
        self._table.action_cursor_down()

    def mark_all(self) -> None:
        if not self._table.visible_events:
            self._say(words.NOTHING_TO_MARK)
            return
        self.triage.mark_all(self._table.visible_events)
        self.hooks.marks_changed()

    def unmark_all(self) -> None:
        if not self.triage.unmark_all():
            self._say(words.NONE_MARKED)
            return
        self.hooks.marks_changed()

    # -- bulk cancel -----------------------------------------------------------------------

    def marks_to_open(self) -> list[Event] | None:
        """The marked events a bulk dialog (cancel or reply) opens on; None, and why said,
        while a bulk run goes on or every marked event's own request is on its way."""
        if self.triage.bulk.running:
            self._say(words.BULK_RUNNING, "busy")
            return None
        live = self.triage.live_marks()
        if not live:
            self._say(words.MARKS_IN_FLIGHT, "busy")
            return None
        return live

    def bulk_may_send(self, comment: str, *, send: bool) -> bool:
        """After a bulk dialog: its comment kept; False, and why said, when nothing goes
        (backed out, or offline)."""
        self.drafts.save_bulk(comment)
        if not send:
            self._say(words.BULK_NOT_SENT)
            return False
        if self.hooks.refused_offline():
            self._say(words.BULK_OFFLINE, "error")
            return False
        return True

    def _open_bulk(self) -> None:
        live = self.marks_to_open()
        if live is None:
            return
        from tui.screens.bulk import BulkCancelScreen

        dialog = BulkCancelScreen(live, self.drafts.bulk(), self.marks_owner(live),
                                  keep=partial(self.drafts.drafts.put, *BULK_DRAFT))
        self.hooks.screen.app.push_screen(dialog, self._bulk_decided)

    def marks_owner(self, events: list[Event]) -> str | None:
        """Whose organizer flag the marked events carry, when all are in the open calendar
        and it is another person's (see `MainScreen.owner_name`); None otherwise."""
        if events and all(e.ref.calendar == self.hooks.calendar() for e in events):
            return self.hooks.owner_name()
        return None

    def _bulk_decided(self, decision: BulkDecision | None) -> None:
        if decision is None or not self.bulk_may_send(decision.comment, send=decision.send):
            return
        live = self.triage.live_marks()
        if not live:  # a sync while the dialog was open took them away
            self._say(words.BULK_MARKS_WENT)
            return
        plan: list[Run] = []
        if decision.cancel:
            plan.append(("cancel", self.triage.to_send(
                live, include_others=decision.include_others), True))
        if decision.decline:
            plan.append(("decline", self.triage.invitations(live), True))
        plan = [run for run in plan if run[1]]
        if not plan:
            self._say(words.bulk_none_organized(self.marks_owner(live)))
            return
        self.start_bulk(plan, decision.comment, check_first=False)

    def start_bulk(self, plan: list[Run], comment: str, *, check_first: bool) -> None:
        """Send each write of `plan` (its name, its events, whether a reply tells the
        organizer) to its events, one run after another, with one comment. A run the action
        layer refuses (what Graph would refuse) sends nothing at all, and says why."""
        try:
            runs = [(action, bulk_run(self.hooks.client, action, events, comment,
                                      send_response=respond, check_first=check_first,
                                      account=self.hooks.account()))
                    for action, events, respond in plan]
        except ValueError as refused:
            self._say(words.bulk_refused(str(refused)), "error")
            return
        self.triage.begin_bulk(sum(len(events) for _, events, _ in plan),
                               (e.id for _, events, _ in plan for e in events))
        # The retry of this run sends what this run sent: its comment, each event's reply.
        self._bulk_comment = comment
        self._bulk_responds = {e.id: respond for _, events, respond in plan for e in events}
        counts: dict[str, int] = {}
        for action, events, _ in plan:
            counts[action] = counts.get(action, 0) + len(events)
        self._say(words.bulk_sending(counts), "busy")
        self.hooks.send_bulk(runs)

    def bulk_progress(self, answer: BulkAnswer, action: str = "cancel") -> None:
        event = answer.event
        if answer.kind == "done":
            self.drafts.drop(event.ref.mailbox.key, [event.id])
        settled = self.triage.bulk_answered(answer, action)
        if settled == "gone":
            self.hooks.forget(event.id)
            self._table.remove_id(event.id)
        elif settled == "answered":
            self._table.apply([answered_event(event, action)])
        self._say(words.bulk_progress(self.triage.bulk), "busy")

    def bulk_finished(self, batches: int) -> None:
        tally = self.triage.end_bulk()
        self.quit_warned = False
        self.hooks.marks_changed()
        self.hooks.shown()
        self.hooks.status().show(*words.bulk_done(tally))
        if tally.left == 0:
            self.drafts.save_bulk("")
        from tui.screens.bulk import BulkResultsScreen

        screen = BulkResultsScreen(list(tally.results), batches, words.not_logged(tally),
                                   actions=dict(tally.actions))
        self.hooks.screen.app.push_screen(screen, partial(self._results_closed, screen))

    def _results_closed(self, screen: BulkResultsScreen, retry: bool | None) -> None:
        if retry:
            # Unknown outcomes are looked at before anything is sent again; each goes
            # again as the write it was.
            plan: dict[tuple[str, bool], list[Event]] = {}
            for event, _ in screen.retryable:
                key = (screen.actions.get(event.id, "cancel"),
                       self._bulk_responds.get(event.id, True))
                plan.setdefault(key, []).append(event)
            self.start_bulk([(action, events, respond)
                             for (action, respond), events in plan.items()],
                            self._bulk_comment, check_first=True)

    def bulk_blocked(self, reason: str) -> None:
        # A bulk cancel the audit log could not take: nothing went, the marks stay.
        self.triage.end_bulk()
        self.quit_warned = False
        self._say(words.bulk_blocked(reason), "error")

    # -- cancelling one event --------------------------------------------------------------

    def cancel_event(self) -> None:
        if self.triage.marked:
            self._open_bulk()
            return
        event = self._table.current
        if event is None:
            self._say(words.NO_EVENT)
            return
        if self.triage.in_flight(event.id):
            self._say(words.on_its_way(event), "busy")
            return
        if event.is_cancelled:
            # Already called off by its organizer: a cancel could only be refused, and the
            # check after a lost answer would read the old flag as our success.
            self._say(words.already_cancelled(event))
            return
        draft = self.drafts.drafts.get(event.ref.mailbox.key, event.id) or ""
        now = dt.datetime.now(self.hooks.tz)
        upcoming = sum(
            1
            for e in self._table.all_events
            if e.series_master_id is not None
            and e.series_master_id == event.series_master_id
            and (e.start is None or e.start >= now)
        )
        from tui.screens.cancel import CancelScreen

        dialog = CancelScreen(event, draft, series_in_view=upcoming,
                              keep=partial(self.drafts.drafts.put, event.ref.mailbox.key,
                                           event.id))
        self.hooks.screen.app.push_screen(dialog, partial(self._cancel_decided, event))

    def may_send(self, event: Event, comment: str, *, send: bool, action: str) -> bool:
        """After a single dialog: the comment kept as the event's draft; False, and why
        said, when nothing goes (backed out, or offline: nothing is queued, the user sends
        it again once the network is back)."""
        self.drafts.keep(event, comment)
        if not send:
            self._say(words.not_sent(event, kept=bool(comment)))
            return False
        if self.hooks.refused_offline():
            self._say(words.offline_refusal(event, kept=bool(comment), action=action), "error")
            return False
        return True

    def _cancel_decided(self, event: Event, decision: CancelDecision | None) -> None:
        if decision is None or not self.may_send(event, decision.comment, send=decision.send,
                                                 action="cancel"):
            return
        if not self.triage.begin_send(event.id):
            return
        from tui.actions.cancel import CancelRequest

        request = CancelRequest.of(event, decision.comment,
                                   whole_series=decision.whole_series)
        self._say(words.cancelling(event, series=request.series), "busy")
        self.hooks.send(request)

    def answered(self, answer: Answer) -> None:
        event = answer.request.event
        if answer.blocked is not None:
            self._say(words.blocked(event, answer.blocked,
                                    kept=bool(answer.request.comment)), "error")
            return
        settled = settles(answer.kind, answer.request.action)
        if settled == "answered":
            self._replied(answer)
        elif settled == "gone" and answer.kind == "done":
            self._cancelled(answer)  # a decline or a delete takes it away as a cancel does
        has_draft = bool(self.drafts.drafts.get(event.ref.mailbox.key, event.id))
        self.hooks.status().show(*words.answered(answer, has_draft=has_draft))

    def _cancelled(self, answer: Answer) -> None:
        event, target = answer.request.event, answer.request.target
        series = target.event_id != event.id
        table = self._table
        # Every occurrence of a cancelled series is cancelled: their drafts go too.
        done = [event.id, target.event_id]
        if series:
            done += [e.id for e in table.all_events
                     if e.series_master_id == event.series_master_id]
        self.drafts.drop(event.ref.mailbox.key, done)
        self.triage.cancelled([event.id])
        self.hooks.forget(target.event_id if series else event.id)
        if series:
            for other in list(table.all_events):
                if other.series_master_id == event.series_master_id:
                    self.triage.cancelled([other.id])
                    table.remove_id(other.id)
        else:
            table.remove_id(event.id)
        self.hooks.shown()

    def _replied(self, answer: Answer) -> None:
        """A reply took effect: the row shows the new response; for a whole series, every
        occurrence in the window does."""
        event, target = answer.request.event, answer.request.target
        action = answer.request.action
        self.drafts.drop(event.ref.mailbox.key, [event.id, target.event_id])
        table = self._table
        series = target.event_id != event.id
        changed = [answered_event(e, action) for e in table.all_events
                   if e.id == event.id or (series and e.series_master_id is not None
                                           and e.series_master_id == event.series_master_id)]
        table.apply(changed)
        self.hooks.shown()

    def finished(self, event_id: str) -> None:
        self.triage.end_send(event_id)
        self.quit_warned = False

    def may_quit(self) -> bool:
        """False, and why said, the first time q comes while a cancel is on its way: quitting
        then would leave its outcome unseen and out of the audit log."""
        if not self.triage.busy or self.quit_warned:
            return True
        self.quit_warned = True
        self._say(words.QUIT_WHILE_SENDING, "busy")
        return False


def answered_event(event: Event, action: str) -> Event:
    """The event as the user's reply left it (Graph's response word for the reply)."""
    return replace(event, my_response=RESPONSE_AFTER.get(action, event.my_response))


def bulk_run(client: GraphClient, action: str, events: list[Event], comment: str, *,
             send_response: bool, check_first: bool, account: str | None) -> BulkRun:
    """The action layer's bulk run of one write over `events`."""
    from tui.actions.cancel import BulkAction, BulkRun
    from tui.graph.replies import as_reply

    reply = as_reply(action)
    if reply is not None:
        kind = BulkAction.reply(reply, send_response=send_response)
    elif action == "delete":
        kind = BulkAction.delete()
    else:
        kind = BulkAction.cancel()
    return BulkRun(client, events, comment, action=kind, check_first=check_first,
                   account=account)


async def run_bulk(runs: list[tuple[str, BulkRun]], post: Callable[[Message], object]) -> None:
    """The bulk worker: the audit log checked for every run first (nothing goes if it cannot
    take them all), then each run in turn, each answer posted as it comes, then the end."""
    for _, run in runs:
        problem = await run.blocked()
        if problem is not None:
            post(BulkBlocked(problem))
            return
    batches = 0
    try:
        for action, run in runs:
            try:
                async for answer in run.answers():
                    post(BulkProgress(answer, action))
            finally:
                batches += run.batches
    finally:
        post(BulkFinished(batches))


async def send_one(client: GraphClient, request: ActionRequest, account: str | None,
                   post: Callable[[Message], object]) -> None:
    """The worker of one cancel, reply or delete: to the event, or to its series
    (`request.target`)."""
    from tui.actions.cancel import run_one

    try:
        post(CancelAnswered(await run_one(client, request, account=account)))
    finally:
        post(CancelFinished(request.event.id))
