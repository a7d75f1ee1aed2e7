"""The fake's Windows zones, written apart from the client's, agree with them; and a
mailbox in a zone the client's old table lacked works from end to end."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fake.conftest import Graph
from tui.fake import FakeGraph, seed
from tui.fake.timezones import WINDOWS, resolve
from tui.graph import ME, CalendarRef, GraphClient
from tui.graph.timezones import zone

# Every Monday 03:00 UTC from 2020 to 2030, and 12 hours later: both sides of every DST
# change of a decade, at two times of day.
INSTANTS = [dt.datetime(2020, 1, 6, 3, tzinfo=dt.UTC) + dt.timedelta(days=7 * week, hours=h)
            for week in range(11 * 52) for h in (0, 12)]


@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_the_fake_and_the_client_agree_on_each_zone_the_fake_serves(name: str) -> None:
    client, fake = zone(name), resolve(name)
    assert client is not None and fake is not None, name
    differ = [moment for moment in INSTANTS
              if moment.astimezone(client).utcoffset() != moment.astimezone(fake).utcoffset()]
    assert differ == [], (name, differ[:3])


def test_the_fake_reads_windows_names_in_any_case_and_ignores_unknown_ones() -> None:
    assert resolve("sri lanka standard time") == resolve("Sri Lanka Standard Time")
    assert resolve("Nowhere Standard Time") is None
    assert resolve("UTC") is dt.UTC


@pytest.mark.parametrize(("name", "wall"), [("Sri Lanka Standard Time", "14:30"),
                                            ("Iran Standard Time", "12:30")])
def test_the_fake_serves_a_mailbox_in_such_a_zone(graph: Graph, name: str, wall: str) -> None:
    day = "startDateTime=2026-11-23T00:00:00Z&endDateTime=2026-11-24T00:00:00Z"
    response = graph.get(f"/me/calendarView?{day}&$top=100",
                         headers={"Prefer": f'outlook.timezone="{name}"'})
    assert response.headers["preference-applied"] == f'outlook.timezone="{name}"'
    budget = next(e for e in response.json()["value"] if e["subject"] == seed.ORGANIZED_TODAY)
    # 10:00 in Berlin is 09:00 UTC.
    assert budget["start"] == {"dateTime": f"2026-11-23T{wall}:00.0000000", "timeZone": name}


@pytest.mark.parametrize(("name", "iana"), [("Sri Lanka Standard Time", "Asia/Colombo"),
                                            ("Iran Standard Time", "Asia/Tehran")])
async def test_the_client_in_such_a_zone_reads_the_fake_right(
        fake_graph: FakeGraph, name: str, iana: str) -> None:
    start = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    async with GraphClient(fake_graph.base_url, fake_graph.token, timezone=name) as client:
        events = [event async for page in client.calendar_view(
            CalendarRef(ME), start, start + dt.timedelta(days=1)) for event in page]
    budget = next(e for e in events if e.subject == seed.ORGANIZED_TODAY)
    assert budget.start is not None
    assert budget.start.astimezone(dt.UTC) == dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
    assert str(budget.start.tzinfo) == iana
