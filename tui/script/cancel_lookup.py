"""The look-up of a write command (`cal365 cancel`, `respond`, `delete`): each event named,
with its details or why it cannot be sent, read through Graph JSON batching
(`GraphClient.get_events`: 20 per request, only what the question, the audit log and the
never-twice check need)."""

from __future__ import annotations

from tui.graph.client import GraphClient
from tui.graph.errors import AuthenticationRequired, GraphUnavailable
from tui.graph.lookups import EventLookup
from tui.graph.urls import EventRef
from tui.script.common import ScriptError, describe_error
from tui.script.exits import exit_for

# An event asked for, after the look-up: its details, or why it cannot be sent.
Target = EventLookup


async def look_up(client: GraphClient, refs: list[EventRef],
                  done: str = "cancelled") -> list[Target]:
    """Each event's details. Sign-in or network trouble ends the run before anything is sent."""
    try:
        targets = await client.get_events(refs)
        refused = next((t.error for t in targets
                        if isinstance(t.error, AuthenticationRequired)), None)
        if refused is not None:  # one look-up's sign-in refused: the cancels would be too
            raise refused
    except (AuthenticationRequired, GraphUnavailable) as error:
        message = f"{describe_error(error)}. Nothing was {done}."
        raise ScriptError(exit_for(error), message) from error
    return targets
