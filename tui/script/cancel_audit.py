"""A write command (`cal365 cancel`, `respond`, `delete`) and the audit log: whether it can
take the records before anything is sent, each sent write's record, and the comment drafts
of the events done with."""

from __future__ import annotations

from tui.actions import audit
from tui.actions.cancel import cannot_record
from tui.actions.drafts import Drafts, DraftsError
from tui.graph.batch import BatchItemOutcome
from tui.graph.client import GraphClient
from tui.graph.errors import GraphError, GraphUnavailable
from tui.graph.models import Event
from tui.graph.urls import EventRef
from tui.paths import file_problem
from tui.script.cancel_lookup import Target
from tui.script.cancel_report import timing, warn


async def signed_in_account(client: GraphClient) -> str | None:
    """Who is signed in, for the audit log; None when Graph will not say."""
    try:
        user = await client.me()
    except (GraphError, GraphUnavailable):
        return None
    return user.user_principal_name or user.mail or None


class Auditor:
    """Appends each sent write to the audit log; a record it could not write is counted,
    and the first failure said at once (the write itself has gone out)."""

    def __init__(self, comment: str | None, account: str | None,
                 action: str = "cancel") -> None:
        self.comment = comment
        self.account = account
        self.action = action  # the write's name in the log: cancel, accept, delete…
        self.unwritten = 0
        self.reason = ""

    def record(self, outcomes: list[tuple[BatchItemOutcome, Event | None]]) -> bool:
        """The records of cancels whose outcomes came together (a batch's answer), in one
        write and one flush to the disk: all of them, or none. True when they were written."""
        return self._append([audit.entry_for_batch(
            item, subject=event.subject if event else "", start=event.start if event else None,
            comment=self.comment, source="cli", account=self.account, action=self.action,
        ) for item, event in outcomes])

    def record_unconfirmed(self, target: Target, why: str) -> bool:
        """The record of a cancel that went out with no answer yet (an interrupt)."""
        subject, _, _ = timing(target.event)
        entry = audit.entry_for(
            target.ref, subject=subject, start=target.event.start if target.event else None,
            comment=self.comment, error=RuntimeError(why), source="cli", account=self.account,
            action=self.action)
        return self._append([entry])

    def _append(self, entries: list[audit.AuditEntry]) -> bool:
        try:
            audit.append_many(entries)
        except OSError as error:
            if not self.unwritten:
                self.reason = file_problem(error)
                warn(f"could not write the audit log {audit.log_path()}: {self.reason}")
            self.unwritten += len(entries)
            return False
        return True


def check_audit(targets: list[Target], comment: str | None) -> str | None:
    """Why the audit log cannot take the records of these cancels now (None: it can)."""
    return cannot_record([t.event.subject if t.event else "" for t in targets], comment)


def forget_drafts(refs: list[EventRef]) -> None:
    """The app keeps comments typed for a cancel that did not go through: these did. A
    failure here is said, never fatal: the cancels have gone out."""
    if not refs:
        return
    try:
        drafts = Drafts.load()
        if drafts.problem:
            warn(drafts.problem)
        for ref in refs:
            drafts.discard_events(ref.mailbox.key, [ref.event_id])
    except DraftsError as exc:
        warn(str(exc))
    except OSError as exc:
        warn(f"could not forget the comment drafts of the cancelled events: "
             f"{file_problem(exc)}")
