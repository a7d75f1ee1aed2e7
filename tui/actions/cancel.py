"""Cancel meetings: one, an occurrence, a whole series, or many in JSON batches.

The first action of the layer. Each action has a request (what goes to Graph, and its
planned form for a dry run), an outcome classified once (`tui.actions.outcome`), and an
audit record; the app's workers and `cal365 cancel` run it and only say what came back.
The audit log is checked before anything is sent, and each answer is recorded after: a
record that cannot be written does not undo a cancel that went, so its reason is handed
back to be said.

Actions to come (reply to an invitation, end a series, delete, offboard) plug in as
another `ActionRequest`: `run_one` does the rest.
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
from tui.graph.urls import EventRef
from tui.paths import file_problem

if TYPE_CHECKING:  # the client (and its HTTP stack) loads after the first frame
    from tui.graph import CancelOutcome, GraphClient


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    """One request exactly as it would go on the wire (path relative to the Graph root)."""

    method: str
    path: str
    body: dict[str, str]

    @property
    def wire_body(self) -> str:
        return json.dumps(self.body)  # the same serialisation as the client's

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
                            source=source, account=account)
    unaudited = await asyncio.to_thread(record, entry)
    return Answer(request, classify(error), request_id, error, unaudited)


@dataclass(frozen=True, slots=True)
class BulkAnswer:
    """What became of one event of a bulk cancel, as soon as it is known."""

    event: Event
    item: BatchItemOutcome  # Graph's raw answer: status, reason, request-id
    kind: Kind
    unaudited: str | None = None


class BulkRun:
    """One bulk cancel of `events` with one comment: check the log (`blocked`), then
    iterate for each event's answer, audited; `batches` counts the batches sent."""

    def __init__(self, client: GraphClient, events: Sequence[Event], comment: str, *,
                 check_first: bool, account: str | None, source: audit.Source = "tui") -> None:
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
        run = self._client.cancel_many([e.ref for e in self._events], self._comment,
                                       check_first=self._check_first)
        try:
            async for item in run:
                event = by_key[(item.ref.mailbox.key, item.ref.event_id)]
                entry = audit.entry_for_batch(item, subject=event.subject, start=event.start,
                                              comment=self._comment, source=self._source,
                                              account=self._account)
                unaudited = await asyncio.to_thread(record, entry)
                yield BulkAnswer(event, item, classify_item(item), unaudited)
        finally:
            self.batches = run.stats.batches


async def settled_drafts(client: GraphClient, refs: Sequence[EventRef]) -> list[str]:
    """The ids among `refs` whose comment drafts can go: Graph says the event is cancelled
    or no longer there. One that cannot be looked at keeps its draft."""
    settled: list[str] = []
    for ref in refs:
        try:
            event = await client.event(ref)
        except (GraphError, GraphUnavailable) as error:
            if classify(error) == "not-found":
                settled.append(ref.event_id)
            continue
        if event.is_cancelled:
            settled.append(ref.event_id)
    return settled
