"""Ctrl+C while a command reports what it did: held off until the report is out."""

from __future__ import annotations

import contextlib
import signal
from typing import Any


class Interrupts:
    """Once sending has ended (done or cut short by Ctrl+C), a further Ctrl+C must not cut
    short the report of what became of each event and its audit records: it is ignored
    until the report is out (local writes, quick)."""

    def __init__(self) -> None:
        # Ctrl+C as it was before the command: the sending run may already have turned it
        # off at the first press (GraphRuns.run(interrupt_once=True)).
        self._original: Any = signal.getsignal(signal.SIGINT)
        self._held = False

    def hold(self) -> None:
        with contextlib.suppress(ValueError):  # not the main thread: nothing to hold
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            self._held = True

    def restore(self) -> None:
        if self._original is not None and (self._held or
                                           signal.getsignal(signal.SIGINT) is signal.SIG_IGN):
            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGINT, self._original)
            self._held = False
