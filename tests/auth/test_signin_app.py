"""Signing in from inside the app: at start, and mid-session on top of a half-typed comment."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import TextArea

from tests.app.helpers import ZONE, cancel_posts, loaded, select, wait_for
from tests.auth.conftest import settings_for
from tests.auth.fake_idp import FakeIdP
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.auth.cache import KeyringStore
from tui.auth.provider import MsalProvider
from tui.fake import FakeGraph
from tui.graph import GraphClient
from tui.screens.cancel import CancelScreen
from tui.screens.signin import SignInScreen

FIRST = "eyJ0eXAiOiJKV1QifQ.first-access-token.c2lnbmF0dXJl"
SECOND = "eyJ0eXAiOiJKV1QifQ.second-access-token.c2lnbmF0dXJl"


def make_app(fake: FakeGraph, provider: MsalProvider) -> Cal365App:
    client = GraphClient(fake.base_url, provider, timezone=ZONE)
    return Cal365App(client, today=DEMO_TODAY, timezone=ZONE, sign_in=provider)


def screen_text(app: Cal365App) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))


async def test_the_app_asks_to_sign_in_then_loads(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    idp.access_tokens = [FIRST]
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    with FakeGraph(today=DEMO_TODAY, token=FIRST) as fake:
        async with make_app(fake, provider).run_test(size=(120, 40)) as pilot:
            app = pilot.app
            assert isinstance(app, Cal365App)
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            screen = app.screen
            assert isinstance(screen, SignInScreen) and screen.flow is not None
            text = screen_text(app)
            assert "https://microsoft.com/devicelogin" in text
            assert screen.flow.code.user_code in text
            assert "expires in" in text
            assert "DAQAB" not in text  # the device code is never shown
            await pilot.press("y")
            assert app.clipboard == screen.flow.code.user_code
            await loaded(pilot)
            assert not isinstance(app.screen, SignInScreen)
    assert memory_keyring  # the key went to the keyring


async def test_esc_cancels_sign_in_and_the_screen_says_so(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    idp.pending_polls = 10_000
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    with FakeGraph(today=DEMO_TODAY, token=FIRST) as fake:
        async with make_app(fake, provider).run_test(size=(120, 40)) as pilot:
            app = pilot.app
            assert isinstance(app, Cal365App)
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.main.status.kind == "error")
            assert "sign-in was cancelled" in app.main.status.message
            assert fake.requests == []  # nothing went to Graph without a token


async def test_a_rejected_refresh_mid_session_keeps_the_typed_comment(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    idp.access_tokens = [FIRST, SECOND]
    idp.pending_polls = 0
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    provider.start_device_flow().wait()  # signed in before the app starts
    with FakeGraph(today=DEMO_TODAY, token=FIRST) as fake:
        async with make_app(fake, provider).run_test(size=(120, 40)) as pilot:
            app = await loaded(pilot)
            event = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled
                                 and len(e.attendees) > 0)
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
            await pilot.press(*"Moved to next week")
            # The token is revoked and the refresh token no longer accepted.
            fake.service.token = SECOND
            idp.reject_refresh = True
            app.main.action_refresh()  # a background reload hits the 401
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen))
            await wait_for(pilot, lambda: not isinstance(app.screen, SignInScreen))
            assert isinstance(app.screen, CancelScreen)
            assert app.screen.query_one(TextArea).text == "Moved to next week"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.main.status.kind == "success")
            posts = cancel_posts(fake)
            assert len(posts) == 1
            assert json.loads(posts[0].body) == {"Comment": "Moved to next week"}
            assert event.id not in [e.id for e in app.main.table.all_events]
