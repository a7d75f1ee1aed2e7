"""Sign in, cancel a meeting, and prove no token is in any log, file, repr or screen."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.app.helpers import cancel_posts, loaded, select, wait_for
from tests.auth.conftest import settings_for
from tests.auth.fake_idp import FakeIdP
from tests.auth.test_signin_app import make_app
from tests.conftest import DEMO_TODAY
from tui.auth.cache import KeyringStore
from tui.auth.provider import MsalProvider
from tui.auth.redact import install_debug_log, redact
from tui.fake import FakeGraph
from tui.screens.cancel import CancelScreen
from tui.screens.signin import SignInScreen

CHOSEN = "eyJ0eXAiOiJKV1QifQ.chosen-access-token-4c6f6f6b.c2lnbmF0dXJl"


def _secrets(idp: FakeIdP) -> set[str]:
    values = set(idp.issued) | {idp.client_secret}
    for request in idp.requests:
        for key in ("device_code", "refresh_token", "client_secret"):
            if request.form.get(key):
                values.add(request.form[key])
    return values


async def test_no_token_value_escapes(
    idp: FakeIdP,
    home: Path,
    tmp_path: Path,
    memory_keyring: dict[tuple[str, str], str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # every library at its most verbose, unfiltered
    debug_log = tmp_path / "debug.log"
    handler = install_debug_log(debug_log)
    idp.access_tokens = [CHOSEN]
    idp.pending_polls = 10_000  # until the screen was captured: no race with a quick sign-in
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    screens: list[str] = []
    try:
        with FakeGraph(today=DEMO_TODAY, token=CHOSEN) as fake:
            app = make_app(fake, provider)
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                               and app.screen.state == "waiting")
                screens.append(app.export_screenshot())
                idp.approve()
                await loaded(pilot)
                await select(pilot, lambda e: e.is_organizer and not e.is_cancelled)
                await pilot.press("c")
                await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
                await pilot.press(*"No longer needed")
                screens.append(app.export_screenshot())
                await pilot.press("ctrl+s")
                await wait_for(pilot, lambda: app.main.status.kind == "success")
                screens.append(app.export_screenshot())
                assert len(cancel_posts(fake)) == 1
                # The fake Graph saw the chosen token, so it really was used.
                assert fake.service.token == CHOSEN
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()

    secrets = _secrets(idp)
    assert CHOSEN in secrets and len(secrets) >= 5
    logged = caplog.text + debug_log.read_text(encoding="utf-8")
    assert "oauth2/v2.0/token" in logged or "POST" in logged  # the logs did record traffic
    files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    cache_files = [p for p in files if p.name.endswith(".fernet")]
    assert len(cache_files) == 1 and cache_files[0].stat().st_mode & 0o777 == 0o600
    for secret in secrets:
        assert secret not in logged
        for path, data in files.items():
            if path.name != "fake-idp-ca.pem":
                assert secret.encode() not in data, path
        for svg in screens:
            assert secret not in svg
        assert secret not in repr(provider) and secret not in repr(settings)
    # The cache file holds the tokens, encrypted with the key kept in the keyring.
    from cryptography.fernet import Fernet

    key = memory_keyring[("cal365", "token-cache-key:default")]
    plain = Fernet(key.encode()).decrypt(files[cache_files[0]]).decode()
    assert CHOSEN in plain


def test_redaction_masks_headers_fields_and_jwts() -> None:
    line = (
        "Authorization: Bearer abc.def-ghi {'access_token': 'xyz', \"refresh_token\": \"r1\"} "
        "grant_type=refresh_token&refresh_token=0.AAAA-secret&client_secret=s3 "
        "eyJhbGciOi.eyJzdWIiOi.sig device_code=DAQAB123"
    )
    masked = redact(line)
    for secret in ("abc.def-ghi", "xyz", "r1", "0.AAAA-secret", "s3", "eyJhbGciOi.eyJzdWIiOi",
                   "DAQAB123"):
        assert secret not in masked
    assert "grant_type=refresh_token" in masked
