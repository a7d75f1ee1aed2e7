"""Hostile answers and odd input: a clear error or the right data, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest

from tests.faults.rig import Rig
from tui.fake import Fault
from tui.graph import ME, CalendarRef, GraphError, GraphUnavailable
from tui.problems import describe

START = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


async def test_malformed_json_is_a_clear_error(rig: Rig) -> None:
    rig.fake.faults.add(Fault("malformed", method="GET", path="/calendars$"))
    with pytest.raises(GraphError) as caught:
        await rig.client.calendars()
    assert caught.value.code == "InvalidResponse"
    assert describe(caught.value).startswith("Graph answered 200 InvalidResponse: Graph sent a"
                                             " body that is not JSON")


async def test_an_html_error_page_is_a_clear_error(rig: Rig) -> None:
    rig.fake.faults.add(Fault("html", method="GET"))
    with pytest.raises(GraphError) as caught:
        await rig.client.me()
    assert caught.value.status == 502
    assert "unexpected response (text/html)" in describe(caught.value)


async def test_a_body_truncated_every_time_ends_as_unavailable(rig: Rig) -> None:
    rig.fake.faults.add(Fault("truncate", method="GET", times=None))
    with pytest.raises(GraphUnavailable) as caught:
        await rig.client.me()
    assert "check the network" in describe(caught.value)
    assert rig.requests("GET", "/me") == 1 + rig.client.policy.max_retries


async def test_ten_thousand_character_subjects_arrive_whole(rig: Rig) -> None:
    subject = "Quarterly " + "ü‮\u200b[bold]\x1b[2J" * 2000
    (ref,) = rig.meetings(1, subject=subject, day=START.date())
    pages = [p async for p in rig.client.calendar_view(CalendarRef(ME), START,
                                                       START + dt.timedelta(days=1))]
    (event,) = [e for page in pages for e in page if e.id == ref.event_id]
    assert event.subject == f"{subject} 1" and len(event.subject) > 10_000


async def test_a_hundred_thousand_character_comment_is_sent_exactly(rig: Rig) -> None:
    (ref,) = rig.meetings(1)
    comment = "Line one\n\tand\x07 control\x00 chars " + "ж" * 100_000
    await rig.client.cancel_event(ref, comment)
    (notice,) = [n for n in rig.fake.store.sent_cancellations if n.event_id == ref.event_id]
    assert notice.comment == comment


async def test_a_whitespace_only_comment_sends_the_default_notice(rig: Rig) -> None:
    (ref,) = rig.meetings(1)
    await rig.client.cancel_event(ref, " \n\t ")
    (post,) = [r for r in rig.fake.requests if r.path.endswith("/cancel")]
    assert json.loads(post.body) == {}
    assert rig.fake.store.cancel_log[-1].notice_sent


async def test_a_window_over_1825_days_comes_in_parts_each_event_once(rig: Rig) -> None:
    # A meeting that straddles the boundary between the two parts is in both answers.
    boundary = START + dt.timedelta(days=1825)
    (ref,) = rig.meetings(1, day=boundary.date() - dt.timedelta(days=1))
    with rig.fake.store.lock:
        event = rig.fake.store.lookup_event(ref.event_id)
        assert event is not None
        event.start, event.end = boundary - dt.timedelta(hours=1), boundary + dt.timedelta(hours=1)
    seen = [e.id async for page in rig.client.calendar_view(
        CalendarRef(ME), START, START + dt.timedelta(days=1826)) for e in page]
    assert seen.count(ref.event_id) == 1
    assert rig.requests("GET", "/calendarView") == 2


async def test_a_1825_day_agenda_over_a_clock_change_still_loads(rig: Rig) -> None:
    # 1825 local days from the day after the spring change end before it in the fifth year:
    # an hour more than Graph allows between the two instants.
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    start = dt.datetime(2026, 3, 30, tzinfo=berlin)
    end = dt.datetime(2031, 3, 29, tzinfo=berlin)
    assert end - start == dt.timedelta(days=1825)
    async for _ in rig.client.calendar_view(CalendarRef(ME), start, end):
        pass
    assert rig.requests("GET", "/calendarView") == 2


async def test_graphs_own_window_refusal_reads_clearly(rig: Rig) -> None:
    end = START + dt.timedelta(days=1900)
    url = (f"/me/calendarView?startDateTime={START:%Y-%m-%dT%H:%M:%SZ}"
           f"&endDateTime={end:%Y-%m-%dT%H:%M:%SZ}")
    with pytest.raises(GraphError) as caught:
        await rig.client.page_json(url)
    assert caught.value.code == "ErrorInvalidRequest"
    assert "Maximum number of days: 1825" in describe(caught.value)
