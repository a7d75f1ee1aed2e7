"""POST …/events/{id}/accept | tentativelyAccept | decline and DELETE: URL forms, bodies,
refusals, the effect on the attendee's and the organizer's copies, occurrences, $batch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.fake.conftest import seg
from tui.fake import ids, replies, seed
from tui.fake.model import Attendee, Event, Recurrence

KINDS = ("accept", "tentativelyAccept", "decline")
RESPONSE = {"accept": "accepted", "tentativelyAccept": "tentativelyAccepted",
            "decline": "declined"}
FORMS = [
    "/me/events/{e}/{a}",
    "/users/{u}/events/{e}/{a}",
    "/me/calendar/events/{e}/{a}",
    "/users/{u}/calendar/events/{e}/{a}",
    "/me/calendars/{c}/events/{e}/{a}",
    "/users/{u}/calendars/{c}/events/{e}/{a}",
    "/me/calendarGroups/{cg}/calendars/{c}/events/{e}/{a}",
    "/users/{u}/calendarGroups/{cg}/calendars/{c}/events/{e}/{a}",
]
GROUP_FORMS = ["/groups/{g}/events/{e}/{a}", "/groups/{g}/calendar/events/{e}/{a}"]
PROPOSAL = {"start": {"dateTime": "2026-11-30T09:00:00", "timeZone": "W. Europe Standard Time"},
            "end": {"dateTime": "2026-11-30T09:30:00", "timeZone": "W. Europe Standard Time"}}


def _invitation(graph, index: int = 0) -> dict[str, Any]:
    """A live single meeting Jonas organizes that Avery attends: both copies are in the
    tenant, so the organizer's side can be checked too."""
    found = graph.store.find_events(
        lambda e: not e["isOrganizer"] and not e["isCancelled"] and e["responseRequested"]
        and e["type"] == "singleInstance" and "/" not in e["id"] and "+" not in e["id"]
        and e["organizer"]["emailAddress"]["address"] == seed.JONAS_UPN)
    return found[index]


def _avery_on_jonas_copy(graph, uid: str) -> dict[str, Any]:
    (copy,) = graph.store.find_events(lambda e: e["uid"] == uid, user=seed.JONAS_ID)
    return next(a for a in copy["attendees"] if a["emailAddress"]["address"] == seed.ME_UPN)


def _path(graph, form: str, event_id: str, action: str) -> str:
    cal = graph.store.default_calendar_id()
    my_calendars = graph.get("/me/calendarGroups").json()["value"][0]["id"]
    return form.format(e=seg(event_id), u=seg(seed.ME_UPN), g=seed.GROUP_ID, c=seg(cal),
                       cg=seg(my_calendars), a=action)


def _error(response) -> tuple[int, str, str]:
    body = response.json()["error"]
    return response.status_code, body["code"], body["message"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("kind", KINDS)
def test_reply_every_url_form(graph, form: str, kind: str) -> None:
    event = _invitation(graph)
    response = graph.post(_path(graph, form, event["id"], kind), json={"comment": "Thanks"})
    assert response.status_code == 202, response.text
    assert response.content == b""
    (record,) = graph.store.reply_log
    assert (record.reply, record.event_id, record.comment, record.send_response) == (
        kind, event["id"], "Thanks", True)
    assert record.mailbox == seed.ME_UPN and record.organizer == seed.JONAS_UPN
    assert record.source == "reply" and record.proposed is None
    # The organizer's copy lists Avery's answer.
    assert _avery_on_jonas_copy(graph, event["uid"])["status"]["response"] == RESPONSE[kind]
    after = graph.get(f"/me/events/{seg(event['id'])}")
    if kind == "decline":  # to Deleted Items, as Exchange does by default
        assert after.status_code == 404
        (moved,) = graph.store.deleted_items()
        assert moved["subject"] == event["subject"]
        assert moved["responseStatus"]["response"] == "declined"
    else:
        assert after.status_code == 200
        status = after.json()["responseStatus"]
        assert status["response"] == RESPONSE[kind]
        assert status["time"] != "0001-01-01T00:00:00Z"
        assert after.json()["changeKey"] != event["changeKey"]


@pytest.mark.parametrize("form", GROUP_FORMS)
@pytest.mark.parametrize("kind", KINDS)
def test_group_forms_reach_the_event(graph, form: str, kind: str) -> None:
    # The group organizes its own meetings, so the answer is the organizer refusal.
    event = graph.store.find_events(lambda e: bool(e["attendees"]), user=seed.GROUP_ID)[0]
    response = graph.post(_path(graph, form, event["id"], kind))
    assert _error(response) == (400, "ErrorInvalidRequest", replies.IS_ORGANIZER)


@pytest.mark.parametrize("spelling", ["microsoft.graph.{a}", "{A}"])
def test_action_segment_spellings(graph, spelling: str) -> None:
    event = _invitation(graph)
    segment = spelling.format(a="tentativelyAccept", A="TENTATIVELYACCEPT")
    response = graph.post(f"/me/events/{seg(event['id'])}/{segment}")
    assert response.status_code == 202, response.text
    assert graph.store.reply_log[0].reply == "tentativelyAccept"


@pytest.mark.parametrize("body", [
    {"Comment": "Upper", "SendResponse": True, "ProposedNewTime": PROPOSAL},
    {"comment": "Upper", "sendResponse": True, "proposedNewTime": PROPOSAL},
])
def test_both_spellings_of_body_names(graph, body: dict[str, Any]) -> None:
    event = _invitation(graph)
    response = graph.post(f"/me/events/{seg(event['id'])}/tentativelyAccept", json=body)
    assert response.status_code == 202, response.text
    (record,) = graph.store.reply_log
    assert record.comment == "Upper" and record.send_response is True
    start = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)  # 09:00 Berlin
    assert record.proposed == (start, start + dt.timedelta(minutes=30))
    proposed = _avery_on_jonas_copy(graph, event["uid"])["proposedNewTime"]
    assert proposed["start"]["dateTime"].startswith("2026-11-30T08:00:00")
    assert proposed["end"]["dateTime"].startswith("2026-11-30T08:30:00")


def test_empty_body_and_nulls_mean_defaults(graph) -> None:
    first, second = _invitation(graph, 0), _invitation(graph, 1)
    assert graph.post(f"/me/events/{seg(first['id'])}/accept").status_code == 202
    response = graph.post(f"/me/events/{seg(second['id'])}/accept",
                          json={"comment": None, "sendResponse": None})
    assert response.status_code == 202
    assert [(r.comment, r.send_response) for r in graph.store.reply_log] == [
        (None, True), (None, True)]


@pytest.mark.parametrize(("action", "body", "code"), [
    ("accept", b"{not json", "BadRequest"),
    ("accept", b"[1]", "BadRequest"),
    ("accept", b'{"comment": 42}', "RequestBodyRead"),
    ("accept", b'{"sendResponse": "yes"}', "RequestBodyRead"),
    ("decline", b'{"SendResponse": 1}', "RequestBodyRead"),
    ("accept", b'{"proposedNewTime": null}', "RequestBodyRead"),  # not a parameter of accept
    ("decline", b'{"proposedNewTime": "tomorrow"}', "RequestBodyRead"),
    ("decline", b'{"proposedNewTime": {"start": {"dateTime": "x", "timeZone": "UTC"},'
                b' "end": {"dateTime": "2026-11-30T10:00:00", "timeZone": "UTC"}}}',
     "ErrorInvalidParameter"),
    ("decline", b'{"proposedNewTime": {"start": {"dateTime": "2026-11-30T10:00:00",'
                b' "timeZone": "Nowhere/Land"}, "end": {"dateTime": "2026-11-30T11:00:00",'
                b' "timeZone": "UTC"}}}', "ErrorInvalidParameter"),
    ("tentativelyAccept", b'{"cancel": true}', "RequestBodyRead"),
])
def test_bad_bodies_are_400_and_change_nothing(graph, action: str, body: bytes,
                                               code: str) -> None:
    event = _invitation(graph)
    response = graph.post(f"/me/events/{seg(event['id'])}/{action}", content=body,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == code
    assert graph.store.reply_log == []
    assert graph.store.event_json(event["id"]) == event


def test_response_not_requested(graph) -> None:
    holiday = graph.store.find_events(lambda e: not e["responseRequested"]
                                      and not e["isOrganizer"])[0]
    response = graph.post(f"/me/events/{seg(holiday['id'])}/accept")
    assert _error(response) == (400, "ErrorInvalidRequest", replies.NOT_REQUESTED)
    assert replies.NOT_REQUESTED == (
        "Your request can't be completed. The meeting organizer hasn't requested a response.")
    # Without a response to send, the same reply goes through.
    response = graph.post(f"/me/events/{seg(holiday['id'])}/tentativelyAccept",
                          json={"sendResponse": False})
    assert response.status_code == 202
    after = graph.store.event_json(holiday["id"])
    assert after is not None and after["responseStatus"]["response"] == "tentativelyAccepted"


def test_organizer_cannot_reply(graph) -> None:
    event = graph.organized_meeting(0)
    for kind in KINDS:
        response = graph.post(f"/me/events/{seg(event['id'])}/{kind}")
        assert _error(response) == (400, "ErrorInvalidRequest", (
            "Your request can't be completed. You can't respond to this meeting because "
            "you're the meeting organizer."))
    assert graph.store.reply_log == []
    assert graph.store.event_json(event["id"]) == event


def test_cancelled_meeting_cannot_be_answered(graph) -> None:
    copy = graph.store.find_events(lambda e: e["subject"] == seed.CANCELLED_COPY)
    assert copy and copy[0]["isCancelled"]
    response = graph.post(f"/me/events/{seg(copy[0]['id'])}/decline")
    assert _error(response) == (400, "ErrorInvalidRequest", (
        "Your request can't be completed. You can't respond to a meeting that's been canceled."))
    assert graph.store.event_json(copy[0]["id"]) is not None


def _flag(graph, event_id: str, **changes: Any) -> None:
    """Set up an event's state the way an organizer's Outlook would have left it."""
    with graph.store.lock:
        ev = graph.store.lookup_event(event_id)
        assert ev is not None
        for name, value in changes.items():
            setattr(ev, name, value)


def test_refusals_come_in_graphs_order(graph) -> None:
    organized, invitation = graph.organized_meeting(1), _invitation(graph)
    # responseRequested false before "organizer", "organizer" before "cancelled".
    _flag(graph, organized["id"], response_requested=False, is_cancelled=True)
    response = graph.post(f"/me/events/{seg(organized['id'])}/accept")
    assert _error(response)[2] == replies.NOT_REQUESTED
    response = graph.post(f"/me/events/{seg(organized['id'])}/accept",
                          json={"sendResponse": False})
    assert _error(response)[2] == replies.IS_ORGANIZER
    _flag(graph, invitation["id"], is_cancelled=True, allow_new_time_proposals=False)
    response = graph.post(f"/me/events/{seg(invitation['id'])}/decline",
                          json={"proposedNewTime": PROPOSAL})
    assert _error(response)[2] == replies.CANCELLED


def test_proposal_needs_allow_new_time_proposals(graph) -> None:
    event = _invitation(graph)
    _flag(graph, event["id"], allow_new_time_proposals=False)
    response = graph.post(f"/me/events/{seg(event['id'])}/decline",
                          json={"comment": "Can't", "proposedNewTime": PROPOSAL})
    assert _error(response) == (400, "ErrorInvalidRequest", replies.NO_PROPOSALS)
    assert graph.get(f"/me/events/{seg(event['id'])}").status_code == 200
    # Without a proposal the decline is fine.
    response = graph.post(f"/me/events/{seg(event['id'])}/decline", json={"comment": "Can't"})
    assert response.status_code == 202


@pytest.mark.parametrize(("body", "message"), [
    ({"proposedNewTime": PROPOSAL, "sendResponse": False}, replies.PROPOSAL_NEEDS_RESPONSE),
    ({"comment": "quietly", "sendResponse": False}, replies.COMMENT_NEEDS_RESPONSE),
    ({"Comment": "", "SendResponse": False}, replies.COMMENT_NEEDS_RESPONSE),
])
def test_sendresponse_false_refuses_what_would_be_sent(graph, body: dict[str, Any],
                                                       message: str) -> None:
    event = _invitation(graph)
    response = graph.post(f"/me/events/{seg(event['id'])}/tentativelyAccept", json=body)
    assert _error(response) == (400, "ErrorInvalidParameter", message)
    assert graph.store.reply_log == []


def test_send_response_false_leaves_the_organizer_uninformed(graph) -> None:
    event = _invitation(graph)
    before = _avery_on_jonas_copy(graph, event["uid"])
    response = graph.post(f"/me/events/{seg(event['id'])}/tentativelyAccept",
                          json={"SendResponse": False})
    assert response.status_code == 202
    assert _avery_on_jonas_copy(graph, event["uid"]) == before
    mine = graph.get(f"/me/events/{seg(event['id'])}").json()
    assert mine["responseStatus"]["response"] == "tentativelyAccepted"
    assert mine["showAs"] == "tentative"
    (record,) = graph.store.reply_log
    assert record.send_response is False


def test_accept_after_proposal_clears_it_on_the_organizer_side(graph) -> None:
    event = _invitation(graph)
    url = f"/me/events/{seg(event['id'])}"
    assert graph.post(url + "/tentativelyAccept",
                      json={"proposedNewTime": PROPOSAL}).status_code == 202
    assert "proposedNewTime" in _avery_on_jonas_copy(graph, event["uid"])
    assert graph.post(url + "/accept").status_code == 202
    avery = _avery_on_jonas_copy(graph, event["uid"])
    assert avery["status"]["response"] == "accepted" and "proposedNewTime" not in avery


def test_replies_in_batch(graph) -> None:
    events = [_invitation(graph, i) for i in range(3)]
    requests = [
        {"id": str(i), "method": "POST", "url": f"/me/events/{seg(ev['id'])}/{kind}",
         "headers": {"Content-Type": "application/json"},
         "body": {"Comment": f"batched {kind}"} if i != 1 else {"sendResponse": False}}
        for i, (ev, kind) in enumerate(zip(events, KINDS, strict=True))
    ]
    requests.append({"id": "3", "method": "POST",
                     "url": f"/me/events/{seg(graph.organized_meeting(0)['id'])}/decline"})
    response = graph.post("/$batch", json={"requests": requests})
    assert response.status_code == 200
    answers = {item["id"]: item for item in response.json()["responses"]}
    for ident in "012":
        assert answers[ident]["status"] == 202 and "body" not in answers[ident]
    assert answers["3"]["status"] == 400
    assert answers["3"]["body"]["error"]["message"] == replies.IS_ORGANIZER
    kinds = sorted((r.reply, r.comment, r.send_response) for r in graph.store.reply_log)
    assert kinds == [("accept", "batched accept", True), ("decline", "batched decline", True),
                     ("tentativelyAccept", None, False)]
    assert graph.get(f"/me/events/{seg(events[2]['id'])}").status_code == 404


def _week() -> str:
    return "startDateTime=2026-11-16T00:00:00Z&endDateTime=2027-01-04T00:00:00Z&$top=1000"


def _jonas_series(graph) -> tuple[str, str]:
    """A weekly series Jonas organizes with Avery invited: (Avery's master id, Jonas's)."""
    store = graph.store
    with store.lock:
        me, jonas = store.me_user.person, store.users[seed.JONAS_ID].person
        first = dt.date(2026, 11, 17)
        start = dt.datetime(2026, 11, 17, 14, 0, tzinfo=dt.UTC)
        rec = Recurrence("weekly", 1, ("tuesday",), "numbered", first, None, 6,
                         seed.WIN_BERLIN)
        out = []
        for key, owner in ((seed.ME_ID, me), (seed.JONAS_ID, jonas)):
            cal = store.mailbox(key).default_calendar
            event_id = ids.store_id(key, "event", "test-series")
            out.append(store.add_event(Event(
                id=event_id, subject="Jonas's weekly", start=start,
                end=start + dt.timedelta(minutes=30), organizer=jonas, calendar=cal,
                attendees=[Attendee(me), Attendee(jonas, response="accepted")],
                response="organizer" if owner is jonas else "notResponded",
                type="seriesMaster", recurrence=rec, uid="test-series-uid",
                ical_uid="test-series-uid", change_key=ids.change_key(event_id))).id)
    return out[0], out[1]


def _series_items(graph, path: str) -> list[dict[str, Any]]:
    return [e for e in graph.get(f"{path}?{_week()}").json()["value"]
            if e["subject"] == "Jonas's weekly"]


def test_occurrence_reply_answers_that_occurrence_only(graph) -> None:
    mine, theirs = _jonas_series(graph)
    occurrences = _series_items(graph, "/me/calendarView")
    assert len(occurrences) == 6
    target = occurrences[2]
    response = graph.post(f"/me/events/{seg(target['id'])}/accept", json={"comment": "ok"})
    assert response.status_code == 202, response.text
    after = _series_items(graph, "/me/calendarView")
    assert [e["id"] for e in after] == [e["id"] for e in occurrences]
    answered = [e for e in after if e["responseStatus"]["response"] == "accepted"]
    assert [e["id"] for e in answered] == [target["id"]]
    assert answered[0]["type"] == "exception"
    assert graph.store.reply_log[0].occurrence_start is not None
    master = graph.get(f"/me/events/{seg(mine)}").json()
    assert master["responseStatus"]["response"] == "notResponded"
    # Jonas's copy of that occurrence shows Avery accepted; his other occurrences don't.
    lo = dt.datetime(2026, 11, 16, tzinfo=dt.UTC)
    jonas_view = [e for e in graph.store.calendar_view(lo, lo + dt.timedelta(days=49),
                                                       user=seed.JONAS_ID)
                  if e["subject"] == "Jonas's weekly"]
    statuses = [next(a["status"]["response"] for a in e["attendees"]
                     if a["emailAddress"]["address"] == seed.ME_UPN) for e in jonas_view]
    assert statuses == ["none", "none", "accepted", "none", "none", "none"]
    jonas_master = graph.store.event_json(theirs)
    assert jonas_master is not None
    assert jonas_master["attendees"][0]["status"]["response"] == "none"


def test_series_reply_answers_every_occurrence(graph) -> None:
    mine, theirs = _jonas_series(graph)
    response = graph.post(f"/me/events/{seg(mine)}/tentativelyAccept")
    assert response.status_code == 202
    after = _series_items(graph, "/me/calendarView")
    assert {e["responseStatus"]["response"] for e in after} == {"tentativelyAccepted"}
    jonas_master = graph.store.event_json(theirs)
    assert jonas_master is not None
    assert jonas_master["attendees"][0]["status"]["response"] == "tentativelyAccepted"


def test_occurrence_decline_drops_that_occurrence(graph) -> None:
    _jonas_series(graph)
    occurrences = _series_items(graph, "/me/calendarView")
    target = occurrences[1]
    assert graph.post(f"/me/events/{seg(target['id'])}/decline").status_code == 202
    after = _series_items(graph, "/me/calendarView")
    assert [e["id"] for e in after] == [e["id"] for e in occurrences if e is not target]
    assert graph.get(f"/me/events/{seg(target['id'])}").status_code == 404


def test_decline_shows_as_removed_in_delta(graph) -> None:
    event = _invitation(graph)
    start, end = "2026-11-16T00:00:00Z", "2027-01-04T00:00:00Z"
    link = graph.get(f"/me/calendarView/delta?startDateTime={start}&endDateTime={end}")
    body = link.json()
    while "@odata.nextLink" in body:
        body = graph.http.get(body["@odata.nextLink"]).json()
    delta_link = body["@odata.deltaLink"]
    assert graph.post(f"/me/events/{seg(event['id'])}/decline").status_code == 202
    changes = graph.http.get(delta_link).json()["value"]
    assert {"@odata.type": "#microsoft.graph.event", "id": event["id"],
            "@removed": {"reason": "deleted"}} in changes


def test_accept_shows_as_changed_in_delta(graph) -> None:
    event = _invitation(graph)
    start, end = "2026-11-16T00:00:00Z", "2027-01-04T00:00:00Z"
    body = graph.get(f"/me/calendarView/delta?startDateTime={start}&endDateTime={end}").json()
    while "@odata.nextLink" in body:
        body = graph.http.get(body["@odata.nextLink"]).json()
    assert graph.post(f"/me/events/{seg(event['id'])}/accept").status_code == 202
    changes = graph.http.get(body["@odata.deltaLink"]).json()["value"]
    (changed,) = [c for c in changes if c["id"] == event["id"]]
    assert changed["responseStatus"]["response"] == "accepted"


# ---- DELETE ---------------------------------------------------------------------------------


def test_delete_of_an_invitation_declines_it_first(graph) -> None:
    event = _invitation(graph)
    response = graph.http.delete(graph.url(f"/users/{seed.ME_UPN}/events/{seg(event['id'])}"))
    assert response.status_code == 204 and response.content == b""
    assert graph.get(f"/me/events/{seg(event['id'])}").status_code == 404
    (record,) = graph.store.reply_log
    assert (record.reply, record.source, record.comment, record.send_response) == (
        "decline", "delete", None, True)
    assert _avery_on_jonas_copy(graph, event["uid"])["status"]["response"] == "declined"
    assert graph.store.sent_cancellations == []
    assert [d["subject"] for d in graph.store.deleted_items()] == [event["subject"]]


def test_delete_of_a_cancelled_copy_sends_nothing(graph) -> None:
    copy = graph.store.find_events(lambda e: e["subject"] == seed.CANCELLED_COPY)[0]
    response = graph.http.delete(graph.url(f"/me/events/{seg(copy['id'])}"))
    assert response.status_code == 204
    assert graph.store.reply_log == [] and graph.store.sent_cancellations == []
    assert graph.store.event_json(copy["id"]) is None


def test_delete_of_an_appointment_notifies_nobody(graph) -> None:
    appointment = graph.store.find_events(
        lambda e: e["isOrganizer"] and not e["attendees"] and not e["isAllDay"]
        and e["type"] == "singleInstance")[0]
    response = graph.http.delete(graph.url(f"/me/events/{seg(appointment['id'])}"))
    assert response.status_code == 204
    assert graph.store.sent_cancellations == [] and graph.store.reply_log == []
    assert graph.store.cancel_log[-1].notice_sent is False
    assert graph.get(f"/me/events/{seg(appointment['id'])}").status_code == 404


def test_delete_of_an_organized_meeting_cancels_without_comment(graph) -> None:
    event = graph.organized_meeting(2)
    response = graph.http.delete(graph.url(f"/me/calendar/events/{seg(event['id'])}"))
    assert response.status_code == 204
    (notice,) = graph.store.sent_cancellations
    assert notice.comment is None and notice.recipients
    assert graph.store.reply_log == []


def test_delete_in_batch_and_twice(graph) -> None:
    event, organized = _invitation(graph), graph.organized_meeting(3)
    requests = [{"id": "a", "method": "DELETE", "url": f"/me/events/{seg(event['id'])}"},
                {"id": "b", "method": "DELETE", "url": f"/me/events/{seg(organized['id'])}"},
                {"id": "c", "method": "DELETE", "url": f"/me/events/{seg(event['id'])}",
                 "dependsOn": ["a"]}]
    response = graph.post("/$batch", json={"requests": requests})
    answers = {item["id"]: item for item in response.json()["responses"]}
    assert answers["a"]["status"] == 204 and "body" not in answers["a"]
    assert answers["b"]["status"] == 204
    assert answers["c"]["status"] == 404  # already gone: nothing is done twice
    assert len(graph.store.reply_log) == 1 and len(graph.store.sent_cancellations) == 1


def test_reply_to_a_read_only_calendar_is_403(graph) -> None:
    shared = graph.store.calendar_ids()["Jonas Berg"]
    copy = graph.store.find_events(lambda e: not e["isOrganizer"], user=seed.JONAS_ID)[0]
    response = graph.post(f"/me/calendars/{seg(shared)}/events/{seg(copy['id'])}/accept")
    assert response.status_code == 403
    assert graph.store.reply_log == []


def test_get_on_a_reply_is_405(graph) -> None:
    event = _invitation(graph)
    response = graph.get(f"/me/events/{seg(event['id'])}/decline")
    assert response.status_code == 405


def test_select_names_the_reply_fields(graph) -> None:
    event = _invitation(graph)
    fields = "allowNewTimeProposals,responseRequested,responseStatus"
    got = graph.get(f"/me/events/{seg(event['id'])}?$select={fields}").json()
    assert {k for k in got if not k.startswith("@")} == {"id", *fields.split(",")}
    assert got["allowNewTimeProposals"] is True and got["responseRequested"] is True
    assert set(got["responseStatus"]) == {"response", "time"}
    listed = graph.get(f"/me/calendarView?{_week()}&$select={fields}").json()["value"]
    assert listed and all(set(fields.split(",")) <= set(item) for item in listed)


def test_an_answered_occurrence_keeps_its_own_attendee_list(graph) -> None:
    # The exception a reply makes must not share its attendees with the series.
    mine, _ = _jonas_series(graph)
    first = _series_items(graph, "/me/calendarView")[0]
    assert graph.post(f"/me/events/{seg(first['id'])}/accept").status_code == 202
    def avery(item: dict[str, Any]) -> str:
        return next(a["status"]["response"] for a in item["attendees"]
                    if a["emailAddress"]["address"] == seed.ME_UPN)
    assert avery(graph.get(f"/me/events/{seg(first['id'])}").json()) == "accepted"
    assert avery(graph.get(f"/me/events/{seg(mine)}").json()) == "none"


# ---- the demo's invitations ------------------------------------------------------------------


def _demo(graph, subject: str) -> dict[str, Any]:
    (found,) = graph.store.find_events(lambda e: e["subject"] == subject)
    return found


def test_demo_has_invitations_in_every_response_state(graph) -> None:
    for state, subject in seed.TRIAGE_INVITES.items():
        event = _demo(graph, subject)
        assert event["responseStatus"]["response"] == state, subject
        assert not event["isOrganizer"] and event["attendees"]
    fixed = _demo(graph, seed.FIXED_TIME_INVITE)
    assert fixed["allowNewTimeProposals"] is False and fixed["responseRequested"] is True
    quiet = _demo(graph, seed.NO_RESPONSE_INVITE)
    assert quiet["responseRequested"] is False and quiet["allowNewTimeProposals"] is True
    appointment = _demo(graph, seed.APPOINTMENT)
    assert appointment["isOrganizer"] and appointment["attendees"] == []


def test_demo_invitations_answer_as_graph_does(graph) -> None:
    fixed = _demo(graph, seed.FIXED_TIME_INVITE)
    response = graph.post(f"/me/events/{seg(fixed['id'])}/tentativelyAccept",
                          json={"proposedNewTime": PROPOSAL})
    assert _error(response)[2] == replies.NO_PROPOSALS
    quiet = _demo(graph, seed.NO_RESPONSE_INVITE)
    response = graph.post(f"/me/events/{seg(quiet['id'])}/accept")
    assert _error(response)[2] == replies.NOT_REQUESTED
    pending = _demo(graph, seed.TRIAGE_INVITES["notResponded"])
    response = graph.post(f"/me/events/{seg(pending['id'])}/decline",
                          json={"comment": "Conflict", "proposedNewTime": PROPOSAL})
    assert response.status_code == 202
    avery = _avery_on_jonas_copy(graph, pending["uid"])
    assert avery["status"]["response"] == "declined" and "proposedNewTime" in avery
    appointment = _demo(graph, seed.APPOINTMENT)
    response = graph.http.delete(graph.url(f"/me/events/{seg(appointment['id'])}"))
    assert response.status_code == 204
    assert graph.store.sent_cancellations == []


def test_bulk_invitations_decline_in_one_batch(graph) -> None:
    from tui.fake.bulk import add_meetings
    from tui.fake.model import Person

    organizer = Person("Priya Raman", "priya.raman@example.test")
    added = add_meetings(graph.store, 20, organizer=organizer, response="notResponded",
                         subject="Invite")
    listed = [graph.store.event_json(i) for i in added]
    assert all(e is not None and e["responseStatus"]["response"] == "notResponded"
               for e in listed)
    requests = [{"id": str(n), "method": "POST", "url": f"/me/events/{seg(i)}/decline",
                 "headers": {"Content-Type": "application/json"},
                 "body": {"comment": "Out that week"}} for n, i in enumerate(added)]
    response = graph.post("/$batch", json={"requests": requests})
    assert {item["status"] for item in response.json()["responses"]} == {202}
    assert all(graph.store.event_json(i) is None for i in added)
    assert len(graph.store.reply_log) == 20
