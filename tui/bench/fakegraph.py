"""The fake Graph as the benchmarks use it: bulk events, added latency, whole-window listings.

The fake renders and sorts every event of a window on each page request, which is fine for
tests but would make a 100,000-event window cost the fake minutes. Here a calendarView listing
is computed once by the fake's own service and later pages are cut from it with the fake's own
paging helpers, so what the benchmarks time is cal365, not the fake. Any write (a cancel)
forgets the cached listings.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from urllib.parse import unquote_plus

from tui.fake import odata
from tui.fake.bulk import add_bulk_events
from tui.fake.exchange import Request, Response
from tui.fake.latency import LatencyGraph

_ALL = 10**9


def _is_skip(name: str) -> bool:
    return unquote_plus(name).strip().lower().lstrip("$") == "skip"


def _is_top(name: str) -> bool:
    return unquote_plus(name).strip().lower().lstrip("$") == "top"


class BenchGraph(LatencyGraph):
    def __init__(self, today: dt.date, *, events: int = 0, days: int = 365,
                 latency: float = 0.0, **kwargs: Any) -> None:
        super().__init__(today, latency=latency, **kwargs)
        if events:
            add_bulk_events(self.store, events, first_day=today, days=days)
        self._cache: dict[tuple[str, ...], Response] = {}
        self._cache_lock = threading.Lock()

    def dispatch(self, request: Request) -> Response:
        if request.method != "GET":
            with self._cache_lock:
                self._cache.clear()
            return super().dispatch(request)
        if not request.raw_path.lower().endswith("/calendarview"):
            return super().dispatch(request)
        return self._listing_page(request)

    def _listing_page(self, request: Request) -> Response:
        kept = [(k, v) for k, v in request.query if not _is_skip(k)]
        key = (request.raw_path, repr(sorted(kept)), repr(request.headers.get("prefer")),
               repr(request.headers.get("authorization")), request.origin)
        with self._cache_lock:
            full = self._cache.get(key)
            if full is None:
                full = self._whole_window(request, kept)
                self._cache[key] = full
        if full.status != 200 or full.payload is None:
            return full
        query = odata.Query.parse(request.query)
        prefer = odata.parse_prefer(request.headers.get("prefer", []))
        page = odata.paginate(full.payload["value"], query, prefer)
        payload = {k: v for k, v in full.payload.items() if k != "value"}
        payload["value"] = page.items
        if page.next_skip is not None:
            payload["@odata.nextLink"] = odata.next_link(
                request.origin, request.raw_path, request.raw_query, page.next_skip)
        headers = dict(full.headers)
        if page.size_applied is None:
            headers.pop("Preference-Applied", None)
        return Response(200, payload, headers)

    def _whole_window(self, request: Request, kept: list[tuple[str, str]]) -> Response:
        """The whole listing in one answer of the fake's own service."""
        query = [(k, v) for k, v in kept if not _is_top(k)] + [("$top", str(_ALL))]
        raw_query = "&".join(
            part for part in request.raw_query.split("&")
            if part and not _is_skip(part.split("=", 1)[0]) and not _is_top(part.split("=", 1)[0])
        )
        whole = Request(request.method, request.raw_path, f"{raw_query}&$top={_ALL}", query,
                        request.headers, request.body, request.origin)
        saved = odata.MAX_TOP
        odata.MAX_TOP = _ALL  # only this thread lists while the cache lock is held
        try:
            return super().dispatch(whole)
        finally:
            odata.MAX_TOP = saved
