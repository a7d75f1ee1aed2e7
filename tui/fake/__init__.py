"""A fake Microsoft Graph v1.0 calendar service for the demo mode, tests and other clients."""

from .faults import Fault, Faults
from .server import DEMO_TOKEN, FakeGraph, RecordedRequest
from .store import Store

__all__ = ["DEMO_TOKEN", "FakeGraph", "Fault", "Faults", "RecordedRequest", "Store"]
