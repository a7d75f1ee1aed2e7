"""`cal365 cancel` looks its events up through JSON batches: ceil(N/20) requests for N
events, counted where Graph would count them (at the fake), with only what it needs."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tests.cli.conftest import Cal365
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.fake.faults import Fault
from tui.script.exits import Exit


def sent_batches(fake: FakeGraph) -> list[list[dict[str, Any]]]:
    return [json.loads(r.body)["requests"] for r in fake.requests
            if not r.in_batch and r.method == "POST" and r.path.endswith("/$batch")]


def lookups(fake: FakeGraph) -> list[list[dict[str, Any]]]:
    return [b for b in sent_batches(fake) if all(r["method"] == "GET" for r in b)]


@pytest.mark.parametrize("count", [1, 20, 21, 45])
def test_n_events_are_looked_up_in_ceil_n_over_20_requests(
    cal365: Cal365, fake_graph: FakeGraph, count: int
) -> None:
    ids = add_meetings(fake_graph.store, count)
    fake_graph.clear_requests()
    run = cal365("cancel", *ids, "--comment", "Moved", "--yes", "--json")
    assert run.code == Exit.OK, run.err
    assert [r["outcome"] for r in run.json["results"]] == ["cancelled"] * count
    looked = lookups(fake_graph)
    assert len(looked) == math.ceil(count / 20)
    assert sorted(r["url"].split("/")[3].split("?")[0] for b in looked for r in b) == sorted(ids)
    assert all("?$select=" in r["url"] for b in looked for r in b)
    # No event is read one by one; the only other requests: who is signed in, the cancels.
    top = [r for r in fake_graph.requests if not r.in_batch]
    assert not [r for r in top if r.method == "GET" and "/events/" in r.path]
    assert len(top) == 2 * math.ceil(count / 20) + 1


def test_a_throttled_look_up_is_asked_again_and_the_event_cancelled_once(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    ids = add_meetings(fake_graph.store, 3)
    fake_graph.faults.add(Fault("throttle", method="GET", path="/events/", in_batch=True,
                                times=2))
    run = cal365("cancel", *ids, "--yes", "--json")
    assert run.code == Exit.OK, run.err
    assert [r["outcome"] for r in run.json["results"]] == ["cancelled"] * 3
    cancels = [r for r in fake_graph.requests if r.in_batch and r.path.endswith("/cancel")]
    assert len(cancels) == 3
    assert "throttling" in run.err  # the wait was said


def test_missing_and_refused_look_ups_are_reported_and_never_sent(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    ids = add_meetings(fake_graph.store, 2)
    run = cal365("cancel", ids[0], "AAMk-gone", ids[1], "--yes", "--json")
    assert run.code == Exit.NOT_FOUND, run.err
    assert [r["outcome"] for r in run.json["results"]] == ["cancelled", "not-found", "cancelled"]
    assert run.json["results"][1]["sent"] is False
    cancels = [r.path for r in fake_graph.requests if r.in_batch and r.path.endswith("/cancel")]
    assert len(cancels) == 2 and not [p for p in cancels if "AAMk-gone" in p]
