"""A cancel is never sent twice: unclear outcomes are settled by looking at the event."""

from __future__ import annotations

import asyncio

import pytest

from tests.faults.rig import MakeRig, Rig
from tui.fake import Fault
from tui.graph import CancelNotSent, CancelOutcomeUnknown, GraphError, OrganizerRequired


async def test_reset_after_processing_is_detected_as_done_and_not_resent(rig: Rig) -> None:
    (ref,) = rig.meetings(1)
    rig.fake.faults.add(Fault("reset_after", method="POST", path="/cancel$"))
    outcome = await rig.client.cancel_event(ref, "Moving to next week")
    assert outcome.checked and outcome.event_id == ref.event_id
    assert rig.requests("POST", "/cancel") == 1
    assert rig.cancels_of(ref.event_id) == 1
    assert rig.fake.store.event_json(ref.event_id) is None  # moved to Deleted Items


async def test_reset_before_processing_is_detected_as_not_done(rig: Rig) -> None:
    (ref,) = rig.meetings(1)
    rig.fake.faults.add(Fault("reset_before", method="POST", path="/cancel$"))
    with pytest.raises(CancelNotSent) as caught:
        await rig.client.cancel_event(ref, "Moving to next week")
    assert caught.value.checked
    assert "not cancelled" in str(caught.value)
    assert rig.requests("POST", "/cancel") == 1
    assert rig.cancels_of(ref.event_id) == 0
    # Sending again (the user's choice) now works, once.
    assert not (await rig.client.cancel_event(ref, "Moving to next week")).checked
    assert rig.cancels_of(ref.event_id) == 1


@pytest.mark.parametrize(("kind", "done"), [
    ("unavailable", False), ("gateway_timeout", False), ("html", False), ("malformed", True),
])
async def test_server_errors_on_a_cancel_are_checked_not_resent(
    rig: Rig, kind: str, done: bool
) -> None:
    (ref,) = rig.meetings(1)
    rig.fake.faults.add(Fault(kind, method="POST", path="/cancel$"))  # type: ignore[arg-type]
    if done:  # a 202 with a broken body is still a 202
        assert not (await rig.client.cancel_event(ref, None)).checked
    else:
        with pytest.raises(CancelNotSent):
            await rig.client.cancel_event(ref, None)
    assert rig.requests("POST", "/cancel") == 1
    assert rig.cancels_of(ref.event_id) == (1 if done else 0)


async def test_a_gateway_timeout_after_processing_is_found_done(rig: Rig) -> None:
    (ref,) = rig.meetings(1)
    rig.fake.faults.add(Fault("gateway_timeout", method="POST", path="/cancel$", phase="after"))
    outcome = await rig.client.cancel_event(ref, "x")
    assert outcome.checked
    assert rig.requests("POST", "/cancel") == 1 and rig.cancels_of(ref.event_id) == 1


async def test_a_timed_out_cancel_is_checked_and_found_done(make_rig: MakeRig) -> None:
    rig = make_rig(read_timeout=0.2)
    (ref,) = rig.meetings(1)
    rig.fake.faults.add(Fault("latency", method="POST", path="/cancel$", seconds=0.6,
                              phase="after"))
    outcome = await rig.client.cancel_event(ref, "x")
    assert outcome.checked and rig.cancels_of(ref.event_id) == 1
    assert rig.client.policy.settle in rig.waits.seconds  # paused before looking
    for _ in range(200):  # the fake records the POST once its slow answer is written
        if rig.requests("POST", "/cancel"):
            break
        await asyncio.sleep(0.01)
    assert rig.requests("POST", "/cancel") == 1


async def test_when_the_check_fails_too_the_outcome_is_unknown(rig: Rig) -> None:
    (ref,) = rig.meetings(1)
    rig.fake.faults.add(Fault("reset_after", method="POST", path="/cancel$"))
    rig.fake.faults.add(Fault("reset_before", method="GET", times=None))
    with pytest.raises(CancelOutcomeUnknown, match="refresh to check"):
        await rig.client.cancel_event(ref, "x")
    assert rig.requests("POST", "/cancel") == 1
    assert rig.cancels_of(ref.event_id) == 1  # it did go through; the client did not guess


async def test_a_throttled_cancel_was_not_processed_so_it_is_sent_after_the_wait(
    rig: Rig,
) -> None:
    (ref,) = rig.meetings(1)
    rig.fake.faults.add(Fault("throttle", method="POST", path="/cancel$", times=2,
                              retry_after="1"))
    outcome = await rig.client.cancel_event(ref, "x")
    assert not outcome.checked and outcome.request_id
    assert rig.waits.seconds == [1.0, 1.0]
    assert rig.requests("POST", "/cancel") == 3 and rig.cancels_of(ref.event_id) == 1


async def test_pressing_send_twice_sends_once(make_rig: MakeRig) -> None:
    rig = make_rig()
    (ref,) = rig.meetings(1)
    rig.fake.faults.add(Fault("latency", method="POST", path="/cancel$", seconds=0.2))
    first, second = await asyncio.gather(rig.client.cancel_event(ref, "x"),
                                         rig.client.cancel_event(ref, "x"))
    assert first == second
    assert rig.requests("POST", "/cancel") == 1 and rig.cancels_of(ref.event_id) == 1


async def test_a_refusal_is_definite_and_never_checked(rig: Rig) -> None:
    from tui.fake.model import Person

    (ref,) = rig.meetings(1, organizer=Person("Noah Williams", "noah.williams@example.test"))
    with pytest.raises(OrganizerRequired) as caught:
        await rig.client.cancel_event(ref, "x")
    assert isinstance(caught.value, GraphError) and caught.value.request_id
    assert rig.requests("GET", ref.event_id) == 0


async def test_a_cancel_that_cannot_connect_is_not_sent(make_rig: MakeRig) -> None:
    rig = make_rig()
    (ref,) = rig.meetings(1)
    rig.fake.stop()
    with pytest.raises(CancelNotSent) as caught:
        await rig.client.cancel_event(ref, "x")
    assert not caught.value.checked
    assert "nothing was sent" in str(caught.value)
