"""The audit view in any terminal: one line per cancel, each naming its meeting; the other
columns shorten, then go (and say so), before the subject does."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.app.helpers import loaded, make_app, wait_for
from tests.app.screen_text import screen_lines
from tui.actions import audit
from tui.fake import FakeGraph
from tui.graph.urls import ME, EventRef, Mailbox

COMMENT = "Sorry — moving this to Friday, details to follow."


def _log_cancels(count: int) -> None:
    for n in range(count):
        mailbox = ME if n % 3 else Mailbox("user", "jonas.berg@fabrikam.onmicrosoft.com")
        audit.append(audit.entry_for(
            EventRef(f"E{n}", mailbox),
            subject=f"Meeting {n:02d}: quarterly roadmap, pricing and packaging with sales",
            start=dt.datetime(2026, 11, 27, 9, n, tzinfo=dt.UTC),
            comment=COMMENT if n % 2 else None,
            source="cli",
            when=dt.datetime(2026, 11, 25, 16, n, tzinfo=dt.UTC),
        ))


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (160, 40), (200, 50)])
async def test_every_line_names_its_meeting(fake_graph: FakeGraph, size: tuple[int, int]) -> None:
    from tui.screens.audit_view import AuditScreen

    _log_cancels(30)
    async with make_app(fake_graph).run_test(size=size) as pilot:
        app = await loaded(pilot)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        await wait_for(pilot, lambda: any("Meeting 29" in line for line in screen_lines(app)))
        lines = screen_lines(app)
        entries = [line for line in lines if "25 Nov 17:" in line]
        # One line per entry, as many as the dialog holds, newest first.
        assert len(entries) >= size[1] // 2 - 3, "\n".join(lines)
        for n, line in zip(range(29, -1, -1), entries, strict=False):
            assert re.search(rf"Meeting {n:02d}: quarterly", line), line
            assert f"17:{n:02d}" in line
        # Nothing spills onto a line of its own: no subject's tail, no stray word.
        assert not any("sales" in line and "Meeting" not in line for line in lines)
        assert not any("Friday" in line and "Meeting" not in line for line in lines)
        text = "\n".join(lines)
        wide = size[0] >= 160
        assert ("hidden:" in text) is not wide
        if size[0] >= 100:
            assert "Sorry — moving" in text  # the comment, shortened if need be
            assert "Fri 27 Nov 2026 10:" in text or "27 Nov 10:" in text
        else:
            assert "hidden: comment, mailbox (see cal365 audit)" in text
            assert "Europe/Berlin times" in text
        if wide:
            assert "users/jonas.ber" in text and "Fri 27 Nov 2026 10:29 CET" in text
        # The keys under the dialog are the dialog's.
        assert "Close" in lines[-1] and "Cancel event" not in lines[-1]


def test_room_the_subject_leaves_brings_a_hidden_comment_back() -> None:
    import io

    from rich.console import Console

    from tui.screens.audit_view import audit_table

    entry = audit.AuditEntry(dt.datetime(2026, 12, 7, 20, 13, tzinfo=dt.UTC), "me", "E",
                             "Budget review", "2026-12-07T09:00:00+00:00", COMMENT,
                             "cancelled", None)
    for width, shown in ((72, "Sorry — moving"), (50, None)):
        console = Console(width=width, record=True, file=io.StringIO())
        console.print(audit_table(audit.AuditLog([entry], 0), dt.UTC))
        lines = console.export_text().splitlines()
        row = next(line for line in lines if "Budget review" in line)
        assert len(row) <= width
        if shown:
            assert shown in row and "hidden: mailbox (see cal365 audit)" in lines[0]
        else:
            assert "Sorry" not in row and "comment" in lines[0]
