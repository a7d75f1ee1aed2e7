"""`python -m tui.fake.child`: the demo tenant's fake Graph in a process of its own.

`cal365 --demo` starts it before anything else, so the fake's start-up and its serving run
beside cal365 instead of inside it, as a real server would. It prints one JSON line
{"base_url", "token"} when ready and stops when its standard input closes, so it never
outlives the cal365 that started it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from .server import FakeGraph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.fake.child")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    fake = FakeGraph(today=args.today).start()
    try:
        print(json.dumps({"base_url": fake.base_url, "token": fake.token}), flush=True)
        sys.stdin.read()
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
