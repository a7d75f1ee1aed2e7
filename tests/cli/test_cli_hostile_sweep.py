"""Every listing command against odd values in every field of an event and calendar, and
against Graph errors of every odd shape: no traceback, no raw control character, a
documented exit code, bounded output, the other events listed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.conftest import Cal365
from tests.cli.test_cli_hostile import (
    ACTIVE,
    DEMO,
    WINDOW,
    _bounded,
    _check,
    _instant,
    hostile_demo,  # noqa: F401  (the fixture that starts the demo's fake with ACTIVE)
)
from tui.fake import Fault
from tui.graph.policy import RetryPolicy
from tui.script.exits import Exit

HUGE = "x" * 10_000_000
ODD_VALUES: dict[str, Any] = {
    "null": None, "string-true": "true", "list": ["a", 1], "object": {"a": [1, {"b": None}]},
    "huge": HUGE,
}
EVENT_FIELDS = ["subject", "start", "end", "isAllDay", "organizer", "attendees",
                "responseStatus", "location", "onlineMeeting", "bodyPreview", "webLink",
                "showAs", "type", "seriesMasterId", "recurrence", "isCancelled"]
ODD_TIMES = {
    "superscript": {"dateTime": "2026-11-24T09:00:00.²", "timeZone": "UTC"},
    "path-zone": {"dateTime": "2026-11-24T09:00:00", "timeZone": "../../etc/passwd"},
    "windows-zone": {"dateTime": "2026-11-24T09:00:00", "timeZone": "Pacific Standard Time"},
    "huge-zone": {"dateTime": "2026-11-24T09:00:00", "timeZone": HUGE},
    "offset": {"dateTime": "2026-11-24T09:00:00+23:59", "timeZone": "UTC"},
}
RECURRENCES = {
    "absurd": {"pattern": {"type": "daily", "interval": 10**4000, "daysOfWeek": ["x"] * 50_000,
                           "dayOfMonth": -1, "month": 99},
               "range": {"type": "numbered", "numberOfOccurrences": 10**4000,
                         "startDate": HUGE, "endDate": ["x"]}},
}
# `sync` parses as `events` does; its own hostile runs are in test_cli_hostile.
COMMANDS = [("events", *WINDOW), ("events", *WINDOW, "--json")]


def _cases() -> list[tuple[str, dict[str, Any]]]:
    cases = [(f"{field}={name}", {field: value}) for field in EVENT_FIELDS
             for name, value in ODD_VALUES.items()]
    cases += [(f"start={name}", {"start": value}) for name, value in ODD_TIMES.items()]
    cases += [(f"recurrence={name}", {"recurrence": value, "type": "seriesMaster"})
              for name, value in RECURRENCES.items()]
    many = [{"emailAddress": {"name": f"P{i}", "address": f"p{i}@example.test"},
             "type": "required", "status": {"response": "none"}} for i in range(100_000)]
    cases.append(("attendees=100000", {"attendees": many}))
    return cases


CASES = _cases()


@pytest.fixture(autouse=True)
def patient(hostile_demo: None, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """No answer drips here: hostile_demo's one-second deadline (there for the drip) gives
    way to a generous one, as a 10 MB field or 100,000 attendees can take longer than a
    second to arrive on a machine busy with other tests (the suite runs in parallel)."""
    monkeypatch.setattr("tui.script.common.retry_policy", lambda: RetryPolicy(
        sleep=_instant, deadline=30.0, max_retries=1, max_pages=40))


@pytest.mark.parametrize("fields", [c[1] for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_one_odd_field_spoils_only_itself(run_cli: Cal365, fields: dict[str, Any],
                                          command: tuple[str, ...]) -> None:
    ACTIVE.append(Fault("odd_fields", method="GET", path="calendarView", fields=fields,
                        times=None))
    run = _bounded(run_cli, *DEMO, *command)
    _check(run)
    assert run.code == Exit.OK, run.err[:2000]
    if command[0] == "events":
        listed = len(run.json["events"]) if "--json" in command else len(run.rows)
        assert listed > 10
    if "--json" not in command:  # --json hands the data on whole; text shows it cut
        assert len(run.out) + len(run.err) < 5_000_000, "a huge field is shown cut"
