"""Bulk cancel through $batch against the fake, with and without faults."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

from tests.faults.rig import MakeRig, Rig
from tui.fake import Fault
from tui.fake.model import Person
from tui.graph import EventRef


def batch_sizes(rig: Rig) -> list[int]:
    return [len(json.loads(r.body)["requests"]) for r in rig.fake.requests
            if r.method == "POST" and r.path.endswith("/$batch") and not r.in_batch]


async def test_a_bulk_cancel_of_100_uses_five_batches_and_cancels_each_once(rig: Rig) -> None:
    refs = rig.meetings(100)
    bulk = rig.client.cancel_many(refs, "Project stopped")
    outcomes = [o async for o in bulk]
    assert len(outcomes) == 100
    assert Counter(o.status for o in outcomes) == {"done": 100}
    assert {o.ref.event_id for o in outcomes} == {r.event_id for r in refs}
    assert batch_sizes(rig) == [20] * 5 and bulk.stats.batches == 5
    assert all(rig.cancels_of(r.event_id) == 1 for r in refs)
    assert len(rig.fake.store.cancel_log) == 100
    assert rig.fake.gate.peak[rig.fake.store.me_id] <= 4
    assert not rig.fake.gate.throttled
    assert all(n.comment == "Project stopped" for n in rig.fake.store.sent_cancellations)


async def test_random_429s_are_retried_per_item_and_nothing_is_cancelled_twice(
    rig: Rig,
) -> None:
    refs = rig.meetings(100)
    rig.fake.faults.seed = 11
    rig.fake.faults.add(Fault("throttle", in_batch=True, probability=0.15, times=None,
                              retry_after="1"))
    bulk = rig.client.cancel_many(refs, "x")
    outcomes = [o async for o in bulk]
    assert Counter(o.status for o in outcomes) == {"done": 100}
    assert all(rig.cancels_of(r.event_id) == 1 for r in refs)
    assert bulk.stats.throttled == rig.fake.faults.injected["throttle"] > 0
    assert set(rig.waits.seconds) == {1.0}  # Graph's Retry-After, each round
    assert max(batch_sizes(rig)) <= 20
    assert rig.fake.gate.peak[rig.fake.store.me_id] <= 4


async def test_refusals_and_missing_events_are_reported_with_request_ids(rig: Rig) -> None:
    mine = rig.meetings(3)
    theirs = rig.meetings(2, organizer=Person("Noah Williams", "noah@example.test"))
    missing = [EventRef("AAMkGone1"), EventRef("AAMkGone2")]
    outcomes = {o.ref.event_id: o async for o in
                rig.client.cancel_many([*theirs, *mine, *missing], "x")}
    assert {outcomes[r.event_id].status for r in mine} == {"done"}
    assert {outcomes[r.event_id].status for r in theirs} == {"refused"}
    assert {outcomes[r.event_id].status for r in missing} == {"not_found"}
    assert all(o.request_id for o in outcomes.values())
    assert "organizer" in outcomes[theirs[0].event_id].reason
    assert all(rig.cancels_of(r.event_id) == 1 for r in mine)
    assert not any(rig.cancels_of(r.event_id) for r in theirs)


async def test_a_batch_lost_after_processing_is_checked_and_not_resent(rig: Rig) -> None:
    refs = rig.meetings(20)
    rig.fake.faults.add(Fault("reset_after", method="POST", path="batch$"))
    bulk = rig.client.cancel_many(refs, "x")
    outcomes = [o async for o in bulk]
    assert Counter((o.status, o.checked) for o in outcomes) == {("done", True): 20}
    assert len(batch_sizes(rig)) == 1 and bulk.stats.checks == 20
    assert all(rig.cancels_of(r.event_id) == 1 for r in refs)


async def test_a_batch_lost_before_processing_is_checked_then_sent_again(rig: Rig) -> None:
    refs = rig.meetings(20)
    rig.fake.faults.add(Fault("reset_before", method="POST", path="batch$"))
    bulk = rig.client.cancel_many(refs, "x")
    outcomes = [o async for o in bulk]
    assert Counter((o.status, o.checked) for o in outcomes) == {("done", False): 20}
    assert batch_sizes(rig) == [20, 20]
    assert bulk.stats.resent == 20
    assert all(rig.cancels_of(r.event_id) == 1 for r in refs)


async def test_item_level_server_errors_are_checked_one_by_one(rig: Rig) -> None:
    refs = rig.meetings(4)
    from tui.graph.urls import segment

    rig.fake.faults.add(Fault("unavailable", in_batch=True, path=segment(refs[0].event_id)))
    rig.fake.faults.add(Fault("gateway_timeout", in_batch=True, phase="after",
                              path=segment(refs[1].event_id)))
    outcomes = {o.ref.event_id: o async for o in rig.client.cancel_many(refs, "x")}
    assert outcomes[refs[0].event_id].status == "done"
    assert not outcomes[refs[0].event_id].checked  # found live, sent again
    assert outcomes[refs[1].event_id].checked  # found done, not sent again
    assert all(rig.cancels_of(r.event_id) == 1 for r in refs)


async def test_when_checks_fail_the_outcome_is_unknown_and_a_checked_retry_settles_it(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    refs = rig.meetings(5)
    rig.fake.faults.add(Fault("reset_after", method="POST", path="batch$"))
    reads_down = rig.fake.faults.add(Fault("reset_before", method="GET", times=None))
    outcomes = [o async for o in rig.client.cancel_many(refs, "x")]
    assert {o.status for o in outcomes} == {"unknown"}
    rig.fake.faults.clear()
    assert reads_down.fired > 0
    again = [o async for o in rig.client.cancel_many(refs, "x", check_first=True)]
    assert {(o.status, o.checked) for o in again} == {("done", True)}
    assert len(batch_sizes(rig)) == 1  # the retry sent nothing
    assert all(rig.cancels_of(r.event_id) == 1 for r in refs)


async def test_several_mailboxes_run_side_by_side(rig: Rig) -> None:
    from tui.graph import Mailbox

    mine = rig.meetings(25)
    group_id = next(k for k, b in rig.fake.store.mailboxes.items() if b.kind == "group")
    from tui.fake.bulk import add_meetings

    group = Mailbox("group", group_id)
    theirs = [EventRef(i, group) for i in add_meetings(rig.fake.store, 25, user=group_id)]
    outcomes = [o async for o in rig.client.cancel_many([*mine, *theirs], "x")]
    assert Counter(o.status for o in outcomes) == {"done": 50}
    assert sorted(batch_sizes(rig)) == [5, 5, 20, 20]


async def test_a_batch_gets_more_time_than_a_single_request(make_rig: MakeRig) -> None:
    rig = make_rig(read_timeout=0.1, batch_timeout_factor=10.0)
    refs = rig.meetings(3)
    rig.fake.faults.add(Fault("latency", in_batch=True, seconds=0.15, times=None))
    bulk = rig.client.cancel_many(refs, "x")
    outcomes = [o async for o in bulk]
    assert {(o.status, o.checked) for o in outcomes} == {("done", False)}
    assert bulk.stats.checks == 0 and bulk.stats.batches == 1


async def test_closing_early_sends_no_further_batches(rig: Rig) -> None:
    refs = rig.meetings(200)
    bulk = rig.client.cancel_many(refs, "x")
    async for _ in bulk:
        break
    await bulk.aclose()
    for _ in range(20):  # let batches already in flight land
        await asyncio.sleep(0.02)
    sent = len(rig.fake.store.cancel_log)
    # Batches already on the wire land; the rest of the ten are never sent.
    assert 1 <= sent < 200 and sent % 20 == 0
    assert len(batch_sizes(rig)) < 10
