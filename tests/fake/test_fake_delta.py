"""calendarView/delta in the fake: rounds, pages, tokens, changes and refusals as documented."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.fake.conftest import Graph, seg
from tui.fake import seed

START = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
END = START + dt.timedelta(days=7)
WEEK = "startDateTime=2026-11-23T00:00:00Z&endDateTime=2026-11-30T00:00:00Z"


def _round(graph: Graph, url: str, **headers: str) -> tuple[list[dict[str, Any]], list[Any], str]:
    """Follow a round to its deltaLink: (items, raw pages, deltaLink)."""
    pages: list[Any] = []
    response = graph.http.get(url if url.startswith("http") else graph.url(url), headers=headers)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body)
        if "@odata.nextLink" in body:
            assert "@odata.deltaLink" not in body
            response = graph.http.get(body["@odata.nextLink"], headers=headers)
            continue
        items = [item for page in pages for item in page["value"]]
        return items, pages, body["@odata.deltaLink"]


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items if "@removed" not in item]


def _removed(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items if "@removed" in item]


def _view_ids(graph: Graph, **kwargs: Any) -> set[str]:
    return {e["id"] for e in graph.store.calendar_view(START, END, **kwargs)}


def _token(link: str, name: str) -> str:
    query = dict(parse_qsl(urlsplit(link).query))
    assert set(query) == {name}, link  # the window travels inside the token, not beside it
    return query[name]


def test_initial_round_pages_to_a_delta_link(graph: Graph) -> None:
    items, pages, delta_link = _round(graph, f"/me/calendarView/delta?{WEEK}",
                                      Prefer="odata.maxpagesize=7")
    first = pages[0]
    assert first["value"] == [] and set(first) == {"@odata.context", "value", "@odata.nextLink"}
    assert first["@odata.context"].endswith("/v1.0/$metadata#Collection(event)")
    for page in pages[:-1]:
        assert urlsplit(page["@odata.nextLink"]).path == "/v1.0/me/calendarView/delta"
        _token(page["@odata.nextLink"], "$skiptoken")
    assert all(len(page["value"]) <= 7 for page in pages)
    assert len(pages) > 3
    assert urlsplit(delta_link).path == "/v1.0/me/calendarView/delta"
    _token(delta_link, "$deltatoken")
    assert sorted(_ids(items)) == sorted(_view_ids(graph))
    assert not _removed(items)
    # Full representations, as calendarView shows them (no $select on delta).
    sample = items[0]
    assert sample["@odata.type"] == "#microsoft.graph.event"
    for key in ("subject", "start", "end", "attendees", "organizer", "body", "type"):
        assert key in sample


def test_maxpagesize_is_acknowledged_and_default_applies_without_it(graph: Graph) -> None:
    url = graph.url(f"/me/calendarView/delta?{WEEK}")
    response = graph.http.get(url, headers={"prefer": "odata.maxpagesize=5"})
    assert response.headers["Preference-Applied"] == "odata.maxpagesize=5"
    page = graph.http.get(response.json()["@odata.nextLink"],
                          headers={"Prefer": "odata.maxpagesize=5"})
    assert len(page.json()["value"]) == 5
    assert page.headers["Preference-Applied"] == "odata.maxpagesize=5"
    plain = graph.http.get(response.json()["@odata.nextLink"])
    assert "Preference-Applied" not in plain.headers
    assert len(plain.json()["value"]) == 10


def test_timezone_preference_applies_to_delta_pages(graph: Graph) -> None:
    prefer = 'outlook.timezone="Pacific Standard Time", odata.maxpagesize=50'
    items, _, _ = _round(graph, f"/me/calendarView/delta?{WEEK}", Prefer=prefer)
    timed = [item for item in items if not item["isAllDay"]]
    assert timed and all(item["start"]["timeZone"] == "Pacific Standard Time" for item in timed)


def test_unchanged_calendar_gives_an_empty_round(graph: Graph) -> None:
    _, _, delta_link = _round(graph, f"/me/calendarView/delta?{WEEK}")
    items, pages, next_link = _round(graph, delta_link)
    assert items == [] and len(pages) == 1
    _token(next_link, "$deltatoken")


def test_next_round_returns_only_the_changes(graph: Graph) -> None:
    fake = graph.fake
    _, _, delta_link = _round(graph, f"/me/calendarView/delta?{WEEK}",
                              Prefer="odata.maxpagesize=20")
    singles = graph.store.calendar_view(
        START, END, lambda e: e["type"] == "singleInstance" and not e["isAllDay"])
    changed, deleted = singles[0]["id"], singles[1]["id"]
    added = fake.add_event("Added elsewhere", START + dt.timedelta(hours=30),
                           START + dt.timedelta(hours=31))
    fake.add_event("Outside the window", END + dt.timedelta(days=3),
                   END + dt.timedelta(days=3, hours=1))
    fake.change_event(changed, subject="Renamed in Outlook")
    fake.remove_event(deleted)

    items, _, delta_link = _round(graph, delta_link, Prefer="odata.maxpagesize=20")
    assert sorted(_ids(items)) == sorted([added, changed])
    assert _removed(items) == [deleted]
    by_id = {item["id"]: item for item in items}
    assert by_id[changed]["subject"] == "Renamed in Outlook"
    assert by_id[added]["subject"] == "Added elsewhere"
    assert by_id[deleted] == {"@odata.type": "#microsoft.graph.event", "id": deleted,
                              "@removed": {"reason": "deleted"}}
    # The new deltaLink starts from there: nothing more to report.
    assert _round(graph, delta_link)[0] == []


def test_moving_out_of_and_into_the_window(graph: Graph) -> None:
    fake = graph.fake
    inside = fake.add_event("Will leave", START + dt.timedelta(hours=9),
                            START + dt.timedelta(hours=10))
    outside = fake.add_event("Will arrive", END + dt.timedelta(days=1),
                             END + dt.timedelta(days=1, hours=1))
    _, _, delta_link = _round(graph, f"/me/calendarView/delta?{WEEK}")
    fake.change_event(inside, start=END + dt.timedelta(days=2))
    fake.change_event(outside, start=START + dt.timedelta(hours=12))
    items, _, _ = _round(graph, delta_link)
    assert _removed(items) == [inside]
    assert _ids(items) == [outside]


def test_cancel_through_graph_shows_as_removed(graph: Graph) -> None:
    meeting = graph.organized_meeting()
    _, _, delta_link = _round(graph, f"/me/calendarView/delta?{WEEK}")
    response = graph.post(f"/me/events/{seg(meeting['id'])}/cancel", json={"comment": "Sorry"})
    assert response.status_code == 202
    items, _, _ = _round(graph, delta_link)
    assert _removed(items) == [meeting["id"]]
    assert meeting["id"] not in _ids(items)


def test_deleted_occurrence_shows_as_removed(graph: Graph) -> None:
    occurrences = graph.store.calendar_view(START, END, lambda e: e["type"] == "occurrence")
    gone = occurrences[0]["id"]
    _, _, delta_link = _round(graph, f"/me/calendarView/delta?{WEEK}")
    graph.fake.remove_event(gone)
    items, _, _ = _round(graph, delta_link, Prefer="odata.maxpagesize=100")
    assert _removed(items) == [gone]
    # The rest of the series changed with its master; each is sent as calendarView shows it.
    assert gone not in _ids(items)
    assert set(_ids(items)) <= _view_ids(graph)


def test_expired_and_unknown_tokens_are_410(graph: Graph) -> None:
    first = graph.get(f"/me/calendarView/delta?{WEEK}").json()
    _, _, delta_link = _round(graph, f"/me/calendarView/delta?{WEEK}")
    graph.fake.expire_delta_tokens()
    for link in (delta_link, first["@odata.nextLink"],
                 graph.url("/me/calendarView/delta?$deltatoken=made-up"),
                 graph.url("/me/calendarView/delta?$skiptoken=made-up")):
        response = graph.http.get(link)
        assert response.status_code == 410, link
        error = response.json()["error"]
        assert error["code"] == "SyncStateNotFound"
        assert error["message"] and error["innerError"]["request-id"]


def test_a_token_belongs_to_its_calendar(graph: Graph) -> None:
    _, _, delta_link = _round(graph, f"/me/calendarView/delta?{WEEK}")
    token = _token(delta_link, "$deltatoken")
    other = graph.store.calendar_ids()["Personal"]
    response = graph.get(f"/me/calendars/{seg(other)}/calendarView/delta?$deltatoken={token}")
    assert response.status_code == 410
    # The same calendar through another URL form keeps its state.
    same = graph.get(f"/users/{seed.ME_UPN}/calendar/calendarView/delta?$deltatoken={token}")
    assert same.status_code == 200 and same.json()["value"] == []


def test_tokens_are_opaque_and_retries_repeat_a_page(graph: Graph) -> None:
    first = graph.get(f"/me/calendarView/delta?{WEEK}").json()
    again = graph.get(f"/me/calendarView/delta?{WEEK}").json()
    token = _token(first["@odata.nextLink"], "$skiptoken")
    assert token != _token(again["@odata.nextLink"], "$skiptoken")
    assert "2026" not in token
    page = graph.http.get(first["@odata.nextLink"]).json()
    retried = graph.http.get(first["@odata.nextLink"]).json()
    assert page == retried


def test_option_names_are_liberal(graph: Graph) -> None:
    _, _, delta_link = _round(graph, f"/me/calendarView/delta?{WEEK}")
    token = _token(delta_link, "$deltatoken")
    for query in (f"deltatoken={token}", f"$DeltaToken={token}", f"{WEEK}&$deltatoken={token}"):
        response = graph.get(f"/me/calendarView/delta?{query}")
        assert response.status_code == 200, query
        assert response.json()["value"] == []
    first = graph.get(f"/me/calendarView/microsoft.graph.delta()?{WEEK}").json()
    skip = _token(first["@odata.nextLink"], "$skiptoken")
    assert graph.get(f"/me/calendarView/delta?skiptoken={skip}").status_code == 200


@pytest.mark.parametrize("option", ["$select=subject", "$filter=isCancelled eq false",
                                    "$orderby=start/dateTime", "$top=5", "$expand=attachments",
                                    "$search=%22budget%22", "select=subject", "$skip=3"])
def test_unsupported_query_options_are_400(graph: Graph, option: str) -> None:
    response = graph.get(f"/me/calendarView/delta?{WEEK}&{option}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "ErrorInvalidUrlQuery"
    assert "not supported with change tracking" in error["message"]


def test_first_request_needs_the_window(graph: Graph) -> None:
    response = graph.get("/me/calendarView/delta?startDateTime=2026-11-23T00:00:00Z")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "ErrorInvalidParameter"
    assert graph.http.post(graph.url(f"/me/calendarView/delta?{WEEK}")).status_code == 405


def _forms(graph: Graph) -> list[tuple[str, dict[str, Any]]]:
    store = graph.store
    cal = store.default_calendar_id()
    personal = store.calendar_ids()["Personal"]
    group = graph.get("/me/calendarGroups").json()["value"][0]["id"]
    jonas = store.default_calendar_id(seed.JONAS_ID)
    return [
        ("/me/calendarView/delta", {}),
        ("/me/calendar/calendarView/delta", {}),
        (f"/me/calendars/{seg(cal)}/calendarView/delta", {}),
        (f"/me/calendars/{seg(personal)}/calendarView/delta", {"calendar_id": personal}),
        (f"/me/calendarGroups/{seg(group)}/calendars/{seg(cal)}/calendarView/delta", {}),
        (f"/users/{seed.ME_ID}/calendarView/delta", {}),
        (f"/users/{seg(seed.ME_UPN)}/calendar/calendarView/delta", {}),
        (f"/users/{seg(seed.JONAS_UPN)}/calendarView/delta", {"user": seed.JONAS_ID}),
        (f"/users/{seed.JONAS_ID}/calendars/{seg(jonas)}/calendarView/delta",
         {"user": seed.JONAS_ID}),
        (f"/groups/{seed.GROUP_ID}/calendarView/delta", {"user": seed.GROUP_ID}),
        (f"/groups/{seed.GROUP_ID}/calendar/calendarView/delta", {"user": seed.GROUP_ID}),
    ]


def test_every_mailbox_form(graph: Graph) -> None:
    for path, where in _forms(graph):
        items, pages, delta_link = _round(graph, f"{path}?{WEEK}",
                                          Prefer="odata.maxpagesize=50")
        assert pages[0]["value"] == [], path
        expected = _view_ids(graph, **where)
        assert expected, path
        assert sorted(_ids(items)) == sorted(expected), path
        assert urlsplit(delta_link).path == urlsplit(graph.url(path)).path, path
        assert _round(graph, delta_link)[0] == [], path


def test_changes_in_a_group_calendar(graph: Graph) -> None:
    fake = graph.fake
    path = f"/groups/{seed.GROUP_ID}/calendarView/delta?{WEEK}"
    _, _, delta_link = _round(graph, path)
    added = fake.add_event("Falcon retro", START + dt.timedelta(hours=14),
                           START + dt.timedelta(hours=15), user=seed.GROUP_ID)
    items, _, _ = _round(graph, delta_link)
    assert _ids(items) == [added]
    assert items[0]["organizer"]["emailAddress"]["address"] == seed.GROUP_MAIL


def test_oldest_states_are_forgotten_first(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.fake import delta

    monkeypatch.setattr(delta, "MAX_STATES", 2)
    links = [_round(graph, f"/me/calendarView/delta?{WEEK}",
                    Prefer="odata.maxpagesize=1000")[2] for _ in range(3)]
    assert graph.http.get(links[0]).status_code == 410
    assert graph.http.get(links[2]).status_code == 200


def test_attendee_copy_of_a_cancelled_meeting_comes_as_changed(graph: Graph) -> None:
    # The organizer's cancel removes the meeting from the organizer's calendar; an
    # attendee's copy stays, flagged cancelled, until the attendee removes it.
    mine = graph.store.calendar_view(START, END, lambda e: e["type"] == "singleInstance"
                                     and e["isOrganizer"] and e["attendees"])
    jonas = graph.store.calendar_view(START, END, user=seed.JONAS_ID)
    copies = {e["iCalUId"]: e for e in jonas}
    meeting = next(e for e in mine if e["iCalUId"] in copies)
    copy = copies[meeting["iCalUId"]]
    path = f"/users/{seed.JONAS_ID}/calendarView/delta?{WEEK}"
    _, _, jonas_link = _round(graph, path)
    response = graph.post(f"/me/events/{seg(meeting['id'])}/cancel", json={"comment": "Off"})
    assert response.status_code == 202
    items, _, _ = _round(graph, jonas_link)
    assert [(item["id"], item["isCancelled"]) for item in items] == [(copy["id"], True)]
    assert items[0]["subject"].startswith("Canceled: ")
