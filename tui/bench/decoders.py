"""`python -m tui.bench.decoders`: decoding the pages of scenario 2's window, decoder by decoder.

The bodies are the ones cal365 receives for the 10,000-event window (fetched once from the
bench fake, as scenario 2 lists them); each decoder turns every page into `Event`s. The table
gives the best of a few rounds in CPU seconds (steadier than wall time on a shared machine):
decoding the JSON alone, building the models alone, both as a listing does them, and the
last one's ratio to the tolerant decoder's.

- jsonpages + from_json: the tolerant decoder (json, item by item) and `Event.from_json`,
  what cal365 used for every page before, and still uses for a page it cannot read strictly;
- orjson + from_json: orjson's dicts into the same models;
- msgspec dicts + from_json: msgspec's untyped decode into the same models;
- msgspec structs (wire): JSON straight into typed structs, then `Event`s (`wire.page_items`),
  what cal365 uses now.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import msgspec

from tui.bench import listing
from tui.bench.procs import fake_server
from tui.graph import ME, CalendarRef, jsonpages
from tui.graph.models import Event
from tui.graph.paging import Body, page_parts
from tui.graph.wire import Item, WireEvent, events_of, page_items, strict_page

TODAY = dt.date(2026, 11, 23)  # as scenario 2
DAYS = 365
CALENDAR = CalendarRef(ME)

Decode = Callable[[bytes], list[dict[str, Any]]]


def _items(decode: Callable[[bytes], Any]) -> Decode:
    def items(body: bytes) -> list[dict[str, Any]]:
        return page_parts(decode(body))[0]

    return items


def _orjson() -> Callable[[bytes], Any] | None:
    try:
        import orjson
    except ImportError:
        return None
    loads: Callable[[bytes], Any] = orjson.loads
    return loads


def _best(rounds: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        began = time.process_time()
        run()
        best = min(best, time.process_time() - began)
    return best


def _each(function: Callable[[Any], object], inputs: list[Any]) -> None:
    """`function` on each input, its result dropped at once (a page's JSON is garbage as
    soon as its events are made)."""
    for item in inputs:
        function(item)


def _models(items: list[dict[str, Any]]) -> list[Event]:
    return events_of(items, CALENDAR, dt.UTC)


def _wire_models(wires: list[WireEvent]) -> list[Event]:
    return events_of(wires, CALENDAR, dt.UTC)


def _wire_page(body: Body) -> list[Event]:
    items: list[Item] = page_items(body)[0]
    return events_of(items, CALENDAR, dt.UTC)


def measure(bodies: list[bytes], rounds: int) -> list[dict[str, Any]]:
    """One row per decoder: seconds to decode the pages, to build their models, and to do
    both as a listing does (each page's JSON dropped once its events are made, the events
    kept); best of `rounds`, with the cyclic collector on as in the app."""
    decoders: list[tuple[str, Decode | None]] = [
        ("jsonpages + from_json", _items(jsonpages.loads)),
        ("orjson + from_json", _items(loader) if (loader := _orjson()) else None),
        ("msgspec dicts + from_json", _items(msgspec.json.Decoder().decode)),
    ]
    rows: list[dict[str, Any]] = []
    counts: set[int] = set()
    wrapped = [Body(body, 200, None) for body in bodies]
    for name, decode in decoders:
        if decode is None:
            rows.append({"decoder": name, "note": "not installed"})
            continue
        decoded = [decode(body) for body in bodies]
        counts.add(sum(len(events_of(items, CALENDAR, dt.UTC)) for items in decoded))
        models_s = _best(rounds, lambda d=decoded: _each(_models, d))  # type: ignore[misc]
        del decoded
        json_s = _best(rounds, lambda d=decode: _each(d, bodies))  # type: ignore[misc]
        total = _best(rounds, lambda d=decode: [events_of(d(b), CALENDAR, dt.UTC)  # type: ignore[misc]
                                                for b in bodies])
        rows.append({"decoder": name, "decode_s": json_s, "models_s": models_s, "total_s": total})
    strict = [strict_page(b) for b in wrapped]
    counts.add(sum(len(_wire_page(b)) for b in wrapped))
    if len(counts) != 1:
        raise RuntimeError(f"the decoders disagree on the number of events: {sorted(counts)}")
    wires = [page[0] for page in strict if page is not None]  # items, link, annotations
    del strict
    models_s = _best(rounds, lambda w=wires: _each(_wire_models, w))  # type: ignore[misc]
    del wires
    json_s = _best(rounds, lambda: _each(strict_page, wrapped))
    total = _best(rounds, lambda: [_wire_page(b) for b in wrapped])
    rows.append({"decoder": "msgspec structs (wire)", "decode_s": json_s, "models_s": models_s,
                 "total_s": total})
    base = rows[0]["total_s"]
    for row in rows:
        if "total_s" in row:
            row["ratio"] = row["total_s"] / base
    return rows


def _table(rows: list[dict[str, Any]], events: int, size: int) -> str:
    lines = [f"{events:,} events in {size / 1e6:.1f} MB of JSON; best of the rounds, CPU seconds",
             f"{'decoder':<28} {'decode':>8} {'models':>8} {'total':>8} {'vs today':>9}"]

    def cell(row: dict[str, Any], key: str) -> str:
        return f"{row[key]:8.3f}" if key in row else f"{'':>8}"

    for row in rows:
        if "note" in row:
            lines.append(f"{row['decoder']:<28} {row['note']}")
            continue
        lines.append(f"{row['decoder']:<28} {cell(row, 'decode_s')} {cell(row, 'models_s')} "
                     f"{cell(row, 'total_s')} {row['ratio']:8.2f}×")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench.decoders")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    with fake_server(TODAY, events=args.events, days=DAYS) as server:
        bodies = asyncio.run(listing.raw_pages(server, DAYS))
    rows = measure(bodies, args.rounds)
    events = sum(len(page_parts(jsonpages.decode(b))[0]) for b in bodies)
    if args.json:
        print(json.dumps({"events": events, "bytes": sum(map(len, bodies)), "rows": rows}))
    else:
        print(_table(rows, events, sum(map(len, bodies))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
