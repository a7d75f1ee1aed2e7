"""calendarView: expansion, windows, time zones, shared and group calendars."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.fake import seed

DAY = "startDateTime=2026-11-23T00:00:00Z&endDateTime=2026-11-24T00:00:00Z"
SIX_WEEKS = "startDateTime=2026-11-16T00:00:00&endDateTime=2026-12-28T00:00:00"


def _all(graph, path: str, **kwargs) -> list[dict]:
    return [item for page in graph.follow(path, **kwargs) for item in page]


def test_expansion_has_occurrences_with_series_master_id(graph) -> None:
    items = _all(graph, f"/me/calendarView?{SIX_WEEKS}")
    masters = {e["id"]: e for e in graph.store.find_events(lambda e: e["type"] == "seriesMaster")}
    assert {m["subject"] for m in masters.values()} >= {
        seed.WEEKLY_SERIES, seed.OTHERS_SERIES, seed.BIWEEKLY_SERIES}
    occurrences = [e for e in items if e["type"] == "occurrence"]
    assert occurrences and all(e["seriesMasterId"] in masters for e in occurrences)
    assert all(e["recurrence"] is None for e in occurrences)
    assert not [e for e in items if e["type"] == "seriesMaster"]
    standups = [e for e in occurrences if e["subject"] == seed.OTHERS_SERIES]
    assert len(standups) == 30  # Mon-Fri for six weeks
    assert all(not e["isOrganizer"] for e in standups)
    assert [e for e in items if e["type"] == "exception"]
    # The unexpanded list has the masters and no occurrences.
    events = _all(graph, "/me/events")
    assert {e["type"] for e in events} == {"singleInstance", "seriesMaster"}
    master = next(e for e in events if e["subject"] == seed.WEEKLY_SERIES)
    assert master["recurrence"]["pattern"]["type"] == "weekly"


def test_occurrence_is_gettable_by_id(graph) -> None:
    occurrence = next(e for e in _all(graph, f"/me/calendarView?{DAY}")
                      if e["type"] == "occurrence")
    response = graph.get(f"/me/events/{occurrence['id']}")
    assert response.status_code == 200
    assert response.json()["seriesMasterId"] == occurrence["seriesMasterId"]
    assert response.json()["start"] == occurrence["start"]


def test_instances_of_a_series(graph) -> None:
    master = graph.store.find_events(lambda e: e["subject"] == seed.WEEKLY_SERIES)[0]
    body = graph.get(f"/me/events/{master['id']}/instances?{SIX_WEEKS}").json()
    assert body["value"] and all(e["seriesMasterId"] == master["id"] for e in body["value"])


def test_timezone_preference_converts_start_and_end(graph) -> None:
    prefer = {"Prefer": 'outlook.timezone="Pacific Standard Time"'}
    response = graph.get(f"/me/calendarView?{DAY}&$top=100", headers=prefer)
    assert response.headers["preference-applied"] == 'outlook.timezone="Pacific Standard Time"'
    budget = next(e for e in response.json()["value"] if e["subject"] == seed.ORGANIZED_TODAY)
    # 10:00 in Berlin is 09:00 UTC and 01:00 in Los Angeles.
    assert budget["start"] == {"dateTime": "2026-11-23T01:00:00.0000000",
                               "timeZone": "Pacific Standard Time"}
    assert budget["end"]["dateTime"] == "2026-11-23T02:00:00.0000000"
    utc = graph.get(f"/me/events/{budget['id']}").json()
    assert utc["start"] == {"dateTime": "2026-11-23T09:00:00.0000000", "timeZone": "UTC"}
    iana = graph.get(f"/me/events/{budget['id']}",
                     headers={"Prefer": 'outlook.timezone="Europe/Berlin"'}).json()
    assert iana["start"] == {"dateTime": "2026-11-23T10:00:00.0000000",
                             "timeZone": "Europe/Berlin"}


@pytest.mark.parametrize("zone", ["Tokyo Standard Time", "Pacific/Honolulu", "UTC"])
def test_all_day_events_stay_midnight(graph, zone: str) -> None:
    path = "/me/calendarView?startDateTime=2026-11-30&endDateTime=2026-12-05&$top=200"
    items = graph.get(path, headers={"Prefer": f'outlook.timezone="{zone}"'}).json()["value"]
    summit = next(e for e in items if e["subject"] == "Fabrikam Partner Summit 2026")
    assert summit["isAllDay"]
    assert summit["start"] == {"dateTime": "2026-12-01T00:00:00.0000000", "timeZone": zone}
    assert summit["end"] == {"dateTime": "2026-12-03T00:00:00.0000000", "timeZone": zone}


def test_several_prefer_headers_and_text_body(graph) -> None:
    response = graph.get(f"/me/calendarView?{DAY}", headers=[
        ("Prefer", 'outlook.timezone="W. Europe Standard Time"'),
        ("Prefer", 'outlook.body-content-type="text", IdType="ImmutableId"'),
    ])
    item = response.json()["value"][0]
    assert item["body"]["contentType"] == "text"
    assert item["start"]["timeZone"] == "W. Europe Standard Time"
    assert 'outlook.body-content-type="text"' in response.headers["preference-applied"]


def test_window_bounds_with_offsets_and_fractions(graph) -> None:
    a = graph.get(f"/me/calendarView?{DAY}&$top=100").json()["value"]
    b = graph.get("/me/calendarView?startdatetime=2026-11-23T01:00:00.0000000%2B01:00"
                  "&ENDDATETIME=2026-11-23T19:00:00-05:00&$top=100").json()["value"]
    assert [e["id"] for e in a] == [e["id"] for e in b]


def test_missing_window_is_400(graph) -> None:
    for query in ("", "?startDateTime=2026-11-23T00:00:00Z", "?endDateTime=2026-11-23"):
        response = graph.get(f"/me/calendar/calendarView{query}")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "ErrorInvalidParameter"
        assert response.json()["error"]["message"] == (
            "This request requires a time window specified by the query string parameters "
            "StartDateTime and EndDateTime.")


def test_window_longer_than_1825_days_is_400(graph) -> None:
    ok = graph.get("/me/calendarView?startDateTime=2026-01-01&endDateTime=2030-12-31")
    assert ok.status_code == 200
    response = graph.get("/me/calendarView?startDateTime=2026-01-01T00:00:00Z"
                         "&endDateTime=2031-01-01T00:00:00Z")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "ErrorInvalidRequest",
        "message": "Your request can't be completed. The range between the start and end dates "
                   "is greater than the allowed range. Maximum number of days: 1825",
        "innerError": response.json()["error"]["innerError"],
    }


def test_all_calendar_view_path_forms(graph) -> None:
    store = graph.store
    cal = store.default_calendar_id()
    group = graph.get("/me/calendarGroups").json()["value"][0]["id"]
    expected = [e["id"] for e in _all(graph, f"/me/calendarView?{DAY}")]
    for path in (f"/me/calendar/calendarView?{DAY}", f"/me/calendars/{cal}/calendarView?{DAY}",
                 f"/me/calendarGroups/{group}/calendars/{cal}/calendarView?{DAY}",
                 f"/me/calendargroups/{group}/calendars/{cal}/calendarview?{DAY}",
                 f"/users/{seed.ME_UPN}/calendarView?{DAY}",
                 f"/users/{seed.ME_ID}/calendar/calendarView?{DAY}"):
        assert [e["id"] for e in _all(graph, path)] == expected, path


def test_calendar_groups_and_calendars(graph) -> None:
    groups = graph.get("/me/calendarGroups").json()["value"]
    assert [g["name"] for g in groups] == ["My Calendars", "Other calendars", "People's calendars"]
    assert set(groups[0]) == {"id", "name", "changeKey", "classId"}
    mine = graph.get(f"/me/calendarGroups/{groups[0]['id']}/calendars").json()["value"]
    assert [c["name"] for c in mine] == ["Calendar", "Team Offsite", "Personal"]
    default_group = graph.get("/me/calendarGroup/calendars").json()["value"]
    assert default_group == mine
    calendar = graph.get("/me/calendar").json()
    assert calendar["isDefaultCalendar"] and calendar["canEdit"]
    assert calendar["owner"] == {"name": "Avery Quinn", "address": seed.ME_UPN}
    calendars = graph.get("/me/calendars").json()["value"]
    assert any("/" in c["id"] and "+" in c["id"] for c in calendars)


def test_shared_calendar_is_read_only_and_is_organizer_follows_owner(graph) -> None:
    calendars = graph.get("/me/calendars").json()["value"]
    shared = next(c for c in calendars if c["name"] == "Jonas Berg")
    assert shared["canEdit"] is False
    assert shared["owner"]["address"] == seed.JONAS_UPN
    items = _all(graph, f"/me/calendars/{shared['id']}/calendarView?{DAY}")
    sync = next(e for e in items if e["subject"] == seed.ATTENDED_TODAY)
    assert sync["isOrganizer"] is True  # Jonas organizes it; he owns the calendar
    budget = next(e for e in items if e["subject"] == seed.ORGANIZED_TODAY_RAW_ID)
    assert budget["isOrganizer"] is False
    # /me/events covers only the user's own calendars.
    own = {e["id"] for e in _all(graph, "/me/events")}
    assert sync["id"] not in own


def test_group_calendar(graph) -> None:
    body = graph.get(f"/groups/{seed.GROUP_ID}/calendar").json()
    assert body["owner"]["address"] == seed.GROUP_MAIL
    events = _all(graph, f"/groups/{seed.GROUP_ID}/events")
    assert events and all(e["isOrganizer"] for e in events)
    assert all(e["organizer"]["emailAddress"]["address"] == seed.GROUP_MAIL for e in events)
    view = _all(graph, f"/groups/{seed.GROUP_ID}/calendar/calendarView?{SIX_WEEKS}")
    assert {e["id"] for e in view} <= {e["id"] for e in events}


def test_today_has_organized_and_attended_meetings(graph) -> None:
    for offset in range(3):
        day = graph.store.today + dt.timedelta(days=offset)
        lo = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        items = graph.store.calendar_view(lo, lo + dt.timedelta(days=1))
        assert any(e["isOrganizer"] and e["attendees"] for e in items)
        assert any(not e["isOrganizer"] for e in items)


def test_seed_is_deterministic_and_varied(graph) -> None:
    from tui.fake.seed import build

    again = build(graph.store.today)
    assert [e["id"] for e in again.find_events()] == [e["id"] for e in graph.store.find_events()]
    items = graph.store.find_events()
    subjects = " ".join(e["subject"] for e in items)
    for sample in ("Обзор", "Συνάντηση", "週次", "مراجعة", "🚀", "[bold]"):
        assert sample in subjects
    assert any(e["isCancelled"] for e in items)
    assert any(e["isAllDay"] for e in items)
    assert any(e["onlineMeeting"] and e["onlineMeetingProvider"] == "teamsForBusiness"
               for e in items)
    assert sum("/" in e["id"] and "+" in e["id"] for e in items) > 5
    assert len(items) > 200
