"""URL building: the ten cancel forms, and ids or UPNs that would break a naive path."""

from __future__ import annotations

import pytest

from tui.graph.urls import ME, CalendarRef, EventRef, Mailbox, segment

UPN = "jonas.berg@fabrikam.onmicrosoft.com"
USER = Mailbox("user", UPN)
GROUP = Mailbox("group", "0b6f5c3e-2d2a-4f7e-9a51-3c1b2f0e8d11")
EID = "AAMkAGI2TG93AAA="


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (EventRef(EID, ME), f"/me/events/{EID}/cancel"),
        (EventRef(EID, USER), f"/users/{UPN}/events/{EID}/cancel"),
        (EventRef(EID, GROUP), f"/groups/{GROUP.id}/events/{EID}/cancel"),
        (EventRef(EID, ME, CalendarRef(ME)), f"/me/calendar/events/{EID}/cancel"),
        (EventRef(EID, USER, CalendarRef(USER)), f"/users/{UPN}/calendar/events/{EID}/cancel"),
        (
            EventRef(EID, GROUP, CalendarRef(GROUP)),
            f"/groups/{GROUP.id}/calendar/events/{EID}/cancel",
        ),
        (EventRef(EID, ME, CalendarRef(ME, "CAL1")), f"/me/calendars/CAL1/events/{EID}/cancel"),
        (
            EventRef(EID, USER, CalendarRef(USER, "CAL1")),
            f"/users/{UPN}/calendars/CAL1/events/{EID}/cancel",
        ),
        (
            EventRef(EID, ME, CalendarRef(ME, "CAL1", "GRP1")),
            f"/me/calendarGroups/GRP1/calendars/CAL1/events/{EID}/cancel",
        ),
        (
            EventRef(EID, USER, CalendarRef(USER, "CAL1", "GRP1")),
            f"/users/{UPN}/calendarGroups/GRP1/calendars/CAL1/events/{EID}/cancel",
        ),
    ],
)
def test_ten_cancel_forms(ref: EventRef, expected: str) -> None:
    assert ref.cancel_path == expected


def test_a_user_can_be_named_by_object_id() -> None:
    oid = "5f1c2b8e-9a1d-4c7e-8b3a-2e6d4f0a9c17"
    assert EventRef(EID, Mailbox("user", oid)).cancel_path == f"/users/{oid}/events/{EID}/cancel"


def test_slash_in_id_is_double_encoded_and_the_rest_kept() -> None:
    # Graph decodes once before splitting the path: only %252F reaches the id as "/".
    assert segment("AB/cd+ef_gh-ij==") == "AB%252Fcd+ef_gh-ij=="


def test_guest_upn_and_non_ascii_are_percent_encoded() -> None:
    assert segment("kim_partner.example#EXT#@fabrikam.onmicrosoft.com") == (
        "kim_partner.example%23EXT%23@fabrikam.onmicrosoft.com"
    )
    assert segment("o'brien@fabrikam.com") == "o%27brien@fabrikam.com"
    assert segment("zoë@fabrikam.com") == "zo%C3%AB@fabrikam.com"
    assert segment("a?b c") == "a%3Fb%20c"


def test_url_safe_ids_are_left_untouched() -> None:
    eid = "AAMkADk0_Zjg3-NGU2LTQ5=="
    assert segment(eid) == eid


@pytest.mark.parametrize("bad", ["", None])
def test_empty_ids_are_refused(bad: str | None) -> None:
    with pytest.raises((ValueError, TypeError)):
        segment(bad)  # type: ignore[arg-type]


def test_impossible_forms_are_refused() -> None:
    with pytest.raises(ValueError):
        CalendarRef(GROUP, "CAL1")
    with pytest.raises(ValueError):
        CalendarRef(ME, None, "GRP1")
    with pytest.raises(ValueError):
        EventRef(EID, ME, CalendarRef(USER))
    with pytest.raises(ValueError):
        Mailbox("user", "")


def test_a_calendar_in_a_calendar_group_is_tracked_through_its_calendars_form() -> None:
    from tui.graph.urls import calendar_view_delta_path

    grouped = CalendarRef(Mailbox("user", "avery@contoso.example"), "AAMk/cal=", "AAMk/grp=")
    assert calendar_view_delta_path(grouped) == (
        f"/users/avery@contoso.example/calendars/{segment('AAMk/cal=')}/calendarView/delta")
    assert calendar_view_delta_path(CalendarRef(ME, "c1")) == "/me/calendars/c1/calendarView/delta"
    assert calendar_view_delta_path(CalendarRef(ME)) == "/me/calendar/calendarView/delta"
    assert calendar_view_delta_path(ME) == "/me/calendarView/delta"


def test_query_strings_are_encoded_as_httpx_would_without_importing_it() -> None:
    """urls.py builds query strings with the standard library (httpx loads only once a
    request is near); the result is what httpx.QueryParams makes of the same values."""
    import datetime as dt

    import httpx

    from tui.graph import urls as u
    from tui.graph.models import EVENT_SELECT

    start = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    end = start + dt.timedelta(days=7)
    calendar = CalendarRef(Mailbox("user", "a#EXT#@f.test"), "AAMk/1=")
    view = httpx.QueryParams({"startDateTime": "2026-03-28T23:30:00Z",
                              "endDateTime": "2026-04-04T23:30:00Z", "$select": EVENT_SELECT,
                              "$orderby": "start/dateTime", "$top": "1000"})
    assert u.calendar_view_url(calendar, start, end, select=EVENT_SELECT, top=1000) == (
        f"{calendar.path}/calendarView?{view}")
    delta = httpx.QueryParams({"startDateTime": "2026-03-28T23:30:00Z",
                               "endDateTime": "2026-04-04T23:30:00Z"})
    assert u.calendar_view_delta_url(calendar, start, end) == (
        f"{calendar.path}/calendarView/delta?{delta}")
    member_of = httpx.QueryParams({"$select": "id,displayName,mail,groupTypes", "$top": "999"})
    assert u.member_of_url() == f"/me/memberOf?{member_of}"
    event = EventRef("E 1", calendar.mailbox, calendar)
    assert u.event_url(event, select="id,isCancelled") == (
        f"{event.path}?{httpx.QueryParams({'$select': 'id,isCancelled'})}")
    assert u.calendars_url(ME) == "/me/calendars?$top=100"
    assert u.BATCH_PATH == "/$batch" and u.me_url() == "/me"
