"""Every server string in the details pane is inert, the odd ones included: an attendee's
type or response Graph did not document, a recurrence pattern cal365 does not know."""

from __future__ import annotations

from tests.app.helpers import loaded, make_app, select, wait_for
from tests.unsafe import raw_controls
from tui.fake import FakeGraph, Fault

EVIL = "\x1b]52;c;eA==\x07\x9b2J\u202e"


async def test_odd_attendee_and_recurrence_words_are_shown_inert(fake_graph: FakeGraph) -> None:
    attendees = [{"type": f"chair{EVIL}", "status": {"response": f"maybe{EVIL}"},
                  "emailAddress": {"name": f"Ann{EVIL}", "address": "ann@example.test"}}]
    recurrence = {"pattern": {"type": f"lunar{EVIL}", "interval": 1, "daysOfWeek": [],
                              "index": f"fifth{EVIL}"},
                  "range": {"type": "noEnd", "startDate": f"2026-01-01{EVIL}"}}
    fake_graph.faults.add(Fault("odd_fields", method="GET", path="calendarView", times=None,
                                items=10_000, fields={"attendees": attendees,
                                                      "recurrence": recurrence}))
    async with make_app(fake_graph).run_test(size=(160, 50)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: bool(e.attendees))
        details = app.main.details
        await wait_for(pilot, lambda: "chair" in details.text)
        text = details.text
        assert "chair" in text and "maybe" in text and "Ann" in text
        assert raw_controls(text, "\n") == []
