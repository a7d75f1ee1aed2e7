"""Auth, error envelopes and the headers every response carries."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx

from tui.fake import FakeGraph

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _error(response: httpx.Response) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "innerError"}
    inner = error["innerError"]
    assert set(inner) == {"date", "request-id", "client-request-id"}
    assert inner["request-id"] == response.headers["request-id"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", inner["date"])
    return {"code": error["code"], "message": error["message"]}


def test_missing_token_is_401(fake_graph: FakeGraph) -> None:
    response = httpx.get(f"{fake_graph.base_url}/me")
    assert response.status_code == 401
    assert _error(response) == {"code": "InvalidAuthenticationToken",
                                "message": "Access token is empty."}
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_wrong_token_is_401(fake_graph: FakeGraph) -> None:
    response = httpx.get(f"{fake_graph.base_url}/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert _error(response)["code"] == "InvalidAuthenticationToken"
    assert "IDX14100" in _error(response)["message"]


def test_bearer_scheme_is_case_insensitive(fake_graph: FakeGraph) -> None:
    response = httpx.get(f"{fake_graph.base_url}/me",
                         headers={"Authorization": f"bearer {fake_graph.token}"})
    assert response.status_code == 200


def test_custom_token() -> None:
    with FakeGraph(token="s3cret") as fake:
        ok = httpx.get(f"{fake.base_url}/me", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200


def test_me_and_standard_headers(graph) -> None:
    response = graph.get("/me", headers={"client-request-id": "abc-123"})
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        "application/json; odata.metadata=minimal; odata.streaming=true; "
        "IEEE754Compatible=false; charset=utf-8"
    )
    assert response.headers["odata-version"] == "4.0"
    assert GUID.match(response.headers["request-id"])
    assert response.headers["client-request-id"] == "abc-123"
    assert "date" in response.headers
    me = response.json()
    assert me["@odata.context"].endswith("/v1.0/$metadata#users/$entity")
    assert me == {"@odata.context": me["@odata.context"], **graph.store.me}
    assert {"id", "displayName", "userPrincipalName", "mail"} <= set(me)
    other = graph.get("/me")
    assert GUID.match(other.headers["client-request-id"])
    assert other.headers["request-id"] != response.headers["request-id"]


def test_users_by_id_and_upn_any_case(graph) -> None:
    me = graph.store.me
    by_id = graph.get(f"/users/{me['id']}").json()
    by_upn = graph.get(f"/users/{me['userPrincipalName'].upper()}").json()
    assert by_id["id"] == by_upn["id"] == me["id"]


def test_unknown_user_group_and_route(graph) -> None:
    response = graph.get("/users/nobody@fabrikam.onmicrosoft.com/calendar")
    assert response.status_code == 404
    assert _error(response) == {
        "code": "ErrorInvalidUser",
        "message": "The requested user 'nobody@fabrikam.onmicrosoft.com' is invalid.",
    }
    response = graph.get("/groups/00000000-0000-0000-0000-000000000000/events")
    assert response.status_code == 404
    assert _error(response)["code"] == "ErrorItemNotFound"
    response = graph.get("/me/calendars/AAMkAGnope=")
    assert response.status_code == 404
    assert _error(response)["code"] == "ErrorItemNotFound"
    response = graph.get("/me/eventz")
    assert response.status_code == 400
    assert _error(response) == {"code": "BadRequest",
                                "message": "Resource not found for the segment 'eventz'."}


def test_guest_upn_with_ext_via_percent_23(graph) -> None:
    from tui.fake.seed import GUEST_UPN

    response = graph.get(f"/users/{quote(GUEST_UPN, safe='@')}")
    assert response.status_code == 200, response.text
    assert response.json()["userPrincipalName"] == GUEST_UPN
    assert "%23EXT%23" in graph.fake.requests[-1].raw_path
    assert "'" in response.json()["displayName"]


def test_colleague_mailbox_without_sharing_is_403(graph) -> None:
    response = graph.get("/users/mira.okafor@fabrikam.onmicrosoft.com/calendar")
    assert response.status_code == 403
    assert _error(response) == {"code": "ErrorAccessDenied",
                                "message": "Access is denied. Check credentials and try again."}
    assert graph.get("/users/mira.okafor@fabrikam.onmicrosoft.com").status_code == 200


def test_requests_are_recorded(graph) -> None:
    graph.fake.clear_requests()
    graph.post("/me/events/x%252Fy/cancel?a=b", content=b'{"Comment":"x"}')
    (recorded,) = graph.fake.requests
    assert recorded.method == "POST"
    assert recorded.raw_path == "/v1.0/me/events/x%252Fy/cancel?a=b"
    assert recorded.path == "/v1.0/me/events/x%2Fy/cancel"
    assert recorded.query == {"a": "b"}
    assert recorded.body == b'{"Comment":"x"}'
    assert recorded.status == 404
    assert recorded.headers["authorization"].startswith("Bearer ")


def test_keep_alive_reuses_connection(graph) -> None:
    for _ in range(5):
        assert graph.get("/me").status_code == 200
    response = graph.get("/me")
    assert response.http_version == "HTTP/1.1"
    assert response.headers.get("connection", "keep-alive").lower() != "close"
