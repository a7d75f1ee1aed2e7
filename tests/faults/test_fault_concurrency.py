"""At most four requests in flight per mailbox, as Outlook allows; the fake enforces it."""

from __future__ import annotations

import asyncio

import httpx

from tests.faults.rig import Rig
from tui.fake import Fault
from tui.graph import ME, CalendarRef, Mailbox


async def test_the_client_never_has_more_than_four_requests_per_mailbox(rig: Rig) -> None:
    rig.fake.faults.add(Fault("latency", method="GET", seconds=0.05, times=None))
    me_id = rig.fake.store.me_id
    results = await asyncio.gather(*(rig.client.calendars() for _ in range(12)),
                                   *(rig.client.calendar(CalendarRef(ME)) for _ in range(4)))
    assert all(results)
    assert rig.fake.gate.peak[me_id] == 4
    assert not rig.fake.gate.throttled
    assert rig.client.limiter.peak["me"] == 4


async def test_mailboxes_are_limited_separately(rig: Rig) -> None:
    rig.fake.faults.add(Fault("latency", method="GET", seconds=0.05, times=None))
    other = Mailbox("user", "jonas.berg@fabrikam.onmicrosoft.com")
    await asyncio.gather(*(rig.client.calendar_groups() for _ in range(6)),
                         *(rig.client.calendar_groups(other) for _ in range(6)))
    assert rig.client.limiter.peak == {"me": 4, f"user:{other.id}": 4}
    assert not rig.fake.gate.throttled


async def test_the_fake_answers_a_fifth_concurrent_request_with_429(rig: Rig) -> None:
    rig.fake.faults.add(Fault("latency", method="GET", seconds=0.3, times=None))
    headers = {"Authorization": f"Bearer {rig.fake.token}"}
    async with httpx.AsyncClient(headers=headers, timeout=10) as http:
        responses = await asyncio.gather(
            *(http.get(f"{rig.fake.base_url}/me/calendars") for _ in range(6))
        )
    throttled = [r for r in responses if r.status_code == 429]
    assert len(throttled) == 2
    error = throttled[0].json()["error"]
    assert error["code"] == "ApplicationThrottled"
    assert error["message"] == "Application is over its MailboxConcurrency limit."
    assert throttled[0].headers["Retry-After"] == "1"
