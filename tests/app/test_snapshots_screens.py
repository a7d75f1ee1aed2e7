"""Snapshots of every screen and dialog a user meets, at 120x40 and at 80x24 (a common SSH
terminal): the main screen, a refusal in its status line, help, the command palette, the
cancel and bulk cancel dialogs, the bulk results, the audit log, the Outlook link, both
questions (date, mailbox), sign-in, and the sealed frame a warm start paints first.

Each is made deterministic: the fake Graph seeded for a fixed day, a fixed zone, every
background load finished before the picture; the audit log's lines and the sign-in code and
clock are fixed too. Regenerate with `--snapshot-update` and look at the SVGs
(tests/app/__snapshots__/test_snapshots_screens/) before committing them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import webbrowser
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from tests.app.helpers import (
    ZONE,
    cancellable,
    details_caught_up,
    make_app,
    open_cancel_dialog,
    refuse_cancels,
    select,
    settled,
    wait_for,
)
from tests.conftest import DEMO_TODAY
from tui.actions import audit
from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.graph import GraphClient
from tui.graph.errors import OrganizerRequired
from tui.graph.urls import ME, EventRef, Mailbox
from tui.startup.frame import FrameScreen
from tui.startup.sealed_frame import decode, encode
from tui.startup.textual_private import frame_lines

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
Steps = Callable[[Pilot[None]], Awaitable[None]]


async def _main(pilot: Pilot[None]) -> None:
    await settled(pilot)
    await pilot.press("j", "j")


async def _help(pilot: Pilot[None]) -> None:
    from tui.screens.help import HelpScreen

    await settled(pilot)
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))


async def _cancel(pilot: Pilot[None]) -> None:
    await settled(pilot)
    await open_cancel_dialog(pilot)
    await pilot.press(*"Moving this to Friday.")


async def _cancel_occurrence(pilot: Pilot[None]) -> None:
    """One occurrence of a series: the dialog says which, and offers the whole series."""
    await settled(pilot)
    await open_cancel_dialog(pilot, lambda e: cancellable(e) and e.series_master_id is not None)


async def _marked(pilot: Pilot[None]) -> Cal365App:
    """Two meetings the user organizes and one they do not, marked."""
    app = await settled(pilot)
    first = await select(pilot, cancellable)
    await pilot.press("space")
    await select(pilot, lambda e: cancellable(e) and e.id != first.id)
    await pilot.press("space")
    await select(pilot, lambda e: not e.is_organizer and not e.is_cancelled)
    await pilot.press("space")
    return app


async def _bulk(pilot: Pilot[None]) -> None:
    from tui.screens.bulk import BulkCancelScreen

    app = await _marked(pilot)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
    await pilot.press(*"Reorganisation: these move to January.")


async def _bulk_results(pilot: Pilot[None]) -> None:
    from tui.screens.bulk import BulkResultsScreen

    await _bulk(pilot)
    app = pilot.app
    await pilot.press("ctrl+t", "ctrl+t", "ctrl+s")  # both: cancel two, decline the other
    await wait_for(pilot, lambda: isinstance(app.screen, BulkResultsScreen))
    await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))
    await pilot.pause()


async def _audit(pilot: Pilot[None]) -> None:
    from tui.screens.audit_view import AuditScreen

    await settled(pilot)
    await pilot.press("L")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AuditScreen))
    await pilot.pause()


async def _link(pilot: Pilot[None]) -> None:
    from tui.screens.link import LinkScreen

    await settled(pilot)
    await select(pilot, lambda e: bool(e.web_link))
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LinkScreen))
    await pilot.pause()


async def _goto(pilot: Pilot[None]) -> None:
    from tui.screens.prompt import PromptScreen

    await settled(pilot)
    await pilot.press("g")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PromptScreen))
    await pilot.press(*"friday")


async def _goto_refused(pilot: Pilot[None]) -> None:
    """A date the question cannot take: it says why and stays open."""
    await _goto(pilot)
    await pilot.press(*"ish", "enter")
    await pilot.pause()


async def _mailbox(pilot: Pilot[None]) -> None:
    from tui.screens.prompt import PromptScreen

    await settled(pilot)
    await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PromptScreen))
    await pilot.press(*"jonas.berg@fabrikam.onmicrosoft.com")


async def _refusal(pilot: Pilot[None]) -> None:
    """A cancel Graph refuses (as it does one from a non-organizer; `test_screen` has the
    fake refuse it): the status line says why."""
    from tui.screens.cancel import CancelScreen

    app = pilot.app
    assert isinstance(app, Cal365App)
    await open_cancel_dialog(pilot)
    await pilot.press(*"Skip?", "ctrl+s")
    await wait_for(pilot, lambda: not isinstance(app.screen, CancelScreen)
                   and app.main.status.kind == "error")
    await pilot.pause()


async def _reply(pilot: Pilot[None]) -> None:
    """The decline dialog of an invitation, a comment and a new time typed."""
    from tui.screens.reply import ReplyScreen

    await settled(pilot)
    await select(pilot, lambda e: not e.is_organizer and not e.is_cancelled
                 and e.allow_new_time_proposals and e.response_requested)
    await pilot.press("D")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReplyScreen))
    await pilot.press(*"Clashes with a customer call.", "shift+tab", *"17:00-18:00")


async def _bulk_reply(pilot: Pilot[None]) -> None:
    """Three marked (two invitations, one the user organizes) and D: one dialog for all."""
    from tui.screens.bulk_reply import BulkReplyScreen

    app = await _marked(pilot)
    await select(pilot, lambda e: not e.is_organizer and not e.is_cancelled
                 and e.id not in app.main.marked)
    await pilot.press("space", "D")
    await wait_for(pilot, lambda: isinstance(app.screen, BulkReplyScreen))
    await pilot.press(*"Travelling that week.")


async def _palette(pilot: Pilot[None]) -> None:
    from textual.command import CommandPalette

    await settled(pilot)
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*"week")
    await wait_for(pilot, lambda: all(w.is_finished for w in pilot.app.workers))
    await pilot.pause()


SCREENS: dict[str, Steps] = {
    "main": _main,
    "help": _help,
    "cancel": _cancel,
    "cancel-occurrence": _cancel_occurrence,
    "bulk": _bulk,
    "bulk-results": _bulk_results,
    "audit": _audit,
    "link": _link,
    "goto": _goto,
    "goto-refused": _goto_refused,
    "mailbox": _mailbox,
    "refusal": _refusal,
    "palette": _palette,
    "reply": _reply,
    "bulk-reply": _bulk_reply,
}


@pytest.fixture
def fixed_audit_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Five cancels in the audit log, at fixed times, one of them in a colleague's mailbox
    and one refused. The audit view names the log's path: a relative CAL365_HOME in this
    test's own folder keeps that path the same on every run."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CAL365_HOME", "home")
    for n in range(5):
        mailbox = ME if n != 3 else Mailbox("user", "jonas.berg@fabrikam.onmicrosoft.com")
        audit.append(audit.entry_for(
            EventRef(f"AAMkADdemo{n}", mailbox),
            subject=f"Project review {n + 1}: roadmap and staffing",
            start=dt.datetime(2026, 11, 27, 9 + n, 0, tzinfo=dt.UTC),
            comment="Moving this to Friday." if n % 2 else None,
            source="tui" if n % 2 else "cli",
            error=OrganizerRequired(400, "ErrorAccessDenied", "Only the organizer can cancel.",
                                    request_id=f"5e0c2b1a-0000-4000-8000-00000000000{n}")
            if n == 2 else None,
            request_id=f"5e0c2b1a-0000-4000-8000-00000000000{n}",
            when=dt.datetime(2026, 11, 23, 15, 10 + n, tzinfo=dt.UTC),
        ))


@pytest.fixture
def no_local_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over SSH: cal365 shows the link instead of opening a browser."""
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 51000 10.0.0.1 22")
    monkeypatch.setattr(webbrowser, "_tryorder", [])
    monkeypatch.setattr(webbrowser, "_browsers", {})


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.usefixtures("fixed_audit_log", "no_local_browser")
def test_screen(snap_compare: Callable[..., Any], fake_graph: FakeGraph, screen: str,
                size: tuple[int, int]) -> None:
    scene = SCREENS[screen]
    if screen == "refusal":
        refuse_cancels(fake_graph)

    async def then_details(pilot: Pilot[None]) -> None:
        await scene(pilot)
        await wait_for(pilot, lambda: details_caught_up(pilot.app))  # type: ignore[arg-type]

    assert snap_compare(make_app(fake_graph), terminal_size=size, run_before=then_details)


# -- sign-in ---------------------------------------------------------------------------------

FROZEN = 1_795_000_000.0  # a fixed wall clock: the code's countdown always reads 15:00


@pytest.fixture
def idp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from tests.auth.fake_idp import running

    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    yield from running(tmp_path, user_code="WDJB-MJHT", pending_polls=10_000)


def _sign_in_app(idp: Any, fake: FakeGraph) -> Cal365App:
    from tests.auth.conftest import settings_for
    from tui.auth.cache import KeyringStore
    from tui.auth.provider import MsalProvider

    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    client = GraphClient(fake.base_url, provider, timezone=ZONE)
    return Cal365App(client, today=DEMO_TODAY, timezone=ZONE, sign_in=provider)


async def _signing_in(pilot: Pilot[None]) -> None:
    from tui.screens.signin import SignInScreen

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                   and app.screen.state in ("waiting", "keyring"))
    await pilot.pause(0.1)
    screen = app.screen
    assert isinstance(screen, SignInScreen)
    leave = app.exit

    def exit(*args: Any, **kwargs: Any) -> None:
        # After the picture, stop the device flow as Esc would: its thread polls the fake
        # identity provider until the code expires, and the app's exit waits for it.
        if screen.flow is not None:
            screen.flow.cancel()
        leave(*args, **kwargs)

    app.exit = exit  # type: ignore[method-assign]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("memory_keyring")
def test_sign_in(snap_compare: Callable[..., Any], idp: Any, size: tuple[int, int],
                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: FROZEN)
    with FakeGraph(today=DEMO_TODAY) as fake:
        assert snap_compare(_sign_in_app(idp, fake), terminal_size=size, run_before=_signing_in)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("no_keyring")
def test_sign_in_without_a_keyring(snap_compare: Callable[..., Any], idp: Any,
                                   size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """No usable keyring, over SSH with no D-Bus session (the usual case): the screen says
    why and offers the two explicit choices."""
    # The same picture inside run_with_keyring.sh's D-Bus session as outside it.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    with FakeGraph(today=DEMO_TODAY) as fake:
        assert snap_compare(_sign_in_app(idp, fake), terminal_size=size, run_before=_signing_in)


# -- the sealed frame ------------------------------------------------------------------------


class _FrameHost(App[None]):
    """Paints a sealed frame as a warm start does (tui/startup/frame.py), with no main screen
    behind it to hand over to."""

    TITLE = "cal365"

    def __init__(self, frame: bytes) -> None:
        super().__init__()
        self._frame = frame

    def on_mount(self) -> None:
        self.push_screen(FrameScreen(decode(self._frame, self.size), then=lambda: None))


def _sealed_main(fake: FakeGraph, size: tuple[int, int]) -> bytes:
    """The main screen as the `main` snapshot shows it, sealed as a quit seals it (the
    frame of a real quit has the sync's time in its title: no fixed picture)."""

    async def seal() -> bytes:
        app = make_app(fake)
        async with app.run_test(size=size) as pilot:
            await _main(pilot)
            await wait_for(pilot, lambda: details_caught_up(app))
            return encode(frame_lines(app.screen), app.screen.size)

    return asyncio.run(seal())


@pytest.mark.parametrize("size", SIZES)
def test_sealed_frame(snap_compare: Callable[..., Any], fake_graph: FakeGraph,
                      size: tuple[int, int]) -> None:
    """The frame a warm start paints first: the main screen to the cell, colours included."""
    assert snap_compare(_FrameHost(_sealed_main(fake_graph, size)), terminal_size=size)
