"""POST /v1.0/$batch in the fake: Graph's request and response format, rules and faults."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest

from tui.fake import Fault
from tui.fake.bulk import add_meetings
from tui.fake.model import Person


def seg(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="-_.~=+@!$&()*,;:").replace("%2F", "%252F")


def cancel(ident: str, event_id: str, comment: str = "Sorry", **extra: Any) -> dict[str, Any]:
    request = {"id": ident, "method": "POST", "url": f"/me/events/{seg(event_id)}/cancel",
               "headers": {"Content-Type": "application/json"}, "body": {"Comment": comment}}
    request.update(extra)
    return request


def by_id(response: httpx.Response) -> dict[str, dict[str, Any]]:
    assert response.status_code == 200, response.text
    return {entry["id"]: entry for entry in response.json()["responses"]}


def test_a_batch_runs_each_request_and_answers_by_id(graph: Any) -> None:
    (event_id,) = add_meetings(graph.store, 1)
    response = graph.post("/$batch", json={"requests": [
        {"id": "1", "method": "GET", "url": "/me?$select=displayName"},
        cancel("2", event_id),
        {"id": "3", "method": "GET", "url": "/me/events/AAMkNoSuchEvent"},
    ]})
    answers = by_id(response)
    assert set(answers) == {"1", "2", "3"}
    assert answers["1"]["status"] == 200
    assert answers["1"]["body"]["displayName"] == "Avery Quinn"
    assert answers["1"]["headers"]["Content-Type"].startswith("application/json")
    assert answers["2"] == {"id": "2", "status": 202, "headers": {}}
    assert answers["3"]["status"] == 404
    assert answers["3"]["body"]["error"]["code"] == "ErrorItemNotFound"
    assert answers["3"]["body"]["error"]["innerError"]["request-id"]
    assert [r.comment for r in graph.store.cancel_log] == ["Sorry"]
    assert response.headers["request-id"]


def test_ids_with_slashes_resolve_inside_a_batch_too(graph: Any) -> None:
    (event_id,) = add_meetings(graph.store, 1, raw_ids=True)
    assert "/" in event_id or "+" in event_id
    answers = by_id(graph.post("/$batch", json={"requests": [cancel("a", event_id)]}))
    assert answers["a"]["status"] == 202
    assert graph.store.cancel_log[-1].event_id == event_id


def test_absolute_urls_are_tolerated(graph: Any) -> None:
    answers = by_id(graph.post("/$batch", json={"requests": [
        {"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/me"}]}))
    assert answers["1"]["status"] == 200


@pytest.mark.parametrize(("payload", "message"), [
    (b"{not json", "Invalid batch payload format."),
    (b'{"value": []}', "Invalid batch payload format."),
    (b'{"requests": []}', "at least one request"),
    (json.dumps({"requests": [{"id": str(i), "method": "GET", "url": "/me"}
                              for i in range(21)]}).encode(), "maximum of 20"),
    (json.dumps({"requests": [{"id": "1", "method": "GET", "url": "/me"},
                              {"id": "1", "method": "GET", "url": "/me"}]}).encode(),
     "Request Id 1 has to be unique in a batch."),
    (json.dumps({"requests": [{"id": 1, "method": "GET", "url": "/me"}]}).encode(),
     "must be a string"),
    (json.dumps({"requests": [{"id": "1", "method": "POST", "url": "/me/events/x/cancel",
                               "body": {}}]}).encode(), "Content-Type header"),
    (json.dumps({"requests": [{"id": "1", "method": "GET", "url": "/me",
                               "dependsOn": ["9"]}]}).encode(), "unknown request 9"),
    (json.dumps({"requests": [{"id": "1", "method": "GET", "url": "/me", "dependsOn": ["2"]},
                              {"id": "2", "method": "GET", "url": "/me", "dependsOn": ["1"]}]}
                ).encode(), "cycle"),
])
def test_a_malformed_batch_fails_whole_with_400(graph: Any, payload: bytes, message: str) -> None:
    response = graph.post("/$batch", content=payload,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "BadRequest" and message in error["message"]
    assert not graph.store.cancel_log


def test_a_batch_needs_the_callers_token(fake_graph: Any) -> None:
    response = httpx.post(f"{fake_graph.base_url}/$batch", json={"requests": [
        {"id": "1", "method": "GET", "url": "/me"}]})
    assert response.status_code == 401


def test_depends_on_runs_in_order_and_a_failure_gives_424(graph: Any) -> None:
    first, second = add_meetings(graph.store, 2)
    answers = by_id(graph.post("/$batch", json={"requests": [
        cancel("1", "AAMkNoSuchEvent"),
        cancel("2", first, dependsOn=["1"]),
        cancel("3", second),
    ]}))
    assert answers["1"]["status"] == 404
    assert answers["2"]["status"] == 424
    assert answers["2"]["body"]["error"]["code"] == "FailedDependency"
    assert answers["3"]["status"] == 202
    assert [r.event_id for r in graph.store.cancel_log] == [second]  # 2 never ran


def test_a_throttled_sub_request_carries_retry_after(graph: Any) -> None:
    first, second = add_meetings(graph.store, 2)
    graph.fake.faults.add(Fault("throttle", in_batch=True, path=seg(first), retry_after="1"))
    answers = by_id(graph.post("/$batch", json={"requests": [
        cancel("1", first), cancel("2", second)]}))
    assert answers["1"]["status"] == 429
    assert answers["1"]["headers"]["Retry-After"] == "1"
    assert answers["1"]["body"]["error"]["code"] == "ApplicationThrottled"
    assert answers["2"]["status"] == 202


def test_transport_faults_do_not_apply_inside_a_batch(graph: Any) -> None:
    graph.fake.faults.add(Fault("reset_before", in_batch=True))
    answers = by_id(graph.post("/$batch", json={"requests": [
        {"id": "1", "method": "GET", "url": "/me"}]}))
    assert answers["1"]["status"] == 200


def test_independent_requests_count_against_the_mailbox_limit(graph: Any) -> None:
    """Two parallel batches of independent reads: up to 8 at once, so Outlook throttles."""
    graph.fake.faults.add(Fault("latency", in_batch=True, seconds=0.05, times=None))
    requests = [{"id": str(i), "method": "GET", "url": "/me/calendars"} for i in range(20)]
    results: list[httpx.Response] = []

    def send() -> None:
        results.append(graph.post("/$batch", json={"requests": requests}))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = [e["status"] for r in results for e in r.json()["responses"]]
    assert graph.fake.gate.peak[graph.store.me_id] == 4
    assert statuses.count(429) == sum(graph.fake.gate.throttled.values()) > 0
    throttled = next(e for r in results for e in r.json()["responses"] if e["status"] == 429)
    assert throttled["body"]["error"]["message"] == (
        "Application is over its MailboxConcurrency limit.")


def test_sub_requests_are_recorded(graph: Any) -> None:
    (event_id,) = add_meetings(graph.store, 1)
    graph.fake.clear_requests()
    graph.post("/$batch", json={"requests": [cancel("1", event_id)]})
    inner = [r for r in graph.fake.requests if r.in_batch]
    assert [(r.method, r.path.endswith("/cancel"), r.status) for r in inner] == [
        ("POST", True, 202)]
    assert json.loads(inner[0].body) == {"Comment": "Sorry"}


def test_a_refused_cancel_in_a_batch_has_graphs_message(graph: Any) -> None:
    (event_id,) = add_meetings(graph.store, 1, organizer=Person("Noah", "noah@example.test"))
    answers = by_id(graph.post("/$batch", json={"requests": [cancel("1", event_id)]}))
    assert answers["1"]["status"] == 400
    assert "organizer" in answers["1"]["body"]["error"]["message"]


def test_random_faults_repeat_with_the_same_seed() -> None:
    from tui.fake import Faults

    def fired(seed: int) -> list[bool]:
        faults = Faults()
        faults.seed = seed
        faults.add(Fault("throttle", probability=0.5, times=None))
        return [bool(faults.pick("GET", "/v1.0/me", False)) for _ in range(40)]

    assert fired(3) == fired(3)
    assert fired(3) != fired(4)


def test_event_reads_in_a_batch_take_select_and_each_their_own_prefer(graph: Any) -> None:
    # Graph applies no header of the batch to its requests: a time zone is asked per request.
    (event_id,) = add_meetings(graph.store, 1, raw_ids=True)
    url = f"/me/events/{seg(event_id)}"
    answers = by_id(graph.post("/$batch", headers={"Prefer": 'outlook.timezone="UTC"'}, json={
        "requests": [
            {"id": "1", "method": "GET", "url": f"{url}?$select=subject,start",
             "headers": {"Prefer": 'outlook.timezone="Europe/Berlin"'}},
            {"id": "2", "method": "GET", "url": f"{url}?%24select=subject", "dependsOn": ["1"]},
        ]}))
    first, second = answers["1"], answers["2"]
    assert first["status"] == second["status"] == 200
    assert set(first["body"]) - {"@odata.context", "@odata.etag"} == {"id", "subject", "start"}
    assert first["body"]["start"]["timeZone"] == "Europe/Berlin"
    assert set(second["body"]) - {"@odata.context", "@odata.etag"} == {"id", "subject"}
    assert first["body"]["id"] == event_id
