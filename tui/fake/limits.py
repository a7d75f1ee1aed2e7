"""Outlook's concurrency limit: at most 4 requests at once per app and mailbox.

Past it Graph answers 429 `ApplicationThrottled` "Application is over its MailboxConcurrency
limit." The gate counts requests being processed per mailbox, `$batch` sub-requests included,
and keeps the peak it saw so tests can prove a client never went past the limit.
"""

from __future__ import annotations

import threading
from collections import Counter

MAILBOX_CONCURRENCY = 4


class MailboxGate:
    def __init__(self, limit: int | None = MAILBOX_CONCURRENCY) -> None:
        self.limit = limit  # None: no limit
        self._lock = threading.Lock()
        self._running: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()

    def enter(self, mailbox: str) -> bool:
        """Take a slot for `mailbox`; False (and counted as throttled) if none is free."""
        with self._lock:
            if self.limit is not None and self._running[mailbox] >= self.limit:
                self.throttled[mailbox] += 1
                return False
            self._running[mailbox] += 1
            self.peak[mailbox] = max(self.peak[mailbox], self._running[mailbox])
            return True

    def leave(self, mailbox: str) -> None:
        with self._lock:
            self._running[mailbox] -= 1

    def reset_stats(self) -> None:
        with self._lock:
            self.peak.clear()
            self.throttled.clear()
