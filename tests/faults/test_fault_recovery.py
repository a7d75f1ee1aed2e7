"""A dead network: typed errors that carry no secret, and recovery once Graph is back."""

from __future__ import annotations

import datetime as dt
import traceback

import pytest

from tests.faults.rig import Rig
from tui.fake import FakeGraph, Fault
from tui.graph import CancelNotSent, CancelOutcomeUnknown, GraphError, GraphUnavailable


async def test_the_client_recovers_by_itself_when_graph_returns(rig: Rig) -> None:
    assert (await rig.client.me()).display_name  # a pooled connection now exists
    port = rig.fake.port
    rig.fake.stop()
    with pytest.raises(GraphUnavailable):
        await rig.client.me()
    with FakeGraph(today=dt.date(2026, 11, 23), port=port):
        assert (await rig.client.me()).display_name


def _rendered(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


@pytest.mark.parametrize("fault", ["reset_before", "html", "malformed", "throttle"])
async def test_errors_and_their_tracebacks_never_hold_the_token(rig: Rig, fault: str) -> None:
    rig.fake.faults.add(Fault(fault, times=None, retry_after="0"))  # type: ignore[arg-type]
    (ref,) = rig.meetings(1)
    for call in (rig.client.me(), rig.client.cancel_event(ref, "x")):
        try:
            await call
        except (GraphError, GraphUnavailable, CancelNotSent, CancelOutcomeUnknown) as error:
            assert rig.fake.token not in _rendered(error)
            assert rig.fake.token not in repr(error)
        else:
            assert fault == "malformed"  # a 202 with a broken body is still done


async def test_a_dead_network_is_unavailable_without_the_token(rig: Rig) -> None:
    rig.fake.stop()
    with pytest.raises(GraphUnavailable) as caught:
        await rig.client.calendars()
    assert "cannot reach Graph" in str(caught.value)
    assert rig.fake.token not in _rendered(caught.value)
