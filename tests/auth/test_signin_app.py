"""Signing in from inside the app: at start, and mid-session on top of a half-typed comment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.app.helpers import ZONE, cancel_posts, loaded, select, syncing, toasts, wait_for
from tests.auth.conftest import settings_for
from tests.auth.fake_idp import FakeIdP
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.auth.cache import KeyringStore
from tui.auth.provider import MsalProvider, SignInNeeded
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
    idp.pending_polls = 10_000  # until the test approves
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
            idp.approve()  # the user finishes in the browser
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
        app = make_app(fake, provider)
        asked: list[str] = []
        ask = provider.on_sign_in_needed
        assert ask is not None

        answered: list[bool] = []

        async def counting(need: SignInNeeded) -> bool:
            asked.append(need.reason)
            answered.append(await ask(need))
            return answered[-1]

        provider.on_sign_in_needed = counting
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            event = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled
                                 and len(e.attendees) > 0)
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
            await pilot.press(*"Moved to next week")
            # The token is revoked and the refresh token no longer accepted.
            fake.service.token = SECOND
            idp.reject_refresh = True
            app.main.action_refresh()  # a background reload hits the 401
            await wait_for(pilot, lambda: answered and isinstance(app.screen, CancelScreen))
            assert answered == [True]
            assert "AADSTS700082" in asked[0]
            assert app.screen.query_one(TextArea).text == "Moved to next week"
            # The reload carries on with the new token. Let it finish first: a page fetched
            # before the cancel would otherwise bring the event back (a MainScreen race that
            # has nothing to do with signing in).
            await wait_for(pilot, lambda: app.main.status.kind == "info")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: event.id not in app.main.sending
                           and cancel_posts(fake))
            posts = cancel_posts(fake)
            assert len(posts) == 1 and posts[0].status == 202
            assert json.loads(posts[0].body) == {"Comment": "Moved to next week"}
            await wait_for(pilot, lambda: event.id not in
                           [e.id for e in app.main.table.all_events])
            assert asked == asked[:1]  # one sign-in, however many requests needed it


async def test_app_only_opens_the_named_mailbox_and_never_asks_for_me(
    idp: FakeIdP, home: Path
) -> None:
    from tests.auth.fake_idp import TENANT_ID
    from tui.auth.cache import MemoryStore
    from tui.fake.seed import ME_UPN
    from tui.graph import Mailbox

    idp.access_tokens = [FIRST]
    settings = settings_for(idp, tenant=TENANT_ID, client_secret=idp.client_secret,
                            mailbox=ME_UPN)
    provider = MsalProvider(settings, MemoryStore())
    with FakeGraph(today=DEMO_TODAY, token=FIRST) as fake:
        client = GraphClient(fake.base_url, provider, timezone=ZONE)
        app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE, sign_in=provider,
                        mailbox=Mailbox("user", ME_UPN))
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            assert ME_UPN in app.main.user_label
            paths = [r.path for r in fake.requests]
            assert paths and all(p.startswith("/v1.0/users/") for p in paths), paths
    assert len(idp.grants("client_credentials")) == 1


async def test_no_keyring_in_the_app_offers_the_two_choices(
    idp: FakeIdP, home: Path
) -> None:
    import keyring
    from keyring.backends import fail

    from tui.auth.cache import MemoryStore

    idp.access_tokens = [FIRST]
    idp.pending_polls = 0
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with FakeGraph(today=DEMO_TODAY, token=FIRST) as fake:
            async with make_app(fake, provider).run_test(size=(120, 40)) as pilot:
                app = pilot.app
                assert isinstance(app, Cal365App)
                await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                               and app.screen.state == "keyring")
                screen = app.screen
                assert isinstance(screen, SignInScreen)
                text = screen_text(app)
                assert "the OS keyring is not usable" in text
                assert "s  session only" in text and "p  plaintext file" in text
                assert screen.flow is None  # nothing happens until the user chooses
                await pilot.press("s")
                await loaded(pilot)
        assert isinstance(provider.store, MemoryStore)
        # Session-only wrote no tokens (an empty lock file may exist from the first look).
        assert [p for p in home.rglob("token-cache.*") if p.stat().st_size] == []
    finally:
        keyring.set_keyring(previous)


async def test_a_failed_sign_in_can_be_retried_and_no_browser_is_offered_over_ssh(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    monkeypatch.setenv("DISPLAY", ":0")  # X forwarding: still not a local browser
    idp.access_tokens = [FIRST]
    idp.pending_polls = 0
    idp.device_outcome = "declined"
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    with FakeGraph(today=DEMO_TODAY, token=FIRST) as fake:
        async with make_app(fake, provider).run_test(size=(120, 40)) as pilot:
            app = pilot.app
            assert isinstance(app, Cal365App)
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "failed")
            screen = app.screen
            assert isinstance(screen, SignInScreen)
            assert "authorization_declined" in screen_text(app)
            assert not screen.gui and screen.check_action("browser", ()) is False
            assert screen.check_action("retry", ()) is True
            idp.device_outcome = "success"
            await pilot.press("enter")
            await loaded(pilot)
            assert len(idp.grants("device_code")) == 2


async def test_no_keyring_and_p_keeps_tokens_in_a_private_plaintext_file_with_a_warning(
    idp: FakeIdP, home: Path
) -> None:
    import stat

    import keyring
    from keyring.backends import fail

    from tui.auth.cache import PlaintextStore

    idp.access_tokens = [FIRST]
    idp.pending_polls = 0
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with FakeGraph(today=DEMO_TODAY, token=FIRST) as fake:
            app = make_app(fake, provider)
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                app = pilot.app
                assert isinstance(app, Cal365App)
                await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                               and app.screen.state == "keyring")
                await pilot.press("p")
                await loaded(pilot)
                await wait_for(pilot, lambda: any("unencrypted" in n.lower()
                                                  for n in toasts(app)))
        assert isinstance(provider.store, PlaintextStore)
        path = provider.store.path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert FIRST in path.read_text()  # the user chose plaintext, knowingly
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("refusal", ["invalid_grant", "interaction_required"])
async def test_a_refused_refresh_at_a_warm_start_reopens_the_sign_in(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str], refusal: str
) -> None:
    """The cached screen stays; the sign-in screen opens over it; after it, the sync runs."""
    import dataclasses

    from tui.cache import Owner
    from tui.wiring import opener

    idp.pending_polls = 0
    idp.refusal = refusal
    settings = settings_for(idp)
    cached = dataclasses.replace(settings, cache="plaintext")

    def app_for(fake: FakeGraph) -> Cal365App:
        provider = MsalProvider(settings, KeyringStore(settings.profile))

        def owner() -> Owner | None:
            identity = provider.identity()
            return Owner.of(identity) if identity is not None else None

        return Cal365App(GraphClient(fake.base_url, provider, timezone=ZONE),
                         today=DEMO_TODAY, timezone=ZONE, sign_in=provider,
                         cache=opener(cached, owner))

    MsalProvider(settings, KeyringStore(settings.profile)).start_device_flow().wait()
    with FakeGraph(today=DEMO_TODAY) as fake:
        # Graph takes the newest token only, as after a revocation.
        fake.service.token = idp.access_issued[-1]
        idp.on_access_token = lambda token, _: setattr(fake.service, "token", token)
        async with app_for(fake).run_test(size=(120, 40)) as pilot:
            app = await loaded(pilot)
            await wait_for(pilot, lambda: not syncing(app))
            shown = [e.id for e in app.main.table.all_events]
        idp.revoke()  # the password changed: every refresh token is refused
        fake.service.token = "eyJ0eXAiOiJKV1QifQ.revoked.c2ln"  # and the access token too
        idp.pending_polls = 10_000
        app = app_for(fake)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            assert "no longer accepted" in screen_text(app)
            assert [e.id for e in app.main.table.all_events] == shown  # kept on screen
            idp.approve()
            await wait_for(pilot, lambda: not isinstance(app.screen, SignInScreen)
                           and app.main.status.kind == "info" and not syncing(app))
            assert "Could not load" not in app.main.status.message
            assert [e.id for e in app.main.table.all_events] == shown


def test_cal365_after_login_reopens_the_sign_in_when_the_refresh_is_refused(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole start-up path of `cal365` (settings, token store, cache), twice."""
    import asyncio

    from tui import cli

    for name in ("CAL365_ACCESS_TOKEN", "CAL365_PROFILE", "CAL365_TOKEN_STORAGE",
                 "CAL365_CLIENT_SECRET", "CAL365_CLIENT_CERTIFICATE", "CAL365_MAILBOX",
                 "CAL365_CLOUD", "CAL365_TENANT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAL365_CLIENT_ID", idp.client_id)
    monkeypatch.setenv("CAL365_AUTHORITY_HOST", idp.host)
    monkeypatch.setenv("CAL365_CA_BUNDLE", idp.ca_path)
    monkeypatch.setenv("CAL365_CACHE", "plaintext")
    monkeypatch.setenv("CAL365_SYNC_EVERY", "0")
    idp.pending_polls = 0
    seen: list[tuple[str, list[str]]] = []

    def run(self: Cal365App, *args: object, **kwargs: object) -> None:
        async def go() -> None:
            async with self.run_test(size=(120, 40)) as pilot:
                if seen:  # the second start
                    await wait_for(pilot, lambda: isinstance(self.screen, SignInScreen)
                                   and self.screen.state == "waiting")
                    seen.append(("sign-in", [e.id for e in self.main.table.all_events]))
                    idp.approve()
                await wait_for(pilot, lambda: not isinstance(self.screen, SignInScreen)
                               and self.main.status.kind == "info"
                               and bool(self.main.table.all_events)
                               and not syncing(self))
                seen.append(("loaded", [e.id for e in self.main.table.all_events]))

        asyncio.run(go())

    monkeypatch.setattr(Cal365App, "run", run)
    with FakeGraph(today=DEMO_TODAY) as fake:
        monkeypatch.setenv("CAL365_GRAPH_URL", fake.base_url)
        idp.on_access_token = lambda token, _: setattr(fake.service, "token", token)
        assert cli.main(["login"]) == 0
        start = ["--date", DEMO_TODAY.isoformat(), "--timezone", ZONE]
        assert cli.main(start) == 0
        idp.revoke()
        fake.service.token = "eyJ0eXAiOiJKV1QifQ.revoked.c2ln"
        idp.pending_polls = 10_000
        assert cli.main(start) == 0
    assert [kind for kind, _ in seen] == ["loaded", "sign-in", "loaded"]
    assert seen[1][1] == seen[0][1] == seen[2][1]  # the cached rows stayed on screen


async def test_signing_in_as_someone_else_after_a_refusal_uses_the_new_account(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    idp.pending_polls = 0
    idp.expires_in = 60  # each start refreshes
    settings = settings_for(idp)
    MsalProvider(settings, KeyringStore(settings.profile)).start_device_flow().wait()
    idp.revoke()  # the first account's sign-in is refused from now on
    idp.user_oid, idp.username = "7d1c0a52-5b7e-4e0f-9a61-0c8f3e2b4d90", "adele@contoso.example"
    idp.pending_polls = 10_000
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    with FakeGraph(today=DEMO_TODAY) as fake:
        idp.on_access_token = lambda token, _: setattr(fake.service, "token", token)
        async with make_app(fake, provider).run_test(size=(120, 40)) as pilot:
            app = pilot.app
            assert isinstance(app, Cal365App)
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            idp.approve()  # signed in as Adele this time
            await loaded(pilot)
            assert "still no token" not in app.main.status.message
    identity = MsalProvider(settings, KeyringStore(settings.profile)).identity()
    assert identity is not None and identity.username == "adele@contoso.example"


async def test_a_refused_refresh_under_the_bulk_dialog_keeps_its_comment(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    from tui.screens.bulk import BulkCancelScreen

    idp.pending_polls = 0
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    provider.start_device_flow().wait()
    with FakeGraph(today=DEMO_TODAY) as fake:
        fake.service.token = idp.access_issued[-1]
        idp.on_access_token = lambda token, _: setattr(fake.service, "token", token)
        app = make_app(fake, provider)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("A")  # everything marked; Graph refuses what is not mine
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
            await pilot.press(*"Offsite week")
            idp.revoke()
            fake.service.token = "eyJ0eXAiOiJKV1QifQ.revoked.c2ln"
            idp.pending_polls = 10_000
            app.main.action_refresh()  # a background reload meets the refusal
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            idp.approve()
            await wait_for(pilot, lambda: isinstance(app.screen, BulkCancelScreen))
            assert app.screen.query_one(TextArea).text == "Offsite week"
