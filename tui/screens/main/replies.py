"""Replies and deletes on the main screen: from a key (a, T, D, Del, or c by role) to its
dialog, and from the dialog to a send. Answers come back through the cancel flows
(`Cancels.answered`, `Cancels.bulk_progress`), which speak of every write.

The role decides what a key may do, before anything is sent: an invitation is answered, a
meeting the user organizes is cancelled, an appointment without attendees (or a cancelled
copy of someone else's meeting) is deleted, each with what Graph would otherwise refuse said
in words instead."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from tui.graph import Event
from tui.screens import status_lines as words
from tui.screens.main.cancels import Cancels, Run
from tui.screens.main.drafts import BULK_DRAFT

if TYPE_CHECKING:
    from tui.screens.bulk_reply import BulkReplyDecision
    from tui.screens.reply import ReplyDecision

def decline_instead(owner: str | None) -> str:
    """Why `c` opened a decline: said of the calendar's owner (`owner`: another person)."""
    who = "You do" if owner is None else f"{owner} does"
    return (f"{who} not organize this meeting, so it cannot be cancelled: decline it instead "
            "(the organizer is told, with the comment if one is written).")


def may_delete(event: Event) -> bool:
    """Delete is offered where it tells nobody: an appointment without attendees, or a copy
    of a meeting its organizer cancelled (delete only removes it from the calendar)."""
    if event.is_cancelled:
        return not event.is_organizer
    return event.is_organizer and not event.attendees


class Replies:
    def __init__(self, cancels: Cancels) -> None:
        self.cancels = cancels
        self.triage = cancels.triage
        self.drafts = cancels.drafts
        self.hooks = cancels.hooks

    def _say(self, line: str, kind: words.StatusKind = "info") -> None:
        self.hooks.status().show(line, kind)

    def _current(self) -> Event | None:
        event = self.hooks.table().current
        if event is None:
            self._say(words.NO_EVENT)
            return None
        if self.triage.in_flight(event.id):
            self._say(words.on_its_way(event), "busy")
            return None
        return event

    # -- keys ------------------------------------------------------------------------------

    def reply(self, kind: str) -> None:
        """a, T or D: the marked invitations, or the event under the cursor."""
        if self.triage.marked:
            self._open_bulk(kind)
            return
        event = self._current()
        if event is None:
            return
        if event.is_organizer:
            self._say(words.reply_to_own(event, self.hooks.owner_name()))
            return
        if event.is_cancelled:
            self._say(words.reply_to_cancelled(event))
            return
        self._open(event, kind)

    def instead_of_cancel(self) -> bool:
        """c by role: True when the event under the cursor is not one to cancel and another
        dialog was opened for it (decline an invitation, delete an appointment)."""
        if self.triage.marked:
            return False  # the bulk dialog splits by role itself
        event = self.hooks.table().current
        if event is None or self.triage.in_flight(event.id):
            return False
        if may_delete(event):
            self._confirm_delete(event)
            return True
        if not event.is_organizer and not event.is_cancelled:
            self._open(event, "decline", note=decline_instead(self.hooks.owner_name()))
            return True
        return False

    def delete(self) -> None:
        """Del: only where it tells nobody (`may_delete`); elsewhere, the key that fits."""
        event = self._current()
        if event is None:
            return
        if may_delete(event):
            self._confirm_delete(event)
        elif event.is_organizer:
            self._say(words.delete_meeting(event))
        else:
            self._say(words.delete_invitation(event))

    # -- one event -------------------------------------------------------------------------

    def _open(self, event: Event, kind: str, note: str = "") -> None:
        from tui.screens.reply import ReplyScreen

        tz = self.hooks.tz
        draft = self.drafts.drafts.get(event.ref.mailbox.key, event.id) or ""
        dialog = ReplyScreen(event, kind, draft, note=note, tz=tz,
                             today=dt.datetime.now(tz).date(),
                             keep=partial(self.drafts.drafts.put, event.ref.mailbox.key,
                                          event.id))
        self.hooks.screen.app.push_screen(dialog, partial(self._decided, event))

    def _decided(self, event: Event, decision: ReplyDecision | None) -> None:
        if decision is None or not self.cancels.may_send(
                event, decision.comment, send=decision.send, action=decision.reply):
            return
        from tui.actions.reply import ReplyRequest
        from tui.graph.replies import TimeSlot, as_reply

        reply = as_reply(decision.reply)
        if reply is None:
            return
        try:
            proposed = TimeSlot(*decision.proposed) if decision.proposed else None
            request = ReplyRequest.of(event, reply, decision.comment,
                                      send_response=decision.send_response, proposed=proposed,
                                      whole_series=decision.whole_series)
        except ValueError as refused:  # what Graph would refuse: said, and nothing sent
            self._say(words.reply_refused(event, str(refused),
                                          kept=bool(decision.comment)), "error")
            return
        if not self.triage.begin_send(event.id):
            return
        series = request.target.event_id != event.id
        self._say(words.sending(event, decision.reply, series=series), "busy")
        self.hooks.send(request)

    def _confirm_delete(self, event: Event) -> None:
        from tui.screens.confirm import ConfirmScreen

        title = "Remove from calendar" if event.is_cancelled else "Delete appointment"
        dialog = ConfirmScreen(title, words.delete_question(event), "delete")
        self.hooks.screen.app.push_screen(dialog, partial(self._delete_decided, event))

    def _delete_decided(self, event: Event, yes: bool | None) -> None:
        if not yes:
            self._say(f"Not deleted: {words.short(event)}.")
            return
        if self.hooks.refused_offline():
            self._say(words.offline_refusal(event, kept=False, action="delete"), "error")
            return
        if not self.triage.begin_send(event.id):
            return
        from tui.actions.reply import DeleteRequest

        self._say(words.sending(event, "delete", series=False), "busy")
        self.hooks.send(DeleteRequest.of(event))

    # -- the marked ones -------------------------------------------------------------------

    def _open_bulk(self, kind: str) -> None:
        live = self.cancels.marks_to_open()
        if live is None:
            return
        from tui.screens.bulk_reply import BulkReplyScreen

        dialog = BulkReplyScreen(live, kind, self.drafts.bulk(), self.cancels.marks_owner(live),
                                 keep=partial(self.drafts.drafts.put, *BULK_DRAFT))
        self.hooks.screen.app.push_screen(dialog, partial(self._bulk_decided, kind))

    def _bulk_decided(self, kind: str, decision: BulkReplyDecision | None) -> None:
        if decision is None or not self.cancels.bulk_may_send(decision.comment,
                                                             send=decision.send):
            return
        invited = self.triage.invitations(self.triage.live_marks())
        if not invited:
            self._say(words.bulk_no_invitations(self.hooks.owner_name()))
            return
        plan: list[Run] = [(kind, invited, decision.send_response)]
        if decision.send_response and not decision.comment.strip():
            # Organizers who asked for no response get none (Graph refuses one): with no
            # comment to carry, nothing is lost by leaving it out for them.
            asked = [e for e in invited if e.response_requested]
            unasked = [e for e in invited if not e.response_requested]
            plan = [(kind, events, respond) for events, respond in ((asked, True),
                                                                    (unasked, False))
                    if events]
        self.cancels.start_bulk(plan, decision.comment, check_first=False)
