"""Following nextLinks: the next page is asked for before this one is decoded, from a link
found in the raw body, and the decoded page's own link always wins over that guess."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tui.graph import CalendarRef, GraphClient, RetryPolicy
from tui.graph import events as events_module
from tui.graph.jsonpages import peek_next_link

BASE = "https://graph.example.test/v1.0"


async def _no_sleep(seconds: float) -> None:
    """No test waits for real."""


def _event(event_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": event_id, "subject": event_id, **extra}


@pytest.mark.parametrize("body", [
    '{"value":[{"id":"a"}],"@odata.nextLink":"https://g/next?$skip=1"}',
    '{"@odata.context":"c","@odata.nextLink":"https://g/next?$skip=1","value":[{"id":"a"}]}',
    '{ "value" : [ ] ,\n "@odata.nextLink" :\t"https://g/next?$skip=1" }',
    '{"@odata.nextLink":"https://g/next?$skip=1","value":[{"s":"' + "x" * 40_000 + '"}]}',
])
def test_a_next_link_is_found_at_either_end_of_the_body(body: str) -> None:
    assert peek_next_link(body.encode()) == "https://g/next?$skip=1"


@pytest.mark.parametrize("body", [
    '{"value":[{"id":"a"}]}',
    '{"value":[{"s":"\\"@odata.nextLink\\": \\"https://g/fake\\""}]}',  # inside a string
    '{"value":[{"s":"' + "x" * 40_000 + '"}],"@odata.deltaLink":"https://g/d"}',
    '{"value":[{"s":"' + "x" * 20_000 + '"}],"@odata.nextLink":"https://g/' + "n" * 20_000 + '"}',
])
def test_no_next_link_is_made_up(body: str) -> None:
    assert peek_next_link(body.encode()) is None


async def test_the_next_page_is_asked_for_before_this_one_is_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "0"))
        sent.append(f"page {page}")
        body: dict[str, Any] = {"value": [_event(f"e{page}")]}
        if page < 2:
            body["@odata.nextLink"] = f"{BASE}/me/calendar/calendarView?page={page + 1}"
        return httpx.Response(200, json=body)

    client = GraphClient(BASE, "tok", transport=httpx.MockTransport(handler),
                         policy=RetryPolicy(sleep=_no_sleep))
    # Event listings decode their pages straight into typed items (tui.graph.wire).
    decode = events_module.page_items

    def spy(body: Any, *args: Any) -> Any:
        sent.append("decoded")
        return decode(body, *args)

    monkeypatch.setattr(events_module, "page_items", spy)
    events = [e.id async for page in client.event_pages(CalendarRef(), "/me/calendar/calendarView")
              for e in page]
    assert events == ["e0", "e1", "e2"]
    assert sent == ["page 0", "page 1", "decoded", "page 2", "decoded", "decoded"]


async def test_a_wrong_guess_is_dropped_and_the_decoded_link_followed() -> None:
    """The last item carries a nested "@odata.nextLink" (nearest the end, so guessed
    first); the page's own link is at its start."""
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path.endswith("/wrong"):
            return httpx.Response(404, json={"error": {"code": "ErrorItemNotFound",
                                                       "message": "no"}})
        if request.url.path.endswith("/second"):
            return httpx.Response(200, json={"value": [_event("e2")]})
        nested = _event("e1", extension={"@odata.nextLink": f"{BASE}/wrong"})
        text = json.dumps({"@odata.nextLink": f"{BASE}/second", "value": [nested]})
        return httpx.Response(200, content=text.encode(),
                              headers={"Content-Type": "application/json"})

    client = GraphClient(BASE, "tok", transport=httpx.MockTransport(handler),
                         policy=RetryPolicy(sleep=_no_sleep))
    events = [e.id async for page in client.event_pages(CalendarRef(), "/first") for e in page]
    assert events == ["e1", "e2"]
    assert asked.count("/v1.0/second") == 1
    assert asked.count("/v1.0/wrong") <= 1


async def test_a_big_first_page_comes_as_a_screenful_then_the_rest() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "0"))
        body: dict[str, Any] = {"value": [_event(f"e{page}-{i}") for i in range(500)]}
        if page == 0:
            body["@odata.nextLink"] = f"{BASE}/me/calendar/calendarView?page=1"
        return httpx.Response(200, json=body)

    client = GraphClient(BASE, "tok", transport=httpx.MockTransport(handler),
                         policy=RetryPolicy(sleep=_no_sleep))
    pages = [[e.id for e in page]
             async for page in client.event_pages(CalendarRef(), "/me/calendar/calendarView")]
    assert [len(p) for p in pages] == [60, 440, 500]  # more than a tall terminal shows first
    assert [i for page in pages for i in page] == [f"e{p}-{i}" for p in (0, 1) for i in range(500)]
