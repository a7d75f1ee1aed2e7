"""Microsoft's own msgraph-sdk declines, tentatively accepts and accepts through the fake.

The SDK lives in the benchmark's separate venv (tui/bench/sdk.py installs it); cal365 never
depends on it, so without that venv this test is skipped.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tui.bench.sdk import venv_python
from tui.fake import seed
from tui.fake.bulk import add_meetings
from tui.fake.model import Person

# Looked up at import, before each test's private CAL365_HOME hides the real cache.
_SDK_PYTHON = venv_python()
_SCRIPT = r'''
import asyncio, json, sys

async def main(base_url, token, decline_id, tentative_id, accept_id):
    from kiota_abstractions.authentication import (
        AccessTokenProvider, AllowedHostsValidator, BaseBearerTokenAuthenticationProvider)
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
    from msgraph.generated.models.time_slot import TimeSlot
    from msgraph.generated.users.item.events.item.accept.accept_post_request_body import (
        AcceptPostRequestBody)
    from msgraph.generated.users.item.events.item.decline.decline_post_request_body import (
        DeclinePostRequestBody)
    from msgraph.generated.users.item.events.item.tentatively_accept import (
        tentatively_accept_post_request_body as tentative_body)
    TentativelyAcceptPostRequestBody = tentative_body.TentativelyAcceptPostRequestBody

    class StaticToken(AccessTokenProvider):
        async def get_authorization_token(self, uri, additional_authentication_context=None):
            return token
        def get_allowed_hosts_validator(self):
            return AllowedHostsValidator([])

    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticToken()))
    adapter.base_url = base_url
    client = GraphServiceClient(request_adapter=adapter)
    slot = TimeSlot(start=DateTimeTimeZone(date_time="2026-11-30T09:00:00", time_zone="UTC"),
                    end=DateTimeTimeZone(date_time="2026-11-30T09:30:00", time_zone="UTC"))
    await client.me.events.by_event_id(decline_id).decline.post(
        DeclinePostRequestBody(comment="Out that week", send_response=True,
                               proposed_new_time=slot))
    await client.me.events.by_event_id(tentative_id).tentatively_accept.post(
        TentativelyAcceptPostRequestBody(comment="Maybe", send_response=False))
    await client.me.events.by_event_id(accept_id).accept.post(
        AcceptPostRequestBody(comment="See you", send_response=True))
    return {"ok": True}

print(json.dumps(asyncio.run(main(*sys.argv[1:6]))), flush=True)
'''


def _invitations(graph, count: int, subject: str) -> list[str]:
    organizer = Person("Priya Raman", "priya.raman@example.test")
    return add_meetings(graph.store, count, organizer=organizer, response="notResponded",
                        subject=subject)


def test_msgraph_sdk_replies_through_the_fake(graph) -> None:
    python = _SDK_PYTHON
    if not python.exists():
        pytest.skip("msgraph-sdk's venv is not installed (python -m tui.bench installs it)")
    ids = _invitations(graph, 3, "First")
    done = subprocess.run([str(python), "-c", _SCRIPT, graph.fake.base_url, graph.fake.token,
                           *ids], capture_output=True, text=True, timeout=300, check=False)
    # The tentative reply carries a comment with sendResponse false: Graph refuses it, and
    # the SDK raises; everything before it went through.
    assert done.returncode != 0
    assert "'SendResponse' must be true when 'Comment' is not null" in done.stderr
    (record,) = graph.store.reply_log
    assert (record.reply, record.comment, record.send_response) == (
        "decline", "Out that week", True)
    assert record.proposed is not None and record.proposed[0].hour == 9
    assert graph.store.event_json(ids[0]) is None
    # Without the comment, the SDK's tentative and accept go through.
    fixed = _SCRIPT.replace('comment="Maybe", send_response=False', 'send_response=False')
    fresh = _invitations(graph, 3, "Second")
    done = subprocess.run([str(python), "-c", fixed, graph.fake.base_url, graph.fake.token,
                           *fresh], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == {"ok": True}
    kinds = [(r.reply, r.comment, r.send_response) for r in graph.store.reply_log[1:]]
    assert kinds == [("decline", "Out that week", True), ("tentativelyAccept", None, False),
                     ("accept", "See you", True)]
    accepted = graph.store.event_json(fresh[2])
    assert accepted is not None and accepted["responseStatus"]["response"] == "accepted"
    assert record.mailbox == seed.ME_UPN
