"""Cancel meetings: one, an occurrence, a whole series, or many in JSON batches.

The first action of the layer. Each action has a request (what goes to Graph, and its
planned form for a dry run), an outcome classified once (`tui.actions.outcome`), and an
audit record; the app's workers and `cal365 cancel` run it and only say what came back.
The audit log is checked before anything is sent, and each answer is recorded after: a
record that cannot be written does not undo a cancel that went, so its reason is handed
back to be said.

Other actions plug in as another `ActionRequest` (replies and delete: `tui.actions.reply`):
`run_one` does the rest; `BulkRun` sends any `BulkAction` to many events.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from tui.actions import audit
from tui.actions.outcome import Kind, classify, classify_item
from tui.graph import Event
from tui.graph.batch import MAX_REQUESTS, BatchItemOutcome, build_batch, cancel_body
from tui.graph.errors import GraphError, GraphUnavailable
from tui.graph.replies import RESPONSE_OF, Reply, as_reply, reply_body
from tui.graph.urls import EventRef
from tui.paths import file_problem

if TYPE_CHECKING:  # the client (and its HTTP stack) loads after the first frame
    from tui.graph import CancelOutcome, GraphClient
    from tui.graph.batch import BulkWrite


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    """One request exactly as it would go on the wire (path relative to the Graph root)."""

    method: str
    path: str
    body: dict[str, Any] | None  # None: the request has no body (a DELETE)

    @property
    def wire_body(self) -> str:
        # The same serialisation as the client's; nothing for a request without a body.
        return "" if self.body is None else json.dumps(self.body)

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "body": self.body}


def plan(refs: Sequence[EventRef], comment: str | None) -> list[PlannedRequest]:
    """Each cancel as a request of its own: what each sub-request of a batch carries."""
    body = cancel_body(comment)
    return [PlannedRequest("POST", ref.cancel_path, body) for ref in refs]


def batches(refs: Sequence[EventRef], comment: str | None) -> list[dict[str, Any]]:
    """The `POST /$batch` bodies the cancels would travel in (at most 20 requests each)."""
    body = cancel_body(comment)
    return [build_batch(refs[i:i + MAX_REQUESTS], body)
            for i in range(0, len(refs), MAX_REQUESTS)]


class ActionRequest(Protocol):
    """One action on one event, as the user asked for it."""

    @property
    def event(self) -> Event:
        """The event as the user saw it (its subject and start go in the audit log)."""

    @property
    def target(self) -> EventRef:
        """Where the request goes (an occurrence's series master, say)."""

    @property
    def comment(self) -> str: ...

    @property
    def action(self) -> str:
        """The write's name, for the audit log: "cancel", "accept", "tentativelyAccept",
        "decline" or "delete"."""

    def planned(self) -> PlannedRequest: ...

    async def send(self, client: GraphClient) -> str | None:
        """Send it; Graph's request-id when it went through. Raises what the client
        raises (classified by `tui.actions.outcome.classify`)."""


@dataclass(frozen=True, slots=True)
class CancelRequest:
    """A cancel of one event, or of the whole series an occurrence belongs to."""

    event: Event
    target: EventRef
    comment: str

    @classmethod
    def of(cls, event: Event, comment: str, *, whole_series: bool = False) -> CancelRequest:
        target = event.ref
        if whole_series and event.series_master_id:
            target = EventRef(event.series_master_id, event.ref.mailbox, event.ref.calendar)
        return cls(event, target, comment)

    @property
    def series(self) -> bool:
        """The request goes to the series master: every occurrence is cancelled."""
        return self.target.event_id != self.event.id

    @property
    def action(self) -> str:
        return "cancel"

    def planned(self) -> PlannedRequest:
        return plan([self.target], self.comment)[0]

    async def send(self, client: GraphClient) -> str | None:
        outcome: CancelOutcome = await client.cancel_event(self.target, self.comment)
        return outcome.request_id


@dataclass(frozen=True, slots=True)
class Answer:
    """What became of one request sent alone (`blocked`: nothing was sent, and why)."""

    request: ActionRequest
    kind: Kind
    request_id: str | None = None
    error: GraphError | GraphUnavailable | None = None
    unaudited: str | None = None  # why its audit record could not be written
    blocked: str | None = None


def cannot_record(subjects: Sequence[str], comment: str | None) -> str | None:
    """Why the audit log cannot take these records now (None: it can). Blocking: the app
    calls it off the UI thread, just before sending."""
    return audit.cannot_record(subjects, comment)


def record(entry: audit.AuditEntry) -> str | None:
    """Append to the audit log. The request has gone, so a failure is not fatal: its
    reason comes back, for the outcome's words."""
    try:
        audit.append(entry)
    except OSError as error:
        return file_problem(error)
    return None


def record_many(entries: list[audit.AuditEntry]) -> str | None:
    """`record` for the answers known together (one batch's): one write, one flush."""
    try:
        audit.append_many(entries)
    except OSError as error:
        return file_problem(error)
    return None


async def run_one(client: GraphClient, request: ActionRequest, *, account: str | None,
                  source: audit.Source = "tui") -> Answer:
    """Check the audit log can take the record, send, classify, record."""
    event = request.event
    problem = await asyncio.to_thread(cannot_record, [event.subject], request.comment)
    if problem is not None:
        return Answer(request, "not-sent", blocked=problem)
    request_id: str | None = None
    error: GraphError | GraphUnavailable | None = None
    try:
        request_id = await request.send(client)
    except (GraphError, GraphUnavailable) as refused:
        error = refused
    entry = audit.entry_for(request.target, subject=event.subject, start=event.start,
                            comment=request.comment, error=error, request_id=request_id,
                            source=source, account=account, action=request.action)
    unaudited = await asyncio.to_thread(record, entry)
    return Answer(request, classify(error), request_id, error, unaudited)


@dataclass(frozen=True, slots=True)
class BulkAnswer:
    """What became of one event of a bulk write, as soon as it is known."""

    event: Event
    item: BatchItemOutcome  # Graph's raw answer: status, reason, request-id
    kind: Kind
    unaudited: str | None = None


@dataclass(frozen=True, slots=True)
class BulkAction:
    """What a bulk run sends to every event: a cancel, a reply, a delete."""

    action: str = "cancel"  # the write's name, as `ActionRequest.action`
    send_response: bool = True  # a reply's: tell the organizer

    @classmethod
    def cancel(cls) -> BulkAction:
        return cls("cancel")

    @classmethod
    def reply(cls, reply: Reply, *, send_response: bool = True) -> BulkAction:
        if as_reply(reply) is None:
            raise ValueError(f"not a reply: {reply!r}")
        return cls(reply, send_response)

    @classmethod
    def delete(cls) -> BulkAction:
        return cls("delete")

    def check(self, comment: str | None) -> None:
        """ValueError, nothing to send, when Graph would refuse this with `comment`."""
        if as_reply(self.action) is not None:
            reply_body(comment, send_response=self.send_response)

    def start(self, client: GraphClient, refs: list[EventRef], comment: str | None, *,
              check_first: bool) -> BulkWrite:
        if self.action == "cancel":
            return client.cancel_many(refs, comment, check_first=check_first)
        if self.action == "delete":
            return client.delete_many(refs, check_first=check_first)
        reply = as_reply(self.action)
        if reply is None:
            raise ValueError(f"not a write: {self.action!r}")
        return client.reply_many(refs, reply, comment, send_response=self.send_response,
                                 check_first=check_first)


class BulkRun:
    """One bulk write (`action`, a cancel by default) of `events` with one comment: check
    the log (`blocked`), then iterate for each event's answer, audited; `batches` counts
    the batches sent. ValueError, nothing sent, for a reply Graph would refuse (a comment
    without a response to the organizer)."""

    def __init__(self, client: GraphClient, events: Sequence[Event], comment: str, *,
                 action: BulkAction | None = None, check_first: bool,
                 account: str | None, source: audit.Source = "tui") -> None:
        self.action = action or BulkAction.cancel()
        self.action.check(comment)
        self._client, self._comment = client, comment
        self._events = list(events)
        self._check_first, self._account, self._source = check_first, account, source
        self.batches = 0

    async def blocked(self) -> str | None:
        """Why nothing may be sent (the audit log cannot take the records); None: go."""
        return await asyncio.to_thread(cannot_record, [e.subject for e in self._events],
                                       self._comment)

    async def answers(self) -> AsyncIterator[BulkAnswer]:
        by_key = {(e.ref.mailbox.key, e.id): e for e in self._events}
        action = self.action.action
        comment = None if action == "delete" else self._comment
        run = self.action.start(self._client, [e.ref for e in self._events], comment,
                                check_first=self._check_first)
        try:
            # The answers of one batch are recorded together, each before it is handed on.
            async for group in run.groups():
                pairs = [(by_key[(item.ref.mailbox.key, item.ref.event_id)], item)
                         for item in group]
                entries = [audit.entry_for_batch(item, subject=event.subject,
                                                 start=event.start, comment=comment,
                                                 source=self._source, account=self._account,
                                                 action=action)
                           for event, item in pairs]
                unaudited = await asyncio.to_thread(record_many, entries)
                for event, item in pairs:
                    yield BulkAnswer(event, item, classify_item(item), unaudited)
        finally:
            self.batches = run.stats.batches


async def settled_drafts(client: GraphClient, refs: Sequence[EventRef], *,
                         action: str = "cancel") -> list[str]:
    """The ids among `refs` whose comment drafts for the write `action` can go: Graph says
    the event is no longer there, or shows the write done (cancelled; for a reply, the
    user's response is the reply's). One that cannot be looked at keeps its draft."""
    reply = as_reply(action)
    response = RESPONSE_OF[reply] if reply is not None else None
    settled: list[str] = []
    for ref in refs:
        try:
            event = await client.event(ref)
        except (GraphError, GraphUnavailable) as error:
            if classify(error) == "not-found":
                settled.append(ref.event_id)
            continue
        if (event.is_cancelled if action == "cancel"
                else response is not None and event.my_response == response):
            settled.append(ref.event_id)
    return settled
