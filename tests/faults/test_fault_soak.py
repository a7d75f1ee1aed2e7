"""A bounded soak of the Graph layer: thousands of mixed operations under random faults.

Invariants: every event asked to cancel is cancelled exactly once or reported as not
cancelled (an "unknown" report may be either, and is counted); no other event is touched;
no operation ends in anything but a typed outcome or a typed error; the client never has
more than four requests in flight per mailbox. The figures are printed.

`CAL365_SOAK_OPS` sets the number of operations (default 2000), `CAL365_SOAK_SEED` the seed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest

from tests.faults.rig import MakeRig, Rig
from tui.fake import Fault
from tui.fake.bulk import add_meetings
from tui.fake.model import Person
from tui.graph import (
    ME,
    CalendarRef,
    CancelNotSent,
    CancelOutcomeUnknown,
    EventRef,
    GraphError,
    GraphUnavailable,
    Mailbox,
    OrganizerRequired,
)

OPS = int(os.environ.get("CAL365_SOAK_OPS", "2000"))
SEED = int(os.environ.get("CAL365_SOAK_SEED", "20261123"))

# Outcomes that promise the event was NOT cancelled, and the one that promises it was.
NOT_DONE = {"refused", "not_found", "failed", "not_sent"}
DONE = {"cancelled", "cancelled_checked"}


@dataclass
class Ledger:
    ops: Counter[str] = field(default_factory=Counter)
    outcomes: dict[str, str] = field(default_factory=dict)  # event id -> outcome
    browse_errors: Counter[str] = field(default_factory=Counter)
    batches: int = 0
    bulk_throttled: int = 0
    bulk_checks: int = 0

    def report(self, event_id: str, outcome: str) -> None:
        assert event_id not in self.outcomes, f"two outcomes for {event_id}"
        self.outcomes[event_id] = outcome


def install_faults(rig: Rig) -> None:
    faults = rig.fake.faults
    faults.seed = SEED
    add = faults.add
    add(Fault("latency", seconds=0.002, probability=0.2, times=None))
    # Answers slower than the client's read timeout, after the work is done (a check then
    # finds it done). A request still queued when the client gives up could be done after
    # the check; see notes/reliability.md §7 (the timeout leaves a wide margin for that).
    add(Fault("latency", seconds=1.2, phase="after", probability=0.004, times=None))
    add(Fault("throttle", in_batch=False, probability=0.03, times=None, retry_after="1"))
    add(Fault("unavailable", probability=0.015, times=None, retry_after="0"))
    add(Fault("gateway_timeout", phase="after", probability=0.01, times=None))
    add(Fault("reset_before", probability=0.015, times=None))
    add(Fault("reset_after", probability=0.015, times=None))
    add(Fault("truncate", method="GET", probability=0.01, times=None))
    add(Fault("malformed", method="GET", probability=0.005, times=None))
    add(Fault("html", probability=0.005, times=None))
    add(Fault("throttle", in_batch=True, probability=0.06, times=None, retry_after="1"))
    add(Fault("unavailable", in_batch=True, probability=0.01, times=None))


async def single_cancel(rig: Rig, ledger: Ledger, ref: EventRef) -> None:
    ledger.ops["cancel"] += 1
    try:
        outcome = await rig.client.cancel_event(ref, f"soak {ref.event_id[-6:]}")
    except OrganizerRequired:
        ledger.report(ref.event_id, "refused")
    except CancelNotSent:
        ledger.report(ref.event_id, "not_sent")
    except CancelOutcomeUnknown:
        ledger.report(ref.event_id, "unknown")
    except GraphError as error:
        ledger.report(ref.event_id, "not_found" if error.status == 404 else "failed")
    else:
        ledger.report(ref.event_id, "cancelled_checked" if outcome.checked else "cancelled")


async def bulk_cancel(rig: Rig, ledger: Ledger, refs: list[EventRef]) -> None:
    ledger.ops["bulk cancel"] += 1
    ledger.ops["bulk items"] += len(refs)
    bulk = rig.client.cancel_many(refs, "soak bulk")
    async for outcome in bulk:
        assert not outcome.reason.startswith("internal error"), outcome.reason
        status = outcome.status
        if status == "done":
            status = "cancelled_checked" if outcome.checked else "cancelled"
        ledger.report(outcome.ref.event_id, status)
    ledger.batches += bulk.stats.batches
    ledger.bulk_throttled += bulk.stats.throttled
    ledger.bulk_checks += bulk.stats.checks


async def browse(rig: Rig, ledger: Ledger, rng: random.Random, refs: list[EventRef]) -> None:
    kind = rng.choice(["groups", "calendars", "view", "event"])
    ledger.ops[f"browse {kind}"] += 1
    start = dt.datetime.combine(rig.fake.store.today, dt.time(), tzinfo=dt.UTC)
    try:
        if kind == "groups":
            await rig.client.calendar_groups()
        elif kind == "calendars":
            await rig.client.calendars()
        elif kind == "view":
            days = rng.randint(1, 30)
            async for _ in rig.client.calendar_view(CalendarRef(ME), start,
                                                    start + dt.timedelta(days=days)):
                pass
        else:
            await rig.client.event(rng.choice(refs))
    except (GraphError, GraphUnavailable) as error:
        ledger.browse_errors[type(error).__name__] += 1


async def test_soak_of_the_graph_layer(make_rig: MakeRig, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    rig = make_rig(read_timeout=1.0, settle=0.0)
    store = rig.fake.store
    group_id = next(k for k, b in store.mailboxes.items() if b.kind == "group")
    group = Mailbox("group", group_id)
    cancellable = OPS // 3 + 50
    mine = [EventRef(i) for i in add_meetings(store, cancellable, subject="Soak")]
    theirs = [EventRef(i) for i in add_meetings(
        store, cancellable // 8, subject="Not mine", organizer=Person("Noah", "noah@x.test"))]
    groups = [EventRef(i, group) for i in add_meetings(store, cancellable // 8, user=group_id,
                                                       subject="Group")]
    ghosts = [EventRef(f"AAMkGhost{i}") for i in range(20)]
    pool = [*mine, *theirs, *groups, *ghosts]
    rng = random.Random(SEED)
    rng.shuffle(pool)
    install_faults(rig)
    ledger = Ledger()
    budget = [OPS]

    def take(count: int) -> list[EventRef]:
        picked, pool[:] = pool[:count], pool[count:]
        return picked

    async def worker(seed: int) -> None:
        local = random.Random(seed)
        while budget[0] > 0:
            roll = local.random()
            if roll < 0.55 or not pool:
                budget[0] -= 1
                await browse(rig, ledger, local, mine)
            elif roll < 0.85:
                budget[0] -= 1
                await single_cancel(rig, ledger, take(1)[0])
            else:
                refs = take(local.randint(5, 40))
                budget[0] -= len(refs)
                await bulk_cancel(rig, ledger, refs)

    began = time.perf_counter()
    await asyncio.gather(*(worker(SEED + n) for n in range(8)))
    elapsed = time.perf_counter() - began

    # ---- invariants -----------------------------------------------------------------------
    cancelled = Counter(rec.event_id for rec in store.cancel_log)
    asked = set(ledger.outcomes)
    assert set(cancelled) <= asked, "an event nobody asked to cancel was cancelled"
    assert max(cancelled.values(), default=0) == 1, "an event was cancelled twice"
    ghost_ids = {r.event_id for r in ghosts}
    for event_id, outcome in ledger.outcomes.items():
        if outcome == "cancelled_checked" and event_id in ghost_ids:
            # A check can only see that the id is gone; for an id that never existed that
            # is all there is to see (documented: "checked" means "gone after our request").
            assert cancelled[event_id] == 0
        elif outcome in DONE:
            assert cancelled[event_id] == 1, (event_id, outcome)
        elif outcome in NOT_DONE:
            assert cancelled[event_id] == 0, (event_id, outcome)
        else:
            assert outcome == "unknown", outcome
    untouched = [r for r in [*mine, *groups] if r.event_id not in asked]
    with store.lock:
        assert all(store.lookup_event(r.event_id) is not None for r in untouched)
    assert max(rig.client.limiter.peak.values()) <= 4

    # ---- figures --------------------------------------------------------------------------
    operations = sum(v for k, v in ledger.ops.items() if k != "bulk cancel")
    waits = Counter(n.reason for n in rig.notices)
    lines = [
        f"soak: {operations} operations in {elapsed:.1f} s (seed {SEED})",
        "  operations: " + ", ".join(f"{k} {v}" for k, v in sorted(ledger.ops.items())),
        "  faults injected: " + ", ".join(
            f"{k} {v}" for k, v in sorted(rig.fake.faults.injected.items())),
        f"  concurrency 429s from the fake: {sum(rig.fake.gate.throttled.values())};"
        f" client peak per mailbox: {max(rig.client.limiter.peak.values())}",
        "  retries (waits): " + ", ".join(f"{k} {v}" for k, v in sorted(waits.items())),
        f"  bulk: {ledger.batches} batches, {ledger.bulk_throttled} items throttled,"
        f" {ledger.bulk_checks} state checks",
        "  outcomes: " + ", ".join(
            f"{k} {v}" for k, v in sorted(Counter(ledger.outcomes.values()).items())),
        "  browse errors (typed): " + (", ".join(
            f"{k} {v}" for k, v in sorted(ledger.browse_errors.items())) or "none"),
        f"  cancelled on the server: {sum(cancelled.values())}, twice: 0, untouched checked:"
        f" {len(untouched)}",
    ]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert operations >= OPS
