"""A UI-free async client for the parts of Microsoft Graph cal365 uses.

Layers, each importing only those above it in this list (a test keeps it so):
- `urls` (every path and query string), `models`, `errors`, `jsonpages`, `policy`,
  `permissions`, `timezones`, `recurrence`, `replies`: no I/O;
- `threads`, `paging`, `transport`: sending under the policy, reading JSON, following pages;
- operations on the transport's public methods: `events`, `calendars`, `writes` (cancel,
  reply, delete: each sent once), `cancel`, `delta`, `batching` (the `$batch` machinery),
  `batch` (bulk writes), `lookups` (many events read through `batching`);
- `client`: `GraphClient`, the one object the rest of cal365 holds.

The names below load with their module on first use: the models and URL forms are wanted
at once by the cache and the first screen, the HTTP client (httpx, TLS) only once a request
is about to go out, which a warm start puts after its first frame.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.graph.batch import BatchItemOutcome, BulkCancel, BulkWrite
    from tui.graph.cancel import CancelOutcome
    from tui.graph.client import GraphClient
    from tui.graph.delta import DeltaRound
    from tui.graph.errors import (
        AuthenticationRequired,
        CancelNotSent,
        CancelOutcomeUnknown,
        GraphError,
        GraphUnavailable,
        MeetingCancelled,
        NotFound,
        OrganizerCannotRespond,
        OrganizerRequired,
        ResponseNotRequested,
        WriteNotSent,
        WriteOutcomeUnknown,
    )
    from tui.graph.models import Attendee, Calendar, CalendarGroup, Event, Group, Person, User
    from tui.graph.policy import RetryPolicy, WaitNotice
    from tui.graph.replies import Reply, TimeSlot
    from tui.graph.urls import GLOBAL_GRAPH_URL, ME, CalendarRef, EventRef, Mailbox
    from tui.graph.writes import Write, WriteOutcome

_WHERE = {
    "batch": ("BatchItemOutcome", "BulkCancel", "BulkWrite"),
    "cancel": ("CancelOutcome",),
    "client": ("GraphClient",),
    "delta": ("DeltaRound",),
    "errors": ("AuthenticationRequired", "CancelNotSent", "CancelOutcomeUnknown", "GraphError",
               "GraphUnavailable", "MeetingCancelled", "NotFound", "OrganizerCannotRespond",
               "OrganizerRequired", "ResponseNotRequested", "WriteNotSent",
               "WriteOutcomeUnknown"),
    "models": ("Attendee", "Calendar", "CalendarGroup", "Event", "Group", "Person", "User"),
    "policy": ("RetryPolicy", "WaitNotice"),
    "replies": ("Reply", "TimeSlot"),
    "urls": ("GLOBAL_GRAPH_URL", "ME", "CalendarRef", "EventRef", "Mailbox"),
    "writes": ("Write", "WriteOutcome"),
}
_MODULE = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "GLOBAL_GRAPH_URL",
    "ME",
    "Attendee",
    "AuthenticationRequired",
    "BatchItemOutcome",
    "BulkCancel",
    "BulkWrite",
    "Calendar",
    "CalendarGroup",
    "CalendarRef",
    "CancelNotSent",
    "CancelOutcome",
    "CancelOutcomeUnknown",
    "DeltaRound",
    "Event",
    "EventRef",
    "GraphClient",
    "GraphError",
    "GraphUnavailable",
    "Group",
    "Mailbox",
    "MeetingCancelled",
    "NotFound",
    "OrganizerCannotRespond",
    "OrganizerRequired",
    "Person",
    "Reply",
    "ResponseNotRequested",
    "RetryPolicy",
    "TimeSlot",
    "User",
    "WaitNotice",
    "Write",
    "WriteNotSent",
    "WriteOutcome",
    "WriteOutcomeUnknown",
]


if not TYPE_CHECKING:  # type checkers see the names imported above instead

    def __getattr__(name: str) -> Any:
        module = _MODULE.get(name)
        if module is None:  # a submodule (tui.graph.permissions) or a real AttributeError
            raise AttributeError(f"module 'tui.graph' has no attribute {name!r}")
        value = getattr(importlib.import_module(f"tui.graph.{module}"), name)
        globals()[name] = value  # once: later lookups do not come here
        return value
