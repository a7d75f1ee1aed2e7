"""`python -m tui.fake --port 8765`: serve the demo tenant until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading

from .bulk import add_meetings
from .faults import Fault, parse_spec
from .heavy import DATA_SETS, DEMO
from .server import FakeGraph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.fake",
                                     description="Fake Microsoft Graph v1.0 calendar service.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="seed the demo data around this date (YYYY-MM-DD)")
    parser.add_argument("--token", default=None, help="bearer token to accept")
    parser.add_argument("--faults", default="", metavar="SPEC",
                        help="random faults, e.g. throttle=0.05,reset_after=0.01,latency=0.2@0.3")
    parser.add_argument("--hostile", action="store_true",
                        help="answer every read with hostile data: escapes, markup and lone "
                             "surrogates in every text field, bad webLinks, two events with "
                             "overflowing dates (see tui/fake/hostile.py)")
    parser.add_argument("--data", choices=DATA_SETS, default=DEMO,
                        help="the data set: the demo's, or meetings of 10 to 40 attendees with "
                             "1 to 2 KB bodies (attendee-heavy)")
    parser.add_argument("--meetings", type=int, default=0, metavar="N",
                        help="add N more meetings the demo user organizes (for bulk cancels)")
    args = parser.parse_args(argv)
    try:
        faults = parse_spec(args.faults)
    except ValueError as error:
        parser.error(f"--faults: {error}")

    stop = threading.Event()

    def _on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        fake = FakeGraph(today=args.today, token=args.token, host=args.host,
                         port=args.port, data=args.data)
        for fault in faults:
            fake.faults.add(fault)
        if args.hostile:
            fake.faults.add(Fault("hostile", method="GET", items=2, times=None))
        if args.meetings > 0:
            add_meetings(fake.store, args.meetings)
        fake.start()
    except OSError as error:
        print(f"cal365 fake Graph: cannot listen on {args.host}:{args.port}: {error}",
              file=sys.stderr)
        return 1
    print(f"cal365 fake Graph at {fake.base_url} token={fake.token}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
