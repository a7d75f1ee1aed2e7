"""A tenant, mailbox or directory that refuses: one clear, specific status line, and the app
stays usable (the next refresh loads once the refusal is lifted)."""

from __future__ import annotations

import pytest

from tests.app.helpers import loaded, make_app, wait_for
from tui.fake import FakeGraph, Fault
from tui.fake.seed import ME_UPN
from tui.screens.prompt import PromptScreen

REFUSALS = [
    (404, "MailboxNotEnabledForRESTAPI",
     "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
     "this mailbox cannot be reached through Microsoft Graph"),
    (403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.",
     "access denied: you have no permission for this mailbox or calendar"),
    (404, "ErrorInvalidUser", f"The requested user '{ME_UPN}' is invalid.",
     "no such user in this tenant"),
    (401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.",
     "the sign-in is no longer accepted"),
    (403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.",
     "the directory refused this request"),
]


@pytest.mark.parametrize(("status", "code", "message", "line"), REFUSALS,
                         ids=[r[1] for r in REFUSALS])
async def test_a_refusal_reads_clearly_and_the_app_recovers(
    fake_graph: FakeGraph, status: int, code: str, message: str, line: str
) -> None:
    fake_graph.faults.add(Fault("refuse", method="GET", path="/calendarView$", times=None,
                                status=status, code=code, message=message))
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        main = app.main  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: main.status.kind == "error")
        text = main.status.message
        assert text.startswith("Loading events failed: " + line), text
        assert f"{status} {code}" in text and "request-id" in text
        assert "Traceback" not in text and "unexpected" not in text
        fake_graph.faults.clear()
        await pilot.press("r")
        await loaded(pilot)
        assert main.table.all_events


async def test_a_colleague_who_shares_nothing_says_access_denied(fake_graph: FakeGraph) -> None:
    store = fake_graph.store
    stranger = next(u for u in store.users.values() if u.id not in store.mailboxes)
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*stranger.upn, "enter")
        await wait_for(pilot, lambda: app.main.status.kind == "error")
        assert app.main.status.message.startswith(
            "Opening the mailbox failed: access denied: you have no permission"), (
            app.main.status.message)
        # Still usable: the own calendar reloads.
        await pilot.press("r")
        await loaded(pilot)
