"""The audit log in the app shows its times in the app's zone, never the machine's."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from rich.console import Console

from tests.app.helpers import ZONE, loaded, make_app, wait_for
from tui.actions import audit
from tui.fake import FakeGraph
from tui.graph.urls import ME, EventRef


async def test_the_audit_view_shows_times_in_the_apps_zone(
    fake_graph: FakeGraph, machine_zone: str
) -> None:
    from tui.screens.audit_view import AuditScreen

    assert ZONE == "Europe/Berlin" != machine_zone
    start = dt.datetime(2026, 11, 27, 3, 0, tzinfo=ZoneInfo("America/New_York"))
    audit.append(audit.entry_for(EventRef("E1", ME), subject="Design review", start=start,
                                 comment="Moved", source="cli",
                                 when=dt.datetime(2026, 11, 25, 16, 1, tzinfo=dt.UTC)))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        body = app.screen.query_one("#audit-table")
        await wait_for(pilot, lambda: "Reading" not in str(body.render()))
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(body.content)  # type: ignore[attr-defined]
        text = console.export_text()
        # 16:01 UTC is 17:01 in Berlin (11:01 on this machine); the meeting's start, logged
        # as 03:00 New York time, is 09:00 there. Each time names its zone.
        assert "25 Nov 17:01 CET" in text
        assert "Fri 27 Nov 2026 09:00 CET" in text
        assert "11:01" not in text and "03:00" not in text
