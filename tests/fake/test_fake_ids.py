"""Ids with `/` and `+`, and how the path is decoded (once, split, then once per segment)."""

from __future__ import annotations

from urllib.parse import quote

from tui.fake import seed


def _raw_event(graph) -> dict:
    return graph.today_view(lambda e: e["subject"] == seed.ORGANIZED_TODAY_RAW_ID)[0]


def test_seeded_ids_look_like_graph_ids(graph) -> None:
    ids = [e["id"] for e in graph.store.find_events()]
    assert all(i.startswith("AAMkA") and i.endswith("AAA=") and len(i) > 140 for i in ids)
    assert sum("/" in i for i in ids) and sum("-" in i or "_" in i for i in ids)


def test_double_encoded_slash_works(graph) -> None:
    event = _raw_event(graph)
    assert "/" in event["id"] and "+" in event["id"]
    escaped = event["id"].replace("/", "%252F")  # `+` stays literal
    response = graph.get(f"/me/events/{escaped}")
    assert response.status_code == 200, response.text
    assert response.json()["id"] == event["id"]
    assert "+" in graph.fake.requests[-1].raw_path


def test_plus_can_also_be_percent_encoded(graph) -> None:
    event = _raw_event(graph)
    escaped = event["id"].replace("/", "%252F").replace("+", "%2B")
    assert graph.get(f"/me/events/{escaped}").status_code == 200


def test_single_encoded_slash_splits_the_id(graph) -> None:
    event = _raw_event(graph)
    escaped = event["id"].replace("/", "%2F")
    response = graph.get(f"/me/events/{escaped}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "RequestBroker--ParseUri"
    after_slash = event["id"].split("/")[1]
    assert error["message"] == f"Resource not found for the segment '{after_slash}'."
    cancel = graph.post(f"/me/events/{escaped}/cancel")
    assert cancel.status_code in (400, 404)
    assert graph.store.event_json(event["id"]) is not None


def test_raw_slash_splits_the_id_too(graph) -> None:
    event = _raw_event(graph)
    response = graph.get(f"/me/events/{event['id']}")
    assert response.status_code == 400


def test_calendar_ids_with_slash(graph) -> None:
    offsite = graph.store.calendar_ids()["Team Offsite"]
    assert "/" in offsite and "+" in offsite
    ok = graph.get(f"/me/calendars/{offsite.replace('/', '%252F')}/events")
    assert ok.status_code == 200 and ok.json()["value"]
    assert graph.get(f"/me/calendars/{offsite.replace('/', '%2F')}/events").status_code == 400


def test_occurrence_ids_of_a_slashy_series_round_trip(graph) -> None:
    view = graph.get("/me/calendarView?startDateTime=2026-11-16&endDateTime=2027-01-04"
                     "&$top=1000").json()["value"]
    occurrence = next(e for e in view if e["subject"] == seed.BIWEEKLY_SERIES)
    assert "/" in occurrence["seriesMasterId"]
    escaped = quote(occurrence["id"], safe="+=").replace("%2F", "%252F")
    assert graph.get(f"/me/events/{escaped}").json()["id"] == occurrence["id"]


def test_guest_upn_and_non_ascii(graph) -> None:
    upn = quote(seed.GUEST_UPN, safe="@")  # `#` must be %23, or it starts a fragment
    user = graph.get(f"/users/{upn}").json()
    assert user["id"] == seed.GUEST_ID
    # Double-encoded `#` (%2523) reaches the service as `#` too.
    assert graph.get(f"/users/{upn.replace('%23', '%2523')}").status_code == 200
    # Guests have no mailbox here.
    assert graph.get(f"/users/{upn}/calendars").status_code == 404
    # UTF-8 percent-encoded non-ASCII in a path segment decodes as text.
    response = graph.get(f"/users/{quote('jürgen@fabrikam.onmicrosoft.com')}")
    assert response.status_code == 404
    assert "jürgen" in response.json()["error"]["message"]


def test_odata_key_syntax(graph) -> None:
    event = graph.organized_meeting(0)
    assert graph.get(f"/me/events('{event['id']}')").json()["id"] == event["id"]
    assert graph.get(f"/users('{seed.ME_UPN}')/calendar").status_code == 200
