"""With CAL365_ACCESS_TOKEN the cache is the token's account's, keyed as a signed-in user's:
`sync` fills it, `events --offline` reads it, and a token that names no account, or another
account than /me, gets no cache and says why."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cal365
from tests.conftest import DEMO_TODAY
from tui.auth.token_identity import identity_from_token
from tui.cache import Owner, cache_path, open_cache
from tui.config import load_settings
from tui.fake import DEMO_TOKEN, FakeGraph
from tui.fake.seed import ME_ID, ME_UPN, TENANT_ID
from tui.script.exits import Exit

WINDOW = ("--from", DEMO_TODAY.isoformat(), "--to", DEMO_TODAY.isoformat())


def jwt(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'typ': 'JWT', 'alg': 'none'})}.{part(claims)}.sig"


@pytest.fixture(autouse=True)
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CAL365_CLIENT_ID", "CAL365_PROFILE", "CAL365_TOKEN_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAL365_CACHE", "plaintext")  # the explicit choice: no keyring here


def test_the_fake_tokens_claims_name_the_fake_me() -> None:
    identity = identity_from_token(DEMO_TOKEN)
    assert identity is not None
    assert (identity.object_id, identity.tenant_id, identity.username) == (
        ME_ID, TENANT_ID, ME_UPN)


def test_sync_then_offline_with_a_bare_token(cal365: Cal365, home: Path) -> None:
    synced = cal365("sync", *WINDOW)
    assert synced.code == Exit.OK, synced.err
    assert cache_path("default").exists()
    offline = cal365("events", "--offline", *WINDOW)
    assert offline.code == Exit.OK, offline.err
    online = cal365("events", *WINDOW)
    assert offline.rows == online.rows and online.rows
    assert "offline: from the local cache" in offline.err


def test_the_tokens_cache_is_the_signed_in_users_cache(cal365: Cal365, home: Path) -> None:
    assert cal365("sync", *WINDOW).code == Exit.OK
    # The same account signed in with `cal365 login` (MSAL's home account id) reads it.
    signed_in = Owner(f"{ME_ID}.{TENANT_ID}", ME_UPN, TENANT_ID)
    store = open_cache(load_settings({}), signed_in)
    assert store is not None
    try:
        assert store.windows()
    finally:
        store.close()


def test_a_token_that_names_no_account_gets_no_cache(
    run_cli: Cal365, fake_graph: FakeGraph, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_graph.service.token = "opaque-token-of-a-personal-account"
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", fake_graph.service.token)
    run = run_cli("sync", *WINDOW, "--graph-url", fake_graph.base_url)
    assert run.code == Exit.ERROR
    assert "does not name its account" in run.err and "Traceback" not in run.err
    assert fake_graph.requests == [] and not cache_path("default").exists()


def test_a_token_whose_claims_name_another_account_writes_nothing(
    run_cli: Cal365, fake_graph: FakeGraph, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = jwt({"tid": TENANT_ID, "oid": "0b0b0b0b-1111-4222-8333-444444444444",
                 "upn": "someone.else@fabrikam.onmicrosoft.com"})
    fake_graph.service.token = other  # Graph takes it; it is Avery's /me all the same
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", other)
    run = run_cli("sync", *WINDOW, "--graph-url", fake_graph.base_url)
    assert run.code == Exit.ERROR
    assert "another account than Graph's /me" in run.err
    assert [r.path for r in fake_graph.requests] == ["/v1.0/me"]


def test_the_app_with_a_bare_token_starts_warm_from_its_cache(
    cal365: Cal365, fake_graph: FakeGraph, run_cli: Cal365, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cron job synced it; the app then shows it with Graph out of reach."""
    import asyncio
    import datetime as dt

    from tests.app.helpers import wait_for
    from tui.app import Cal365App

    last = (DEMO_TODAY + dt.timedelta(days=13)).isoformat()
    window = ("--from", DEMO_TODAY.isoformat(), "--to", last)
    assert cal365("sync", *window).code == Exit.OK
    cached = [row[-1] for row in cal365("events", "--offline", *window).rows]
    assert cached
    fake_graph.stop()  # the network is gone

    shown: list[str] = []

    def run(self: Cal365App, *args: object, **kwargs: object) -> None:
        async def go() -> None:
            async with self.run_test(size=(120, 40)) as pilot:
                await wait_for(pilot, lambda: len(self.main.table.all_events) == len(cached))
                shown.extend(e.id for e in self.main.table.all_events)

        asyncio.run(go())

    monkeypatch.setattr(Cal365App, "run", run)
    result = run_cli("--date", DEMO_TODAY.isoformat(), "--graph-url", fake_graph.base_url)
    assert result.code == 0, result.err
    assert sorted(shown) == sorted(cached)


@pytest.mark.usefixtures("no_keyring")
def test_with_no_keyring_the_token_gets_the_same_explicit_cache_choice(
    cal365: Cal365, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAL365_CACHE")
    run = cal365("sync", *WINDOW)
    assert run.code == Exit.ERROR
    assert "--cache plaintext" in run.err and "Traceback" not in run.err
    assert not cache_path("default").exists()
