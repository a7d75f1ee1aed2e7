"""POST …/events/{id}/cancel: all ten URL forms, bodies, rejections, series and occurrences."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest

from tui.fake import seed


def seg(value: str) -> str:
    return quote(value, safe="-_.~=+@!$&()*,;:").replace("%2F", "%252F")

FORMS = [
    "/me/events/{e}/cancel",
    "/users/{u}/events/{e}/cancel",
    "/groups/{g}/events/{e}/cancel",
    "/me/calendar/events/{e}/cancel",
    "/users/{u}/calendar/events/{e}/cancel",
    "/groups/{g}/calendar/events/{e}/cancel",
    "/me/calendars/{c}/events/{e}/cancel",
    "/users/{u}/calendars/{c}/events/{e}/cancel",
    "/me/calendarGroups/{cg}/calendars/{c}/events/{e}/cancel",
    "/users/{u}/calendarGroups/{cg}/calendars/{c}/events/{e}/cancel",
]


def _group_meeting(graph) -> dict:
    return graph.store.find_events(lambda e: bool(e["attendees"]), user=seed.GROUP_ID)[0]


def _path(graph, form: str, event_id: str, user: str = seed.ME_UPN) -> str:
    cal = graph.store.default_calendar_id()
    my_calendars = graph.get("/me/calendarGroups").json()["value"][0]["id"]
    return form.format(e=seg(event_id), u=seg(user), g=seed.GROUP_ID, c=seg(cal),
                       cg=seg(my_calendars))


@pytest.mark.parametrize("form", FORMS)
def test_cancel_every_url_form(graph, form: str) -> None:
    is_group = form.startswith("/groups/")
    event = _group_meeting(graph) if is_group else graph.organized_meeting(3)
    mailbox = seed.GROUP_ID if is_group else None
    response = graph.post(_path(graph, form, event["id"]),
                          json={"Comment": "Cancelling for this week due to all hands"})
    assert response.status_code == 202, response.text
    assert response.content == b""
    assert response.headers["content-length"] == "0"
    # Gone: 404 afterwards, out of the calendar, in Deleted Items under a new id.
    again = graph.get(f"/me/events/{seg(event['id'])}" if not is_group
                      else f"/groups/{seed.GROUP_ID}/events/{seg(event['id'])}")
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "ErrorItemNotFound"
    assert again.json()["error"]["message"] == "The specified object was not found in the store."
    assert graph.store.event_json(event["id"]) is None
    deleted = graph.store.deleted_items(mailbox)
    assert [d["subject"] for d in deleted] == [event["subject"]]
    assert deleted[0]["id"] != event["id"]
    (notice,) = graph.store.sent_cancellations
    assert notice.subject == event["subject"]
    assert notice.comment == "Cancelling for this week due to all hands"
    assert set(notice.recipients) == {
        a["emailAddress"]["address"] for a in event["attendees"]} - {
        event["organizer"]["emailAddress"]["address"]}
    second = graph.post(_path(graph, form, event["id"]))
    assert second.status_code == 404


@pytest.mark.parametrize("form", ["/me/events/{e}/microsoft.graph.cancel",
                                  "/ME/Calendargroups/{cg}/CALENDARS/{c}/Events/{e}/Cancel",
                                  "/users/{u}/events('{e}')/cancel"])
def test_cancel_spelling_variants(graph, form: str) -> None:
    event = graph.organized_meeting(5)
    response = graph.post(_path(graph, form, event["id"], seed.ME_ID))
    assert response.status_code == 202, response.text


@pytest.mark.parametrize(("body", "headers", "comment"), [
    (b"", {}, None),
    (b"{}", {"Content-Type": "application/json"}, None),
    (b'{"Comment": null}', {"Content-Type": "application/json"}, None),
    (b'{"comment": "lower-case works"}', {"Content-Type": "application/json"}, "lower-case works"),
    ('{"Comment": "Grüße – 会議は中止 🙏"}'.encode(), {}, "Grüße – 会議は中止 🙏"),
])
def test_cancel_bodies(graph, body: bytes, headers: dict, comment: str | None) -> None:
    event = graph.organized_meeting(1)
    response = graph.post(f"/me/events/{event['id']}/cancel", content=body, headers=headers)
    assert response.status_code == 202, response.text
    (notice,) = graph.store.sent_cancellations
    assert notice.comment == comment


def test_empty_comment_sends_no_notice(graph) -> None:
    event = graph.organized_meeting(2)
    response = graph.post(f"/me/events/{event['id']}/cancel", json={"Comment": ""})
    assert response.status_code == 202
    assert graph.store.sent_cancellations == []
    assert graph.store.cancel_log[-1].notice_sent is False
    assert graph.store.deleted_items()[0]["subject"] == event["subject"]


@pytest.mark.parametrize(("body", "code"), [
    (b"{not json", "BadRequest"),
    (b'{"Comment": 42}', "RequestBodyRead"),
    (b'{"Comment": ["a"]}', "RequestBodyRead"),
    (b"[1, 2]", "BadRequest"),
    (b'{"Comment": "x", "sendResponse": false}', "RequestBodyRead"),
])
def test_bad_bodies_are_400(graph, body: bytes, code: str) -> None:
    event = graph.organized_meeting(0)
    response = graph.post(f"/me/events/{event['id']}/cancel", content=body,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    if body == b"{not json":
        assert response.json()["error"]["message"] == (
            "Unable to read JSON request payload. Please ensure Content-Type header is set and "
            "payload is of valid JSON format.")
    assert graph.store.event_json(event["id"]) is not None


def test_attendee_gets_exact_organizer_error(graph) -> None:
    attended = graph.today_view(lambda e: e["subject"] == seed.ATTENDED_TODAY)[0]
    assert attended["isOrganizer"] is False
    response = graph.post(f"/me/events/{seg(attended['id'])}/cancel",
                          json={"Comment": "nope"}, headers={"client-request-id": "cid-1"})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["error"]
    assert list(body["error"]) == ["code", "message", "innerError"]
    assert body["error"]["code"] == "ErrorInvalidRequest"
    assert body["error"]["message"] == (
        "Your request can't be completed. You need to be an organizer to cancel a meeting.")
    inner = body["error"]["innerError"]
    assert list(inner) == ["date", "request-id", "client-request-id"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", inner["date"])
    assert inner["request-id"] == response.headers["request-id"]
    assert inner["client-request-id"] == "cid-1"
    assert graph.store.event_json(attended["id"]) is not None
    assert graph.store.sent_cancellations == []


def test_already_cancelled_attendee_copy_is_still_400(graph) -> None:
    copy = graph.store.find_events(lambda e: e["subject"] == seed.CANCELLED_COPY)[0]
    assert copy["isCancelled"] and not copy["isOrganizer"]
    response = graph.post(f"/me/events/{seg(copy['id'])}/cancel")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "ErrorInvalidRequest"


def test_read_only_shared_calendar_is_403(graph) -> None:
    shared = graph.store.calendar_ids()["Jonas Berg"]
    jonas_own = graph.store.find_events(lambda e: e["isOrganizer"], user=seed.JONAS_ID)[0]
    for path in (f"/me/calendars/{seg(shared)}/events/{seg(jonas_own['id'])}/cancel",
                 f"/users/{seed.JONAS_UPN}/events/{seg(jonas_own['id'])}/cancel"):
        response = graph.post(path)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "ErrorAccessDenied"
        assert response.json()["error"]["message"] == (
            "Access is denied. Check credentials and try again.")


def test_unknown_event_and_wrong_calendar_are_404(graph) -> None:
    fake_id = "AAMkAGI2TG93AAA="
    response = graph.post(f"/me/events/{fake_id}/cancel")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "ErrorItemNotFound"
    event = graph.organized_meeting(0)
    personal = graph.store.calendar_ids()["Personal"]
    response = graph.post(f"/me/calendars/{personal}/events/{event['id']}/cancel")
    assert response.status_code == 404
    other_group = graph.get("/me/calendarGroups").json()["value"][1]["id"]
    cal = graph.store.default_calendar_id()
    response = graph.post(
        f"/me/calendarGroups/{other_group}/calendars/{cal}/events/{event['id']}/cancel")
    assert response.status_code == 404
    assert graph.store.event_json(event["id"]) is not None


def test_get_on_cancel_is_405(graph) -> None:
    event = graph.organized_meeting(0)
    response = graph.get(f"/me/events/{event['id']}/cancel")
    assert response.status_code == 405
    assert response.json()["error"]["code"] in ("BadRequest", "Request_BadRequest")
    assert response.json()["error"]["message"] == (
        "Specified HTTP method is not allowed for the request target.")


def _week(graph) -> str:
    return "startDateTime=2026-11-16T00:00:00Z&endDateTime=2027-01-04T00:00:00Z&$top=1000"


def test_occurrence_cancel_leaves_the_rest_of_the_series(graph) -> None:
    items = graph.get(f"/me/calendarView?{_week(graph)}").json()["value"]
    weekly = [e for e in items if e["subject"] == seed.WEEKLY_SERIES]
    target = next(e for e in weekly if e["type"] == "occurrence")
    response = graph.post(f"/me/events/{seg(target['id'])}/cancel", json={"Comment": "Holiday"})
    assert response.status_code == 202
    after = [e for e in graph.get(f"/me/calendarView?{_week(graph)}").json()["value"]
             if e["subject"] == seed.WEEKLY_SERIES]
    assert [e["id"] for e in after] == [e["id"] for e in weekly if e["id"] != target["id"]]
    assert graph.get(f"/me/events/{seg(target['id'])}").status_code == 404
    master = graph.get(f"/me/events/{seg(target['seriesMasterId'])}")
    assert master.status_code == 200
    (notice,) = graph.store.sent_cancellations
    assert notice.comment == "Holiday" and notice.occurrence_start is not None
    # Jonas's copy of that occurrence shows as cancelled; the others don't.
    lo = dt.datetime(2026, 11, 16, tzinfo=dt.UTC)
    jonas_copy = [e for e in graph.store.calendar_view(lo, lo + dt.timedelta(days=49),
                                                       user=seed.JONAS_ID)
                  if e["subject"].endswith(seed.WEEKLY_SERIES)]
    cancelled = [e for e in jonas_copy if e["isCancelled"]]
    assert len(cancelled) == 1 and cancelled[0]["start"] == target["start"]


def test_series_master_cancel_removes_the_whole_series(graph) -> None:
    master = graph.store.find_events(lambda e: e["subject"] == seed.BIWEEKLY_SERIES)[0]
    assert "/" in master["id"] and "+" in master["id"]
    response = graph.post(f"/me/events/{seg(master['id'])}/cancel")
    assert response.status_code == 202
    items = graph.get(f"/me/calendarView?{_week(graph)}").json()["value"]
    assert not [e for e in items if e["subject"] == seed.BIWEEKLY_SERIES]
    deleted = graph.store.deleted_items()
    assert deleted[0]["type"] == "seriesMaster" and deleted[0]["recurrence"]


def test_attendee_copies_become_cancelled(graph) -> None:
    event = graph.today_view(lambda e: e["subject"] == seed.ORGANIZED_TODAY_RAW_ID)[0]
    response = graph.post(f"/me/events/{seg(event['id'])}/cancel", json={"Comment": "x"})
    assert response.status_code == 202
    (copy,) = graph.store.find_events(lambda e: e["uid"] == event["uid"], user=seed.JONAS_ID)
    assert copy["isCancelled"] is True
    assert copy["subject"] == "Canceled: " + event["subject"]
    # …and Avery sees it that way through Jonas's shared calendar.
    shared = graph.store.calendar_ids()["Jonas Berg"]
    seen = graph.get(f"/me/calendars/{seg(shared)}/events/{seg(copy['id'])}").json()
    assert seen["isCancelled"] is True and seen["isOrganizer"] is False


def test_delete_moves_to_deleted_items_with_204(graph) -> None:
    event = graph.organized_meeting(4)
    response = graph.http.delete(graph.url(f"/me/events/{event['id']}"))
    assert response.status_code == 204 and response.content == b""
    assert graph.get(f"/me/events/{event['id']}").status_code == 404
    assert graph.store.deleted_items()[0]["subject"] == event["subject"]
    (notice,) = graph.store.sent_cancellations
    assert notice.comment is None


def test_unimplemented_query_options_are_explicit(graph) -> None:
    response = graph.get("/me/events?$filter=isOrganizer eq true")
    assert response.status_code == 501
    assert response.json()["error"]["code"] == "NotImplemented"


def test_concurrent_cancels_of_one_event_succeed_once(graph) -> None:
    import concurrent.futures

    import httpx

    event = graph.organized_meeting(6)
    url = graph.url(f"/me/events/{event['id']}/cancel")
    headers = {"Authorization": f"Bearer {graph.fake.token}"}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(lambda _: httpx.post(url, headers=headers).status_code,
                                   range(8)))
    # Past 4 at once the mailbox's concurrency limit may answer 429 instead of 404.
    assert statuses.count(202) == 1
    assert set(statuses) - {202} <= {404, 429}
    assert len(graph.store.sent_cancellations) == 1
