"""What the app and CLI soaks share: the seed, the random fault mix, and the ledger of what
the user asked for and was told, checked against the fake's own record of cancels."""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from dataclasses import dataclass, field

from tui.fake import FakeGraph, Fault
from tui.graph.policy import RetryPolicy

SEED = int(os.environ.get("CAL365_SOAK_SEED", "20261125"))

# Outcomes the user was shown, in three families: it went, it did not, nobody can tell.
DONE = "cancelled"
NOT_DONE = "not cancelled"
UNKNOWN = "unknown"


def replay_hint(test: str) -> str:
    return f"(replay: CAL365_SOAK_SEED={SEED} pytest -k {test})"


@dataclass
class CountingSleep:
    """The client's sleep: counts each retry wait and sleeps a little, capped, for real."""

    waits: int = 0
    cap: float = 0.02

    async def __call__(self, seconds: float) -> None:
        self.waits += 1
        await asyncio.sleep(min(seconds, self.cap))


def fast_policy(sleep: CountingSleep, read_timeout: float = 1.0) -> RetryPolicy:
    """Short waits so the soak is about behaviour, not the clock; Retry-After still honoured
    (capped) and the read timeout still shorter than the slowest injected answer."""
    return RetryPolicy(
        base_delay=0.005, max_delay=0.02, max_retry_after=0.02, settle=0.01,
        read_timeout=read_timeout, connect_timeout=2.0, write_timeout=2.0,
        sleep=sleep, rng=random.Random(SEED),
    )


def install_faults(fake: FakeGraph, *, slow_after: float) -> None:
    """Random faults on every kind of request, drawn from the seeded source of the fake."""
    faults = fake.faults
    faults.seed = SEED
    add = faults.add
    add(Fault("latency", seconds=0.002, probability=0.1, times=None))
    # Slower than the client's read timeout, after the work is done: "did it go through?"
    add(Fault("latency", seconds=slow_after, phase="after", probability=0.003, times=None))
    add(Fault("throttle", in_batch=False, probability=0.04, times=None, retry_after="1"))
    add(Fault("throttle", in_batch=True, probability=0.06, times=None, retry_after="1"))
    add(Fault("unavailable", probability=0.015, times=None, retry_after="0"))
    add(Fault("gateway_timeout", phase="after", probability=0.01, times=None))
    add(Fault("reset_before", probability=0.015, times=None))
    add(Fault("reset_after", probability=0.015, times=None))
    add(Fault("truncate", method="GET", probability=0.01, times=None))
    add(Fault("malformed", method="GET", probability=0.005, times=None))
    add(Fault("html", probability=0.005, times=None))


def maybe_burst(fake: FakeGraph, rng: random.Random, ops: Counter[str]) -> None:
    """Now and then a burst: the next few requests all throttled, with a longer Retry-After."""
    if rng.random() < 0.03:
        ops["429 bursts started"] += 1
        fake.faults.add(Fault("throttle", in_batch=False, times=rng.randint(3, 8),
                              retry_after=str(rng.randint(2, 5))))


@dataclass
class Ledger:
    """What the user asked for and what they were told, one outcome per event."""

    test: str
    ops: Counter[str] = field(default_factory=Counter)
    outcomes: dict[str, str] = field(default_factory=dict)  # event id -> DONE/NOT_DONE/UNKNOWN
    comments: dict[str, str] = field(default_factory=dict)  # event id -> comment typed

    def report(self, event_id: str, outcome: str) -> None:
        assert outcome in (DONE, NOT_DONE, UNKNOWN), outcome
        # An event reported as not cancelled may be asked again later; it must then be the
        # second request that counts, and never both.
        previous = self.outcomes.get(event_id)
        assert previous in (None, NOT_DONE), (
            f"{event_id} asked again after {previous} {replay_hint(self.test)}")
        self.outcomes[event_id] = outcome

    def check_server(self, fake: FakeGraph) -> Counter[str]:
        """Every event asked for was cancelled once or reported as not; no other was touched."""
        hint = replay_hint(self.test)
        cancelled = Counter(rec.event_id for rec in fake.store.cancel_log)
        strangers = set(cancelled) - set(self.outcomes)
        assert not strangers, f"cancelled without being asked: {sorted(strangers)} {hint}"
        twice = [i for i, n in cancelled.items() if n > 1]
        assert not twice, f"cancelled twice: {twice} {hint}"
        for event_id, outcome in self.outcomes.items():
            if outcome == DONE:
                assert cancelled[event_id] == 1, f"reported cancelled, is not: {event_id} {hint}"
            elif outcome == NOT_DONE:
                assert cancelled[event_id] == 0, f"reported not cancelled, was: {event_id} {hint}"
        return cancelled

    def figures(self, fake: FakeGraph, elapsed: float, retries: int,
                cancelled: Counter[str]) -> list[str]:
        operations = sum(v for k, v in self.ops.items() if not k.startswith("429"))
        return [
            f"{self.test}: {operations} operations in {elapsed:.1f} s (seed {SEED})",
            "  operations: " + ", ".join(f"{k} {v}" for k, v in sorted(self.ops.items())),
            "  faults injected: " + ", ".join(
                f"{k} {v}" for k, v in sorted(fake.faults.injected.items())),
            f"  retries (client waits): {retries};"
            f" concurrency 429s from the fake: {sum(fake.gate.throttled.values())}",
            "  outcomes shown: " + ", ".join(
                f"{k} {v}" for k, v in sorted(Counter(self.outcomes.values()).items())),
            f"  cancelled on the server: {sum(cancelled.values())}, twice: 0,"
            f" untouched: every event not asked for",
        ]
