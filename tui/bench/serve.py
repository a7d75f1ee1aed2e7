"""`python -m tui.bench.serve`: a bench fake Graph in its own process.

Running the fake apart keeps its work (rendering, JSON encoding) off the measured process's
CPU time and interpreter lock, as a real server would be. Prints one JSON line
{"base_url", "token"} when ready and serves until its standard input closes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from tui.bench.fakegraph import BenchGraph


def main(argv: list[str] | None = None, graph: type[BenchGraph] = BenchGraph) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench.serve")
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--events", type=int, default=0)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--data", default="demo", help="the seed's data set (tui/fake/heavy.py)")
    args = parser.parse_args(argv)
    fake = graph(args.today, events=args.events, days=args.days,
                 latency=args.latency_ms / 1000, data=args.data).start()
    try:
        print(json.dumps({"base_url": fake.base_url, "token": fake.token}), flush=True)
        sys.stdin.read()
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
