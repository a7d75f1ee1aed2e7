"""The Graph client against scripted responses: paging, errors, comment rules, models."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from zoneinfo import ZoneInfo

import httpx
import pytest

from tui.graph import (
    ME,
    AuthenticationRequired,
    CalendarRef,
    CancelNotSent,
    CancelOutcomeUnknown,
    EventRef,
    GraphClient,
    GraphError,
    GraphUnavailable,
    Mailbox,
    NotFound,
    OrganizerRequired,
    RetryPolicy,
)

BASE = "https://graph.example.test/v1.0"
ORGANIZER_MESSAGE = (
    "Your request can't be completed. You need to be an organizer to cancel a meeting."
)
BERLIN = ZoneInfo("Europe/Berlin")


async def _no_sleep(seconds: float) -> None:
    """Tests never wait for real; the waits asked for are checked where they matter."""


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> GraphClient:
    return GraphClient(
        BASE,
        "tok",
        timezone="Europe/Berlin",
        transport=httpx.MockTransport(handler),
        policy=RetryPolicy(sleep=_no_sleep),
    )


def graph_error(status: int, code: str, message: str) -> httpx.Response:
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {"request-id": "rid-1", "date": "2026-11-23T10:00:00"},
        }
    }
    return httpx.Response(status, json=body, headers={"request-id": "rid-1"})


def event_json(i: int, **extra: object) -> dict[str, object]:
    obj: dict[str, object] = {
        "id": f"AAMk{i}/x+y=",
        "subject": f"Meeting {i}",
        "start": {"dateTime": "2026-11-23T09:00:00.0000000", "timeZone": "Europe/Berlin"},
        "end": {"dateTime": "2026-11-23T09:30:00.0000000", "timeZone": "Europe/Berlin"},
        "isOrganizer": True,
        "attendees": [
            {
                "type": "required",
                "status": {"response": "accepted"},
                "emailAddress": {"name": "Jonas", "address": "jonas@f.test"},
            },
            {
                "type": "resource",
                "status": {"response": "accepted"},
                "emailAddress": {"name": "Room 1", "address": "room1@f.test"},
            },
        ],
    }
    obj.update(extra)
    return obj


async def test_calendar_view_follows_next_links_and_sends_window_select_and_zone() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if "skip" not in str(request.url):
            return httpx.Response(
                200,
                json={
                    "value": [event_json(1)],
                    "@odata.nextLink": f"{BASE}/me/calendar/calendarView?x=1&$skip=1",
                },
            )
        return httpx.Response(200, json={"value": [event_json(2)]})

    start = dt.datetime(2026, 11, 23, tzinfo=BERLIN)
    async with client_for(handler) as client:
        pages = [
            page
            async for page in client.calendar_view(
                CalendarRef(ME), start, start + dt.timedelta(days=7)
            )
        ]
    assert [[e.subject for e in p] for p in pages] == [["Meeting 1"], ["Meeting 2"]]
    first = seen[0]
    assert first.url.path == "/v1.0/me/calendar/calendarView"
    assert first.url.params["startDateTime"] == "2026-11-22T23:00:00Z"
    assert first.url.params["endDateTime"] == "2026-11-29T23:00:00Z"
    assert "isOrganizer" in first.url.params["$select"]
    assert first.headers["Authorization"] == "Bearer tok"
    assert first.headers["Prefer"] == 'outlook.timezone="Europe/Berlin"'
    # The next link is followed exactly as given.
    assert str(seen[1].url) == f"{BASE}/me/calendar/calendarView?x=1&$skip=1"
    event = pages[0][0]
    assert event.start == dt.datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)
    assert event.ref == EventRef("AAMk1/x+y=", ME, CalendarRef(ME))
    assert len(event.attendees) == 2 and len(event.notified_attendees) == 1


async def test_a_window_over_1825_days_is_asked_for_in_parts() -> None:
    windows: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        windows.append((params["startDateTime"], params["endDateTime"]))
        return httpx.Response(200, json={"value": []})

    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    async with client_for(handler) as client:
        async for _ in client.calendar_view(
            CalendarRef(ME), start, start + dt.timedelta(days=1826)
        ):
            pass
    assert windows == [("2026-01-01T00:00:00Z", "2030-12-31T00:00:00Z"),
                       ("2030-12-31T00:00:00Z", "2031-01-01T00:00:00Z")]


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("Sorry, moving to next week", {"Comment": "Sorry, moving to next week"}),
        ("", {}),
        ("   \n", {}),
        (None, {}),
    ],
)
async def test_cancel_posts_comment_or_omits_it_never_empty(
    comment: str | None, expected: dict[str, str]
) -> None:
    bodies: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.method == "POST"
        assert request.url.raw_path == b"/v1.0/users/kim%23EXT%23@f.test/events/A%252FB+C=/cancel"
        assert request.headers["Content-Type"] == "application/json"
        bodies.append(json.loads(request.content))
        return httpx.Response(202, headers={"request-id": "rid-9"})

    async with client_for(handler) as client:
        outcome = await client.cancel_event(
            EventRef("A/B+C=", Mailbox("user", "kim#EXT#@f.test")), comment
        )
    assert bodies == [expected]
    assert outcome.request_id == "rid-9"


async def test_organizer_rejection_is_its_own_error_with_the_server_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return graph_error(400, "ErrorInvalidRequest", ORGANIZER_MESSAGE)

    async with client_for(handler) as client:
        with pytest.raises(OrganizerRequired) as caught:
            await client.cancel_event(EventRef("X"), "hi")
    assert caught.value.status == 400
    assert caught.value.message == ORGANIZER_MESSAGE
    assert caught.value.request_id == "rid-1"


async def test_other_400s_are_not_taken_for_the_organizer_rule() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return graph_error(
            400, "ErrorInvalidRequest", "Your request can't be completed. The range is too big."
        )

    async with client_for(handler) as client:
        with pytest.raises(GraphError) as caught:
            await client.cancel_event(EventRef("X"), None)
    assert not isinstance(caught.value, OrganizerRequired)


async def test_not_found_and_unauthorized_are_typed() -> None:
    responses = iter(
        [
            graph_error(
                404, "ErrorItemNotFound", "The specified object was not found in the store."
            ),
            graph_error(401, "InvalidAuthenticationToken", "Access token has expired."),
            graph_error(401, "InvalidAuthenticationToken", "Access token has expired."),
        ]
    )

    async with client_for(lambda request: next(responses)) as client:
        with pytest.raises(NotFound):
            await client.cancel_event(EventRef("X"), None)
        with pytest.raises(AuthenticationRequired):
            await client.me()


async def test_an_html_error_page_becomes_a_readable_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            502, text="<html><body>Bad gateway</body></html>", headers={"content-type": "text/html"}
        )

    async with client_for(handler) as client:
        with pytest.raises(GraphError) as caught:
            await client.me()
        # For a cancel a proxy's page says nothing about whether it went through.
        with pytest.raises(CancelOutcomeUnknown, match="502 Bad Gateway"):
            await client.cancel_event(EventRef("X"), None)
    assert caught.value.status == 502
    assert "text/html" in caught.value.message


async def test_a_truncated_json_body_on_success_is_an_error_not_a_crash() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b'{"value": [{"id": "A", "subj')

    async with client_for(handler) as client:
        with pytest.raises(GraphError, match="not JSON"):
            await client.calendars()


async def test_gets_retry_after_throttling_but_a_cancel_is_never_resent() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        if request.method == "GET" and len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "0"})
        if request.method == "POST":
            return httpx.Response(503, headers={"Retry-After": "0"})
        if request.url.path.endswith("/events/X"):  # the check after the unclear 503
            return httpx.Response(200, json={"id": "X", "isCancelled": False})
        return httpx.Response(200, json={"value": [{"id": "G1", "name": "My Calendars"}]})

    async with client_for(handler) as client:
        groups = await client.calendar_groups()
        with pytest.raises(CancelNotSent) as caught:
            await client.cancel_event(EventRef("X"), "c")
    assert [g.name for g in groups] == ["My Calendars"]
    assert caught.value.checked
    assert calls == [
        "GET /v1.0/me/calendarGroups",
        "GET /v1.0/me/calendarGroups",
        "POST /v1.0/me/events/X/cancel",
        "GET /v1.0/me/events/X",
    ]


async def test_connection_failure_is_graph_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async with client_for(handler) as client:
        with pytest.raises(GraphUnavailable):
            await client.me()


async def test_odd_field_types_do_not_break_parsing() -> None:
    odd = {
        "id": "E1",
        "subject": 42,
        "start": "tomorrow",
        "end": None,
        "isOrganizer": "yes",
        "attendees": {"not": "a list"},
        "organizer": [],
        "responseStatus": 7,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"value": [odd, {"subject": "no id"}, "junk"]})

    start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    async with client_for(handler) as client:
        pages = [
            p
            async for p in client.calendar_view(
                CalendarRef(ME), start, start + dt.timedelta(days=1)
            )
        ]
    (event,) = pages[0]
    assert event.subject == "" and event.start is None and not event.is_organizer
    assert event.attendees == () and event.organizer.label == "(unknown)"


async def test_windows_zone_names_and_seven_digit_fractions_parse() -> None:
    obj = event_json(
        3, start={"dateTime": "2026-11-23T09:00:00.1234567", "timeZone": "Pacific Standard Time"}
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"value": [obj]})

    start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    async with client_for(handler) as client:
        pages = [
            p
            async for p in client.calendar_view(
                CalendarRef(ME), start, start + dt.timedelta(days=1)
            )
        ]
    event = pages[0][0]
    assert event.start is not None
    assert event.start.astimezone(dt.UTC) == dt.datetime(
        2026, 11, 23, 17, 0, 0, 123456, tzinfo=dt.UTC
    )
    assert event.start.tzinfo == BERLIN


async def test_a_401_refreshes_the_token_once_and_retries() -> None:
    asked: list[bool] = []

    class Tokens:
        async def get_token(
            self, *, force_refresh: bool = False, scopes: frozenset[str] = frozenset()
        ) -> str:
            asked.append(force_refresh)
            return "fresh" if force_refresh else "stale"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == "Bearer stale":
            return graph_error(401, "InvalidAuthenticationToken", "Access token has expired.")
        return httpx.Response(202)

    client = GraphClient(BASE, Tokens(), transport=httpx.MockTransport(handler))
    async with client:
        await client.cancel_event(EventRef("X"), "c")
    assert asked == [False, True]


async def test_a_second_401_is_raised_not_looped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return graph_error(401, "InvalidAuthenticationToken", "Access token has expired.")

    async with client_for(handler) as client:
        with pytest.raises(AuthenticationRequired):
            await client.me()


@pytest.mark.parametrize("payload", [
    [1, 2, 3],
    "a string",
    {"value": "not a list"},
    {"value": [{"id": 5}, {"id": ""}, None]},
    {"value": [], "@odata.nextLink": 42},
])
async def test_unexpected_shapes_of_a_collection_never_crash(payload: object) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=payload)

    async with client_for(handler) as client:
        try:
            calendars = await client.calendars()
        except GraphError as error:
            assert error.code == "InvalidResponse"
        else:
            assert calendars == []


async def test_each_request_asks_for_the_permissions_its_mailbox_needs() -> None:
    from tui.graph.urls import CalendarRef, EventRef, Mailbox

    asked: list[tuple[str, frozenset[str]]] = []

    class Tokens:
        async def get_token(
            self, *, force_refresh: bool = False, scopes: frozenset[str] = frozenset()
        ) -> str:
            return "token"

    def handler(request: httpx.Request) -> httpx.Response:
        status = 202 if request.method == "POST" else 200
        return httpx.Response(status, json={"value": [], "id": "c1"})

    tokens = Tokens()
    original = tokens.get_token

    async def recording(*, force_refresh: bool = False,
                        scopes: frozenset[str] = frozenset()) -> str:
        asked.append((current, scopes))
        return await original(force_refresh=force_refresh, scopes=scopes)

    tokens.get_token = recording  # type: ignore[method-assign]
    client = GraphClient(BASE, tokens, transport=httpx.MockTransport(handler))
    group = Mailbox("group", "g1")
    async with client:
        current = "me"
        await client.calendars()
        current = "memberOf"
        await client.member_groups()
        current = "shared"
        await client.calendars(Mailbox("user", "jonas@contoso.com"))
        current = "group read"
        await client.calendar(CalendarRef(group))
        current = "group cancel"
        await client.cancel_event(EventRef("e1", group, CalendarRef(group)), "Sorry")
    assert asked == [
        ("me", frozenset()),
        ("memberOf", frozenset()),
        ("shared", frozenset({"Calendars.ReadWrite.Shared"})),
        ("group read", frozenset({"Group.Read.All"})),
        ("group cancel", frozenset({"Group.ReadWrite.All"})),
    ]


async def test_a_link_to_another_server_is_refused_and_gets_no_token() -> None:
    """A nextLink naming another host (or scheme, or port) would carry the bearer token
    there: the client refuses it before sending anything."""
    from tui.graph import ME, CalendarRef
    from tui.graph.errors import GraphError

    seen: list[str] = []
    links = ["http://127.0.0.2:8080/v1.0/me/calendarView?$skiptoken=x",
             "https://graph.example:8080/v1.0/me/calendarView?$skiptoken=x",
             "http://graph.example:9090/v1.0/me/calendarView?$skiptoken=x"]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"value": [], "@odata.nextLink": links[0]})

    while links:
        seen.clear()
        client = GraphClient("http://graph.example:8080/v1.0", "SECRET",
                             transport=httpx.MockTransport(handler))
        start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
        with pytest.raises(GraphError) as raised:
            async for _ in client.calendar_view(CalendarRef(ME), start,
                                                start + dt.timedelta(days=7)):
                pass
        assert raised.value.code == "LinkToAnotherServer"
        assert all(u.startswith("http://graph.example:8080/") for u in seen), seen
        await client.aclose()
        links.pop(0)


async def test_a_link_to_the_same_server_is_followed_whatever_its_letter_case() -> None:
    from tui.graph import ME, CalendarRef

    pages = iter([
        {"value": [], "@odata.nextLink": "HTTP://Graph.Example:8080/v1.0/me/calendarView?p=2"},
        {"value": []},
    ])
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=next(pages))

    client = GraphClient("http://graph.example:8080/v1.0", "SECRET",
                         transport=httpx.MockTransport(handler))
    start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    async for _ in client.calendar_view(CalendarRef(ME), start, start + dt.timedelta(days=7)):
        pass
    assert len(seen) == 2
    await client.aclose()
