"""A fake Microsoft Graph v1.0 calendar service for the demo mode, tests and other clients.

Its names load on first use: `cal365 --demo` starts the service in a child process and the
app's own process should not pay for importing the server it does not run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .faults import Fault, Faults
    from .server import FakeGraph, RecordedRequest
    from .store import Store
    from .token import DEMO_TOKEN

__all__ = ["DEMO_TOKEN", "FakeGraph", "Fault", "Faults", "RecordedRequest", "Store"]

_HOMES = {"DEMO_TOKEN": ".token", "FakeGraph": ".server", "RecordedRequest": ".server",
          "Fault": ".faults", "Faults": ".faults", "Store": ".store"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)
