"""The app, through the pilot, against one odd value in a field of the first events: the
app keeps running, the other events are listed, and the odd event's details show inert."""

from __future__ import annotations

from typing import Any

import pytest

from tests.app.helpers import loaded, select
from tests.app.test_hostile_graph import RAW, _app
from tui.fake import FakeGraph, Fault

HUGE = "x" * 2_000_000
MANY = [{"emailAddress": {"name": f"P{i}", "address": f"p{i}@example.test"},
         "type": "required", "status": {"response": "none"}} for i in range(20_000)]
CASES: dict[str, dict[str, Any]] = {
    "superscript-time": {"start": {"dateTime": "2026-11-24T09:00:00.²", "timeZone": "UTC"}},
    "path-zone": {"start": {"dateTime": "2026-11-24T09:00:00", "timeZone": "../../etc/passwd"}},
    "huge-subject": {"subject": HUGE, "bodyPreview": HUGE, "showAs": HUGE},
    "objects-for-text": {"subject": {"a": 1}, "location": "Room", "organizer": ["x"],
                         "type": {"t": 1}, "webLink": ["https://outlook.office.com/"]},
    "absurd-recurrence": {"type": "seriesMaster", "recurrence": {
        "pattern": {"type": "weekly", "interval": 10**4000, "daysOfWeek": ["x"] * 5000},
        "range": {"type": "numbered", "numberOfOccurrences": -1, "startDate": HUGE}}},
    "many-attendees": {"attendees": MANY},
}


@pytest.mark.parametrize("fields", list(CASES.values()), ids=list(CASES))
async def test_one_odd_field_spoils_only_its_event(fake_graph: FakeGraph,
                                                   fields: dict[str, Any]) -> None:
    fake_graph.faults.add(Fault("odd_fields", method="GET", path="calendarView",
                                fields=fields, items=1, times=None))
    async with _app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        events = app.main.table.all_events
        assert len(events) > 10
        for event in events[:3]:
            await select(pilot, lambda e, wanted=event: e.id == wanted.id)
            await pilot.pause()
            shown = app.export_screenshot() + app.main.details.text
            for char in RAW:
                assert char not in shown, f"U+{ord(char):04X} shown"
        assert app.is_running
