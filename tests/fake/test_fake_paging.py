"""Collections: default page size 10, nextLink chains, $top, $skip, $select, $orderby, Prefer."""

from __future__ import annotations

import httpx
import pytest

WINDOW = "startDateTime=2026-11-16T00:00:00Z&endDateTime=2026-12-21T00:00:00Z"


@pytest.mark.parametrize("path", ["/me/events", f"/me/calendarView?{WINDOW}",
                                  f"/me/calendar/calendarView?{WINDOW}", "/me/calendar/events"])
def test_default_page_size_and_chain_covers_everything_once(graph, path: str) -> None:
    pages = graph.follow(path)
    assert len(pages) > 3
    assert all(len(page) == 10 for page in pages[:-1])
    assert 0 < len(pages[-1]) <= 10
    ids = [item["id"] for page in pages for item in page]
    assert len(ids) == len(set(ids))
    if "calendarView" in path:
        import datetime as dt

        lo = dt.datetime(2026, 11, 16, tzinfo=dt.UTC)
        expected = graph.store.calendar_view(lo, lo + dt.timedelta(days=35))
    else:
        expected = graph.store.find_events(calendar_id=graph.store.default_calendar_id()) \
            if "/calendar/" in path else graph.store.find_events()
    assert sorted(ids) == sorted(e["id"] for e in expected)


def test_next_link_is_absolute_and_keeps_query(graph) -> None:
    body = graph.get(f"/me/calendarView?{WINDOW}&$select=subject").json()
    link = body["@odata.nextLink"]
    assert link.startswith(graph.fake.base_url + "/me/calendarView?")
    assert "startDateTime=2026-11-16T00:00:00Z" in link
    assert "endDateTime=2026-12-21T00:00:00Z" in link
    assert "$select=subject" in link
    assert link.endswith("$skip=10")
    second = graph.http.get(link).json()
    assert second["@odata.nextLink"].endswith("$skip=20")
    assert second["@odata.nextLink"].count("skip") == 1


def test_next_link_uses_the_host_header(graph) -> None:
    body = graph.get("/me/events", headers={"Host": "graph.example:4443"}).json()
    assert body["@odata.nextLink"].startswith("http://graph.example:4443/v1.0/me/events?")
    assert body["@odata.context"].startswith("http://graph.example:4443/v1.0/$metadata#")


def test_top_sets_page_size(graph) -> None:
    pages = graph.follow("/me/events?$top=25")
    assert [len(p) for p in pages[:-1]] == [25] * (len(pages) - 1)
    assert graph.get("/me/events?top=3").json()["value"].__len__() == 3
    everything = graph.get("/me/events?$top=1000").json()
    assert "@odata.nextLink" not in everything
    assert len(everything["value"]) == len(graph.store.find_events())


def test_max_page_size_preference(graph) -> None:
    response = graph.get("/me/calendars", headers={"Prefer": "odata.maxpagesize=4"})
    assert response.headers["preference-applied"] == "odata.maxpagesize=4"
    assert len(response.json()["value"]) == 4
    assert response.json()["@odata.nextLink"].endswith("$skip=4")
    pages = graph.follow(f"/me/calendarView?{WINDOW}",
                         headers={"Prefer": 'odata.maxpagesize=50, outlook.timezone="UTC"'})
    assert len(pages[0]) == 50


def test_calendars_and_groups_page_at_ten(graph) -> None:
    calendars = graph.get("/me/calendars").json()
    assert len(calendars["value"]) == 6
    assert "@odata.nextLink" not in calendars
    groups = graph.get("/me/calendarGroups?$top=2").json()
    assert len(groups["value"]) == 2
    assert groups["@odata.nextLink"].endswith("$skip=2")
    last = graph.http.get(groups["@odata.nextLink"]).json()
    assert len(last["value"]) == 1 and "@odata.nextLink" not in last


def test_skip_past_the_end_gives_an_empty_page(graph) -> None:
    body = graph.get("/me/events?$skip=100000").json()
    assert body["value"] == [] and "@odata.nextLink" not in body


def test_select_is_case_insensitive_and_canonical(graph) -> None:
    body = graph.get(f"/me/calendarView?{WINDOW}&$select=SUBJECT,start,isorganizer").json()
    item = body["value"][0]
    assert list(item) == ["@odata.etag", "id", "subject", "isOrganizer", "start"]
    assert "events" not in body["@odata.context"]
    assert body["@odata.context"].endswith("/calendarView(subject,start,isOrganizer)")
    calendar = graph.get("/me/calendar?$select=name,canEdit").json()
    assert set(calendar) == {"@odata.context", "id", "name", "canEdit"}


def test_select_unknown_property_is_400(graph) -> None:
    response = graph.get("/me/events?$select=subject,bogus")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "RequestBroker--ParseUri"
    assert response.json()["error"]["message"] == (
        "Could not find a property named 'bogus' on type 'microsoft.graph.event'."
    )


def test_orderby(graph) -> None:
    values = graph.get("/me/events?$orderby=start/dateTime desc&$top=50").json()["value"]
    starts = [v["start"]["dateTime"] for v in values]
    assert starts == sorted(starts, reverse=True)
    values = graph.get("/me/events?$orderby=subject&$top=1000&$select=subject").json()["value"]
    subjects = [v["subject"].lower() for v in values]
    assert subjects == sorted(subjects)
    assert graph.get("/me/events?$orderby=nope").status_code == 400


def test_count(graph) -> None:
    body = graph.get("/me/calendars?$count=true").json()
    assert body["@odata.count"] == 6


def test_bad_top_is_400(graph) -> None:
    response = graph.get("/me/events?$top=abc")
    assert response.status_code == 400


def test_query_option_names_any_case(graph) -> None:
    response = graph.get("/me/events?$TOP=2&$Select=subject")
    assert len(response.json()["value"]) == 2
    assert set(response.json()["value"][0]) == {"@odata.etag", "id", "subject"}


def test_paging_works_from_another_client_over_a_fresh_connection(graph) -> None:
    link = graph.get("/me/events").json()["@odata.nextLink"]
    response = httpx.get(link, headers={"Authorization": f"Bearer {graph.fake.token}"})
    assert response.status_code == 200 and len(response.json()["value"]) == 10
