"""Property-based: any id, UPN or comment survives our escaping and the fake's decoding."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tui.fake import FakeGraph, routes
from tui.fake import batch as fake_batch
from tui.fake.exchange import Request
from tui.fake.handlers import cancel_comment
from tui.graph import CalendarRef, EventRef, Mailbox, RetryPolicy
from tui.graph.batch import build_batch, cancel_body

# Graph ids are REST base64 (`-`, `_`, `=`), sometimes with `/` and `+`; anything else is
# thrown in too, because ids are opaque and must survive whatever they hold.
ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/"
graph_ids = st.text(ID_CHARS, min_size=1, max_size=160)
any_ids = st.text(min_size=1, max_size=60)
ids = st.one_of(graph_ids, any_ids)
upns = st.one_of(
    st.emails(),
    st.builds(lambda local, ext: f"{local}_contoso.com#EXT#@fabrikam.onmicrosoft.com"
              if ext else f"{local}@fabrikam.onmicrosoft.com",
              st.text(min_size=1, max_size=20), st.booleans()),
)
comments = st.one_of(st.none(), st.text(max_size=400),
                     st.text(alphabet=st.characters(categories=["Cc", "Zs", "Cf"]), max_size=20))


def _not_key_syntax(value: str) -> bool:
    """`name('key')` is OData key syntax, which Graph reads as two segments."""
    return routes._KEY_SYNTAX.match(value) is None


def _decoded(path: str) -> routes.Plan:
    return routes.parse(routes.split_segments("/v1.0" + path))


@given(ids)
def test_every_event_id_round_trips_through_a_cancel_path(event_id: str) -> None:
    assume(_not_key_syntax(event_id))
    assert _decoded(EventRef(event_id).cancel_path).event == event_id


@given(ids, ids, ids)
def test_every_calendar_path_round_trips(group_id: str, calendar_id: str, event_id: str) -> None:
    assume(all(_not_key_syntax(v) for v in (group_id, calendar_id, event_id)))
    calendar = CalendarRef(calendar_id=calendar_id, calendar_group_id=group_id)
    plan = _decoded(EventRef(event_id, calendar=calendar).cancel_path)
    assert (plan.calendar_group, plan.calendar, plan.event, plan.kind) == (
        group_id, calendar_id, event_id, "cancel")


@given(upns, graph_ids)
def test_every_upn_round_trips(upn: str, event_id: str) -> None:
    assume(_not_key_syntax(upn))
    mailbox = Mailbox("user", upn)
    plan = _decoded(EventRef(event_id, mailbox).cancel_path)
    assert (plan.owner, plan.owner_key, plan.event) == ("user", upn, event_id)


@pytest.fixture(scope="module")
def live_fake() -> Iterator[tuple[FakeGraph, httpx.Client]]:
    with FakeGraph(today=dt.date(2026, 11, 23)) as fake, httpx.Client(
        headers={"Authorization": f"Bearer {fake.token}"}
    ) as http:
        yield fake, http


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(upn=upns, event_id=ids)
@example(upn="a@b.c", event_id="..")
@example(upn=".", event_id="AAMk/+=%2F%25?#")
def test_ids_and_upns_survive_the_wire(
    live_fake: tuple[FakeGraph, httpx.Client], upn: str, event_id: str
) -> None:
    """Over real HTTP: what httpx sends is what the fake decodes (nothing re-quoted)."""
    assume(_not_key_syntax(upn) and _not_key_syntax(event_id))
    fake, http = live_fake
    ref = EventRef(event_id, Mailbox("user", upn))
    fake.clear_requests()
    http.get(fake.base_url + ref.path)
    (recorded,) = fake.requests
    plan = routes.parse(routes.split_segments(recorded.raw_path.split("?", 1)[0]))
    assert (plan.owner_key, plan.event) == (upn, event_id)


@given(comments)
def test_every_comment_reaches_the_service_as_typed_or_not_at_all(comment: str | None) -> None:
    body = json.dumps(cancel_body(comment)).encode()
    received = cancel_comment(body)
    if comment is not None and comment.strip():
        assert received == comment
    else:  # never "", which would silently suppress the notice
        assert received is None


@given(st.lists(graph_ids, min_size=1, max_size=20, unique=True), comments)
def test_every_batch_we_build_is_accepted_and_decoded_item_by_item(
    event_ids: list[str], comment: str | None
) -> None:
    refs = [EventRef(i) for i in event_ids]
    payload = build_batch(refs, cancel_body(comment))
    outer = Request("POST", "/v1.0/$batch", "", [], {}, json.dumps(payload).encode(),
                    "http://127.0.0.1")
    parsed: list[dict[str, Any]] = fake_batch._parse(outer.body)
    assert len(fake_batch._order(parsed)) == len(refs)  # a chain: one request per wave
    for item, event_id in zip(parsed, event_ids, strict=True):
        sub = fake_batch._sub_request(outer, item)
        assert routes.parse(routes.split_segments(sub.raw_path)).event == event_id
        received = cancel_comment(sub.body)
        assert received == (comment if comment is not None and comment.strip() else None)


@given(st.integers(min_value=0, max_value=10**9))
def test_retry_after_seconds_are_honoured_up_to_the_cap(seconds: int) -> None:
    policy = RetryPolicy()
    assert policy.retry_after(str(seconds)) == min(seconds, policy.max_retry_after)


@given(st.integers(min_value=-3600, max_value=3600))
def test_retry_after_dates_are_honoured(offset: int) -> None:
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    policy = RetryPolicy(clock=lambda: now)
    header = email.utils.format_datetime(now + dt.timedelta(seconds=offset), usegmt=True)
    assert policy.retry_after(header) == min(max(offset, 0), policy.max_retry_after)


@given(st.text(max_size=40))
def test_any_retry_after_value_is_handled(value: str) -> None:
    wait = RetryPolicy().delay({"Retry-After": value}, 1)
    assert 0 <= wait <= RetryPolicy().max_retry_after
