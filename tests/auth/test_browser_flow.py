"""The browser (interactive) sign-in end to end: the real MSAL, its localhost listener, PKCE,
the fake identity provider's authorization endpoint, and a stand-in browser. It is offered
only where a local graphical session exists."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from tests.app.helpers import ZONE, loaded, wait_for
from tests.auth.conftest import settings_for
from tests.auth.fake_browser import SignedInBrowser
from tests.auth.fake_idp import TENANT_ID, USERNAME, FakeIdP
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.auth.cache import KeyringStore
from tui.auth.errors import SignInFailed
from tui.auth.provider import MsalProvider
from tui.fake import FakeGraph
from tui.graph import GraphClient
from tui.screens.signin import SignInScreen


@pytest.fixture
def browser(idp: FakeIdP, monkeypatch: pytest.MonkeyPatch) -> SignedInBrowser:
    """A local graphical session whose only browser is the stand-in."""
    for name in ("BROWSER", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "_tryorder", [])
    monkeypatch.setattr(webbrowser, "_browsers", {})
    found = SignedInBrowser(idp.ca_path)
    webbrowser.register(found.name, None, found, preferred=True)
    return found


def test_browser_sign_in_through_msal_with_pkce(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str],
    browser: SignedInBrowser,
) -> None:
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    identity = provider.browser_sign_in(timeout=30)
    assert (identity.username, identity.tenant_id) == (USERNAME, TENANT_ID)
    assert browser.errors == [] and browser.delivered == [200]
    [url] = browser.opened
    assert url.startswith(f"{idp.host}/organizations/oauth2/v2.0/authorize?")
    assert "code_challenge_method=S256" in url and "response_mode=form_post" in url
    [grant] = idp.grants("authorization_code")
    assert grant.form["code_verifier"] and grant.form["redirect_uri"].startswith(
        "http://localhost:")
    assert idp.scope_requests == [frozenset({"Calendars.ReadWrite", "User.Read"})]
    # The tokens landed in the cache: the next call is silent.
    assert provider.silent_token() == idp.access_issued[0]


def test_a_wrong_pkce_verifier_is_refused(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str],
    browser: SignedInBrowser, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import msal.oauth2cli.oauth2 as oauth2

    real = oauth2._generate_pkce_code_verifier

    def tampered(length: int = 43) -> dict[str, str]:
        pkce: dict[str, str] = real(length)
        pkce["code_verifier"] = real(length)["code_verifier"]  # not the challenged one
        return pkce

    monkeypatch.setattr(oauth2, "_generate_pkce_code_verifier", tampered)
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    with pytest.raises(SignInFailed, match="AADSTS501481"):
        provider.browser_sign_in(timeout=30)
    assert provider.identity() is None


async def test_the_sign_in_screen_offers_the_browser_locally_and_b_signs_in(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str],
    browser: SignedInBrowser,
) -> None:
    idp.pending_polls = 10_000  # the device code is never used
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    with FakeGraph(today=DEMO_TODAY) as fake:
        idp.on_access_token = fake.grant
        client = GraphClient(fake.base_url, provider, timezone=ZONE)
        app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE, sign_in=provider)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            screen = app.screen
            assert isinstance(screen, SignInScreen)
            assert screen.gui and screen.check_action("browser", ()) is True
            await pilot.press("b")
            await loaded(pilot)
            assert browser.delivered == [200] and browser.errors == []
            assert len(idp.grants("authorization_code")) == 1
            # The code on screen was abandoned: the one token came from the browser's code.
            assert len(idp.access_issued) == 1
            polls = len(idp.grants("device_code"))
            await pilot.pause(1.5)
            assert len(idp.grants("device_code")) == polls
            identity = provider.identity()
            assert identity is not None and identity.username == USERNAME


def test_an_answer_that_fails_msals_checks_is_a_sign_in_failure(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str],
    browser: SignedInBrowser, monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = idp._user_tokens

    def without_nonce(scope: str, client_id: str, nonce: str = "") -> dict[str, object]:
        return real(scope, client_id, "")  # an ID token that does not echo MSAL's nonce

    monkeypatch.setattr(idp, "_user_tokens", without_nonce)
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    with pytest.raises(SignInFailed, match="nonce"):
        provider.browser_sign_in(timeout=30)
    # MSAL had cached the unchecked answer: it is dropped, and nothing reached the disk.
    assert provider.identity() is None
    assert provider.silent_token() is None
    assert [p for p in home.rglob("token-cache.*") if p.stat().st_size] == []
