"""A fake Graph that answers every request only after a fixed delay, like a distant server.

Handler threads sleep independently, so concurrent requests overlap their delays the way
they do against a real service.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from .exchange import Request, Response
from .server import FakeGraph


class LatencyGraph(FakeGraph):
    def __init__(self, today: dt.date | None = None, *, latency: float = 0.0,
                 **kwargs: Any) -> None:
        if latency < 0:
            raise ValueError("latency cannot be negative")
        super().__init__(today, **kwargs)
        self.latency = latency

    def dispatch(self, request: Request) -> Response:
        if self.latency:
            time.sleep(self.latency)
        return super().dispatch(request)
