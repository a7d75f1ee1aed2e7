"""`python -m tui.bench.encodedgraph`: the bench fake Graph (as tui.bench.serve runs it) with
each listing page encoded once and then served as stored bytes.

Scenario 10 times two whole client processes; the fake's JSON encoding of each 1000-event
page on every request (tens of milliseconds, far more on a loaded machine) would be added to
both and flatten their ratio. A real Graph's serving is no part of either program, so here a
page costs the fake only its sending. The first pass over a window encodes; the scenario
runs each program once unmeasured first.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from tui.bench import serve
from tui.bench.fakegraph import BenchGraph
from tui.fake.exchange import Request, Response


class EncodedPages(BenchGraph):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._encoded: dict[tuple[str, ...], Response] = {}

    def _listing_page(self, request: Request) -> Response:
        key = (request.raw_path, request.raw_query, repr(request.headers.get("prefer")),
               repr(request.headers.get("authorization")), request.origin)
        with self._cache_lock:
            stored = self._encoded.get(key)
        if stored is not None:
            return stored
        page = super()._listing_page(request)
        if page.status != 200 or page.payload is None:
            return page
        # As the fake's server encodes a payload (a lone surrogate as JSON's own escape).
        body = json.dumps(page.payload, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8", "backslashreplace")
        stored = Response(200, None, {**page.headers, "OData-Version": "4.0"}, raw=body)
        with self._cache_lock:
            self._encoded[key] = stored
        return stored

    def dispatch(self, request: Request) -> Response:
        if request.method != "GET":  # a write forgets the pages, as it forgets the listings
            with self._cache_lock:
                self._encoded.clear()
        return super().dispatch(request)


if __name__ == "__main__":
    sys.exit(serve.main(graph=EncodedPages))
