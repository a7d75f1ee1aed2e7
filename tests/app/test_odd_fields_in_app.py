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


async def test_an_unreadable_field_is_named_alike_from_graph_and_from_the_cache(
    fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The status line's word on fields Graph sent unreadable is the same whichever way the
    rows came: listed from Graph, or read back from the cache at the next start."""
    from tests.app.helpers import make_app, wait_for
    from tests.offline.test_offline_app import cached_app, first_run

    # Two far-dated events in each answer: their start and end cannot be read.
    fake_graph.faults.add(Fault("hostile", method="GET", path="calendarView", items=2,
                                times=None))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        streamed = app.main.status.message
    assert " came with fields that could not be read (end, start)" in streamed, streamed
    note = streamed[streamed.index(" 2 events came"):]
    await first_run(fake_graph)  # the odd event goes into the cache through a delta round
    fake_graph.faults.clear()
    # A slow sync, so that the line about the cached rows stays in sight.
    fake_graph.faults.add(Fault("latency", path="delta", seconds=5.0, times=None))
    async with cached_app(fake_graph).run_test(size=(120, 40)) as pilot:
        main = pilot.app.main  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: "from the cache" in main.status.message)
        assert main.status.message.endswith(note), (main.status.message, note)
