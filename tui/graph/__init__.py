"""A UI-free async client for the parts of Microsoft Graph cal365 uses."""

from tui.graph.batch import BatchItemOutcome, BulkCancel
from tui.graph.client import GLOBAL_GRAPH_URL, CancelOutcome, GraphClient
from tui.graph.delta import DeltaRound
from tui.graph.errors import (
    AuthenticationRequired,
    CancelNotSent,
    CancelOutcomeUnknown,
    GraphError,
    GraphUnavailable,
    NotFound,
    OrganizerRequired,
)
from tui.graph.models import Attendee, Calendar, CalendarGroup, Event, Group, Person, User
from tui.graph.policy import RetryPolicy, WaitNotice
from tui.graph.urls import ME, CalendarRef, EventRef, Mailbox

__all__ = [
    "GLOBAL_GRAPH_URL",
    "ME",
    "Attendee",
    "AuthenticationRequired",
    "BatchItemOutcome",
    "BulkCancel",
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
    "NotFound",
    "OrganizerRequired",
    "Person",
    "RetryPolicy",
    "User",
    "WaitNotice",
]
