"""`cal365 cancel`'s look-up: each event named, with its details or why it cannot be sent."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tui.graph.client import GraphClient
from tui.graph.errors import AuthenticationRequired, GraphError, GraphUnavailable
from tui.graph.models import Event
from tui.graph.urls import EventRef
from tui.script.common import ScriptError, describe_error
from tui.script.exits import exit_for

_LOOKUPS = 4  # concurrent GETs while looking events up


@dataclass(frozen=True, slots=True)
class Target:
    """An event asked for, after the lookup: its details, or why it cannot be sent."""

    ref: EventRef
    event: Event | None
    error: GraphError | None = None


async def look_up(client: GraphClient, refs: list[EventRef]) -> list[Target]:
    """Each event's details. Sign-in or network trouble ends the run before anything is sent."""
    limit = asyncio.Semaphore(_LOOKUPS)

    async def one(ref: EventRef) -> Target:
        async with limit:
            try:
                return Target(ref, await client.event(ref))
            except (AuthenticationRequired, GraphUnavailable):
                raise
            except GraphError as error:
                return Target(ref, None, error)

    try:
        return list(await asyncio.gather(*(one(ref) for ref in refs)))
    except (AuthenticationRequired, GraphUnavailable) as error:
        message = f"{describe_error(error)}. Nothing was cancelled."
        raise ScriptError(exit_for(error), message) from error
