"""Reads under throttling, outages and broken connections: retried, with Graph's own waits."""

from __future__ import annotations

import datetime as dt
import email.utils

import pytest

from tests.faults.rig import MakeRig, Rig
from tui.fake import Fault
from tui.graph import GraphError, GraphUnavailable


async def test_a_429_burst_is_waited_out_with_retry_after(rig: Rig) -> None:
    rig.fake.faults.add(Fault("throttle", method="GET", path="/calendarGroups$", times=3,
                              retry_after="1"))
    groups = await rig.client.calendar_groups()
    assert groups
    assert rig.waits.seconds == [1.0, 1.0, 1.0]
    assert rig.requests("GET", "/calendarGroups") == 4
    assert [n.reason for n in rig.notices] == ["throttled"] * 3
    assert rig.notices[0].message == "Graph is throttling requests; retrying in 1 s"
    assert rig.notices[0].mailbox == "me" and rig.notices[0].attempt == 1


async def test_retry_after_as_an_http_date_is_honoured(make_rig: MakeRig) -> None:
    now = dt.datetime(2026, 11, 23, 9, 0, 0, tzinfo=dt.UTC)
    rig = make_rig(clock=lambda: now)
    when = email.utils.format_datetime(now + dt.timedelta(seconds=7), usegmt=True)
    rig.fake.faults.add(Fault("unavailable", method="GET", retry_after=when))
    await rig.client.me()
    assert rig.waits.seconds == [7.0]
    assert rig.notices[0].message == "Graph is unavailable (503); retrying in 7 s"


async def test_a_huge_retry_after_is_capped(rig: Rig) -> None:
    rig.fake.faults.add(Fault("throttle", method="GET", retry_after="86400"))
    await rig.client.me()
    assert rig.waits.seconds == [rig.client.policy.max_retry_after]


async def test_without_retry_after_backoff_grows_with_jitter_and_a_cap(make_rig: MakeRig) -> None:
    rig = make_rig(base_delay=1.0, max_delay=4.0)
    rig.fake.faults.add(Fault("gateway_timeout", method="GET", retry_after=None, times=4))
    await rig.client.me()
    steps = [1.0, 2.0, 4.0, 4.0]
    assert len(rig.waits.seconds) == 4
    for wait, step in zip(rig.waits.seconds, steps, strict=True):
        assert step / 2 <= wait <= step
    assert len(set(rig.waits.seconds)) > 1  # jittered, not a fixed schedule


@pytest.mark.parametrize("kind", ["reset_before", "reset_after", "truncate"])
async def test_broken_connections_on_reads_are_retried(rig: Rig, kind: str) -> None:
    rig.fake.faults.add(Fault(kind, method="GET", path="/calendars$"))  # type: ignore[arg-type]
    calendars = await rig.client.calendars()
    assert calendars
    assert rig.requests("GET", "/calendars") == 2
    assert [n.reason for n in rig.notices] == ["network"]


async def test_reads_give_up_after_the_retry_budget_with_graphs_error(rig: Rig) -> None:
    rig.fake.faults.add(Fault("throttle", method="GET", times=None, retry_after="0"))
    with pytest.raises(GraphError) as caught:
        await rig.client.me()
    assert caught.value.status == 429 and caught.value.code == "ApplicationThrottled"
    assert rig.requests("GET", "/me") == 1 + rig.client.policy.max_retries


async def test_a_dead_connection_on_every_try_is_graph_unavailable(rig: Rig) -> None:
    rig.fake.faults.add(Fault("reset_before", method="GET", times=None))
    with pytest.raises(GraphUnavailable, match="connection to Graph failed"):
        await rig.client.me()


async def test_a_slow_read_times_out_and_is_retried(make_rig: MakeRig) -> None:
    rig = make_rig(read_timeout=0.2)
    rig.fake.faults.add(Fault("latency", method="GET", path="/me$", seconds=0.6))
    user = await rig.client.me()
    assert user.display_name
    assert [n.reason for n in rig.notices] == ["network"]


async def test_an_observer_that_raises_does_not_break_the_request(make_rig: MakeRig) -> None:
    rig = make_rig()

    def broken(notice: object) -> None:
        raise RuntimeError("status bar gone")

    rig.client.on_wait = broken
    rig.fake.faults.add(Fault("throttle", method="GET", retry_after="0"))
    assert (await rig.client.me()).display_name
