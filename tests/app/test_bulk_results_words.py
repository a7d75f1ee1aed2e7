"""The bulk results screen words each outcome through the one classifier
(tui.actions.outcome): its title counts in the audit log's words for the same outcomes, and
each row says what the status line says of a cancel sent alone."""

from __future__ import annotations

from tests.actions.events import event
from tests.app.helpers import loaded, make_app, wait_for
from tests.app.screen_text import screen_lines
from tui.actions import audit
from tui.fake import FakeGraph
from tui.graph import Event
from tui.graph.batch import BatchItemOutcome, BatchStatus
from tui.screens.bulk import BulkResultsScreen

# subject → (batch status, HTTP status, reason): one of each kind the classifier tells apart.
ANSWERS: dict[str, tuple[BatchStatus, int | None, str]] = {
    "Budget review": ("done", 202, ""),
    "Vendor call": ("refused", 400, "ErrorInvalidRequest: You need to be an organizer"),
    "Offsite planning": ("not_found", 404, "ErrorItemNotFound: The item was not found"),
    "Team lunch": ("failed", 401, "InvalidAuthenticationToken: token expired"),
    "Board prep": ("failed", 503, "serviceNotAvailable: try later"),
    "Hiring panel": ("failed", None, "still throttled after 4 tries"),
    "Quarterly sync": ("unknown", None, "the connection dropped after sending"),
}

ROWS = {
    "Budget review": "→ cancelled",
    "Vendor call": "→ not cancelled: not the organizer",
    "Offsite planning": "→ not cancelled: no longer on the server (cancelled or deleted "
                        "elsewhere): ErrorItemNotFound: The item was not found",
    "Team lunch": "→ not cancelled: the sign-in was refused (sign in again): "
                  "InvalidAuthenticationToken: token expired",
    "Board prep": "→ not cancelled: Graph refused it: serviceNotAvailable: try later",
    "Hiring panel": "→ not cancelled: nothing reached the attendees: still throttled after "
                    "4 tries",
    "Quarterly sync": "→ outcome unknown: it may have gone through (check before sending "
                      "again): the connection dropped after sending",
}


def _outcomes() -> list[tuple[Event, BatchItemOutcome]]:
    pairs: list[tuple[Event, BatchItemOutcome]] = []
    for n, (subject, (status, http, reason)) in enumerate(ANSWERS.items()):
        meeting = event(f"ev{n}", subject=subject)
        pairs.append((meeting, BatchItemOutcome(meeting.ref, status, reason,
                                                http_status=http)))
    return pairs


async def test_each_row_and_the_title_word_the_classifiers_outcome(
        fake_graph: FakeGraph) -> None:
    outcomes = _outcomes()
    retried: list[bool | None] = []
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        app.push_screen(BulkResultsScreen(outcomes, 1), retried.append)
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen))
        await pilot.pause()
        rows = [str(w.render()) for w in app.screen.query(".bulk-row")]
        assert len(rows) == len(ROWS)
        for row, (subject, words) in zip(rows, ROWS.items(), strict=True):
            assert subject in row and row.endswith(words), (subject, row)
        # The title counts as the audit log records the same answers.
        logged = [audit.entry_for_batch(o, subject=e.subject, start=None,
                                        comment=None, source="tui").outcome
                  for e, o in outcomes]
        assert logged == ["cancelled", "not-organizer", "not-found", "auth-needed", "failed",
                          "failed", "unconfirmed"]
        title = ("Bulk cancel: 1 cancelled, 1 not-organizer, 1 not-found, 1 auth-needed, "
                 "2 failed, 1 unconfirmed")
        assert any(title in line for line in screen_lines(app)), screen_lines(app)
        # r sends again the ones nothing happened to, and the one that may have gone.
        assert any("r retries the failed ones" in line for line in screen_lines(app))
        await pilot.press("r")
        await wait_for(pilot, lambda: retried == [True])


async def test_only_answers_that_need_no_second_send_offer_no_retry(
        fake_graph: FakeGraph) -> None:
    outcomes = [pair for pair in _outcomes()
                if pair[1].status in ("done", "refused", "not_found")]
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        app.push_screen(BulkResultsScreen(outcomes, 1))
        await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen))
        await pilot.pause()
        lines = screen_lines(app)
        assert any("Bulk cancel: 1 cancelled, 1 not-organizer, 1 not-found" in line
                   for line in lines), lines
        assert any("3 meetings in 1 batch request. Esc closes" in line for line in lines), lines
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, BulkResultsScreen)
