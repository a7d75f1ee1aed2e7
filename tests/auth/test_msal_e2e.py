"""The real MSAL against the fake identity provider over HTTPS: every flow cal365 uses."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from tests.auth.conftest import settings_for
from tests.auth.fake_idp import TENANT_ID, USERNAME, FakeIdP
from tui.auth.cache import KeyringStore, MemoryStore
from tui.auth.errors import SignInCancelled, SignInFailed, SignInRequired
from tui.auth.provider import MsalProvider, SignInNeeded


def provider(idp: FakeIdP, home: Path, **overrides: str) -> MsalProvider:
    settings = settings_for(idp, **overrides)
    return MsalProvider(settings, KeyringStore(settings.profile))


def sign_in(p: MsalProvider) -> None:
    flow = p.start_device_flow()
    identity = flow.wait()
    assert identity.username == USERNAME
    assert identity.tenant_id == TENANT_ID


def test_device_flow_polls_through_pending_then_signs_in(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    idp.pending_polls = 2
    p = provider(idp, home)
    flow = p.start_device_flow()
    assert flow.code.verification_uri == "https://microsoft.com/devicelogin"
    assert len(flow.code.user_code) == 9
    assert "device_code" not in repr(flow) and "DAQAB" not in repr(flow)
    identity = flow.wait()
    assert identity.username == USERNAME
    polls = idp.grants("device_code")
    assert [r.path for r in polls] == ["/organizations/oauth2/v2.0/token"] * 3
    scope = idp.requests[1].form["scope"].split()
    assert "https://graph.microsoft.com/Calendars.ReadWrite" in scope
    assert "offline_access" in scope
    # The key went into the keyring, the cache into an encrypted 0600 file.
    assert list(memory_keyring) == [("cal365", "token-cache-key:default")]
    assert p.silent_token() == idp.access_issued[0]


def test_a_new_process_signs_in_silently_from_the_saved_cache(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    sign_in(provider(idp, home))
    before = len(idp.requests)
    again = provider(idp, home)
    assert again.silent_token() == idp.access_issued[0]
    assert again.identity() is not None
    assert [r for r in idp.requests[before:] if r.method == "POST"] == []


def test_an_expired_access_token_is_refreshed_silently(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    idp.expires_in = 60  # MSAL treats tokens expiring within 5 minutes as expired
    p = provider(idp, home)
    sign_in(p)
    first = idp.access_issued[0]
    token = p.silent_token()
    assert token is not None and token != first
    assert len(idp.grants("refresh_token")) == 1
    # The rotated refresh token was saved: a second process refreshes with it.
    assert provider(idp, home).silent_token() not in (None, first, token)


def test_force_refresh_goes_to_the_identity_provider(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    p = provider(idp, home)
    sign_in(p)
    assert p.silent_token() == idp.access_issued[0]
    assert p.silent_token(force_refresh=True) == idp.access_issued[1]
    assert len(idp.grants("refresh_token")) == 1


def test_a_rejected_refresh_token_means_sign_in_again(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    p = provider(idp, home)
    sign_in(p)
    idp.reject_refresh = True
    assert p.silent_token(force_refresh=True) is None
    assert "AADSTS700082" in p.last_problem
    with pytest.raises(SignInRequired, match="cal365 login"):
        asyncio.run(p.get_token(force_refresh=True))


def test_declined_and_expired_codes_fail_with_the_server_text(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    p = provider(idp, home)
    idp.device_outcome = "declined"
    with pytest.raises(SignInFailed, match="authorization_declined"):
        p.start_device_flow().wait()
    idp.device_outcome = "expired"
    with pytest.raises(SignInFailed, match="AADSTS70020"):
        p.start_device_flow().wait()
    assert p.identity() is None


def test_cancelling_the_device_flow_stops_polling(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    idp.pending_polls = 10_000
    p = provider(idp, home)
    flow = p.start_device_flow()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            flow.wait()
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    flow.cancel()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert isinstance(outcome[0], SignInCancelled)


def test_an_unknown_client_id_is_reported(idp: FakeIdP, home: Path) -> None:
    p = provider(idp, home, client_id="00000000-0000-0000-0000-00000000dead")
    p.store = MemoryStore()
    with pytest.raises(SignInFailed, match="AADSTS700016"):
        p.start_device_flow()


def test_app_only_with_a_client_secret(
    idp: FakeIdP, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(idp, tenant=TENANT_ID, client_secret=idp.client_secret)
    assert settings.app_only and settings.scopes == ["https://graph.microsoft.com/.default"]
    p = MsalProvider(settings, MemoryStore())
    token = asyncio.run(p.get_token())
    assert token == idp.access_issued[0]
    assert asyncio.run(p.get_token()) == token  # from MSAL's cache
    assert len(idp.grants("client_credentials")) == 1
    assert asyncio.run(p.get_token(force_refresh=True)) == idp.access_issued[1]
    assert idp.grants("client_credentials")[0].form["scope"] == (
        "https://graph.microsoft.com/.default"
    )


def test_app_only_with_a_wrong_secret_fails_clearly(idp: FakeIdP, home: Path) -> None:
    settings = settings_for(idp, tenant=TENANT_ID, client_secret="wrong")
    p = MsalProvider(settings, MemoryStore())
    with pytest.raises(SignInFailed, match="AADSTS7000215"):
        asyncio.run(p.get_token())


def test_get_token_asks_the_app_once_for_concurrent_requests(
    idp: FakeIdP, home: Path
) -> None:
    settings = settings_for(idp)
    p = MsalProvider(settings, MemoryStore())
    asked: list[SignInNeeded] = []

    async def hook(need: SignInNeeded) -> bool:
        asked.append(need)
        flow = await asyncio.to_thread(p.start_device_flow)
        await asyncio.to_thread(flow.wait)
        return True

    p.on_sign_in_needed = hook

    async def main() -> list[str]:
        return await asyncio.gather(*(p.get_token() for _ in range(4)))

    tokens = asyncio.run(main())
    assert len(asked) == 1 and asked[0].reason == "not signed in"
    assert set(tokens) == {idp.access_issued[0]}


def test_an_unreachable_identity_provider_is_one_clear_error(
    idp: FakeIdP, home: Path
) -> None:
    from tui.auth.errors import SignInUnavailable
    from tui.problems import describe

    p = MsalProvider(settings_for(idp, authority_host="https://127.0.0.1:9"), MemoryStore())
    with pytest.raises(SignInUnavailable) as caught:
        asyncio.run(p.get_token())
    assert "cannot reach the sign-in service 127.0.0.1:9: the connection failed" in describe(
        caught.value
    )


def test_an_untrusted_certificate_is_named(idp: FakeIdP, home: Path) -> None:
    from tui.auth.errors import SignInUnavailable

    settings = settings_for(idp, ca_bundle="")
    with pytest.raises(SignInUnavailable, match="TLS certificate is not trusted"):
        MsalProvider(settings, MemoryStore()).start_device_flow()


def test_the_configured_ca_wins_over_requests_environment(
    idp: FakeIdP, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import certifi

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())  # would reject the test CA
    p = MsalProvider(settings_for(idp), MemoryStore())
    assert p.start_device_flow().code.user_code


def test_app_only_with_a_certificate_sends_a_signed_assertion(
    idp: FakeIdP, home: Path, tmp_path: Path
) -> None:
    import base64
    import json

    import trustme
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    rsa = trustme.KeyType.RSA  # Entra takes RSA certificates only
    issued = trustme.CA(key_type=rsa).issue_cert("cal365-app.contoso.example", key_type=rsa)
    pem = tmp_path / "app.pem"
    pem.write_bytes(issued.private_key_and_cert_chain_pem.bytes())
    settings = settings_for(idp, tenant=TENANT_ID, certificate=str(pem))
    token = asyncio.run(MsalProvider(settings, MemoryStore()).get_token())
    assert token == idp.access_issued[0]
    form = idp.grants("client_credentials")[0].form
    assert "client_secret" not in form
    assert form["client_assertion_type"].endswith(":jwt-bearer")
    header = json.loads(base64.urlsafe_b64decode(form["client_assertion"].split(".")[0] + "=="))
    cert = x509.load_pem_x509_certificate(issued.cert_chain_pems[0].bytes())
    thumbprint = base64.urlsafe_b64encode(cert.fingerprint(hashes.SHA1())).rstrip(b"=")
    assert header["x5t"].rstrip("=") == thumbprint.decode()


def test_a_certificate_file_without_a_key_is_refused(idp: FakeIdP, home: Path,
                                                     tmp_path: Path) -> None:
    pem = tmp_path / "cert-only.pem"
    pem.write_text("not a certificate")
    settings = settings_for(idp, tenant=TENANT_ID, certificate=str(pem))
    with pytest.raises(SignInFailed, match="must hold a PEM private key and its certificate"):
        asyncio.run(MsalProvider(settings, MemoryStore()).get_token())


def test_a_non_rsa_certificate_is_refused_clearly(idp: FakeIdP, home: Path,
                                                  tmp_path: Path) -> None:
    import trustme

    pem = tmp_path / "ec.pem"
    ec = trustme.KeyType.ECDSA
    pem.write_bytes(trustme.CA(key_type=ec).issue_cert("x.example", key_type=ec)
                    .private_key_and_cert_chain_pem.bytes())
    settings = settings_for(idp, tenant=TENANT_ID, certificate=str(pem))
    with pytest.raises(SignInFailed, match="needs an RSA key"):
        asyncio.run(MsalProvider(settings, MemoryStore()).get_token())


def test_a_request_refused_with_a_stale_token_gets_the_new_one_without_asking_again(
    idp: FakeIdP, home: Path
) -> None:
    """Two requests were sent with a revoked token. The first one's 401 leads to a new
    sign-in; the second one's 401 arrives just after it: it must get the new token, not
    trigger another refresh or a second sign-in."""
    idp.pending_polls = 0
    p = MsalProvider(settings_for(idp), MemoryStore())
    asked: list[str] = []

    async def hook(need: SignInNeeded) -> bool:
        asked.append(need.reason)
        await asyncio.to_thread(lambda: p.start_device_flow().wait())
        return True

    async def main() -> tuple[str, str, str]:
        p.on_sign_in_needed = hook
        first = await p.get_token()  # signs in
        idp.reject_refresh = True
        renewed = await p.get_token(force_refresh=True)  # request A: refused → signs in
        late = await p.get_token(force_refresh=True)  # request B, sent with `first`
        return first, renewed, late

    first, renewed, late = asyncio.run(main())
    assert first != renewed and late == renewed
    assert len(asked) == 2  # the first sign-in, and A's; none for B
    assert len(idp.grants("refresh_token")) == 1  # A's refused refresh only
