"""The script commands use the profile's sign-in as the app does: cached tokens, silent
refresh, and a refused refresh token ends the command with exit 5 and "sign in again"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.auth.fake_idp import FakeIdP
from tests.conftest import DEMO_TODAY
from tui import cli
from tui.fake import FakeGraph
from tui.script.exits import Exit

FIRST = "eyJ0eXAiOiJKV1QifQ.first-access-token.c2lnbmF0dXJl"
SECOND = "eyJ0eXAiOiJKV1QifQ.second-access-token.c2lnbmF0dXJl"
WINDOW = ("--from", DEMO_TODAY.isoformat(), "--to", DEMO_TODAY.isoformat())


@pytest.fixture
def env(idp: FakeIdP, home: Path, monkeypatch: pytest.MonkeyPatch,
        memory_keyring: dict[tuple[str, str], str]) -> FakeIdP:
    for name in ("CAL365_ACCESS_TOKEN", "CAL365_PROFILE", "CAL365_TOKEN_STORAGE",
                 "CAL365_CLIENT_SECRET", "CAL365_CLIENT_CERTIFICATE", "CAL365_MAILBOX",
                 "CAL365_GRAPH_URL", "CAL365_CLOUD", "CAL365_TENANT", "CAL365_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAL365_CLIENT_ID", idp.client_id)
    monkeypatch.setenv("CAL365_AUTHORITY_HOST", idp.host)
    monkeypatch.setenv("CAL365_CA_BUNDLE", idp.ca_path)
    monkeypatch.setenv("CAL365_TIMEZONE", "Europe/Berlin")
    idp.pending_polls = 0
    return idp


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    with FakeGraph(today=DEMO_TODAY, token=FIRST) as fake:
        # For login too: the permissions asked for are this Graph's (the resource in them).
        monkeypatch.setenv("CAL365_GRAPH_URL", fake.base_url)
        yield fake


def run(capsys: pytest.CaptureFixture[str], fake: FakeGraph, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


COMMANDS = [("events", *WINDOW), ("calendars",), ("sync", *WINDOW),
            ("cancel", "no-such-event", "--yes")]


@pytest.mark.parametrize("argv", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_after_login_every_script_command_uses_the_sign_in(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    env.access_tokens = [FIRST]
    assert cli.main(["login"]) == 0
    code, out, err = run(capsys, graph, *argv)
    expected = Exit.NOT_FOUND if argv[0] == "cancel" else Exit.OK
    assert code == expected, err
    assert "access token" not in err and "Traceback" not in err
    assert graph.requests and all(r.status != 401 for r in graph.requests)
    if argv[0] != "cancel":
        assert out.strip()


def test_an_expired_access_token_is_refreshed_silently(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    env.access_tokens = [FIRST, SECOND]
    env.expires_in = 60  # MSAL refreshes a token with less than five minutes left
    assert cli.main(["login"]) == 0
    graph.service.token = SECOND  # Graph takes only the new token
    code, out, err = run(capsys, graph, "events", *WINDOW)
    assert code == Exit.OK, err
    assert len(env.grants("refresh_token")) == 1
    assert out.strip()


def test_a_rejected_access_token_is_refreshed_once_and_the_request_repeated(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    env.access_tokens = [FIRST, SECOND]
    assert cli.main(["login"]) == 0
    graph.service.token = SECOND  # FIRST was revoked: Graph answers 401
    code, out, err = run(capsys, graph, "calendars")
    assert code == Exit.OK, err
    assert len(env.grants("refresh_token")) == 1
    assert graph.requests[0].status == 401 and out.strip()


def test_the_access_token_variable_still_wins(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env.access_tokens = [SECOND]
    assert cli.main(["login"]) == 0
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", FIRST)
    before = len(env.requests)
    code, _, err = run(capsys, graph, "events", *WINDOW)
    assert code == Exit.OK, err
    assert len(env.requests) == before  # the sign-in was not even looked at


@pytest.mark.parametrize("argv", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_refused_refresh_token_means_sign_in_again(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    env.access_tokens = [FIRST]
    env.expires_in = 60
    assert cli.main(["login"]) == 0
    env.reject_refresh = True  # revoked, expired, or the password changed
    code, out, err = run(capsys, graph, *argv)
    assert code == Exit.AUTH
    assert "sign in again with cal365 login" in err and "AADSTS700082" in err
    assert "Traceback" not in err and out == ""
    assert graph.requests == []  # nothing went to Graph without a token


def test_not_signed_in_says_to_sign_in(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, graph, "events", *WINDOW)
    assert code == Exit.AUTH
    assert "run cal365 login" in err and out == ""
    assert graph.requests == []


def test_app_only_scripts_open_the_configured_mailbox(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.auth.fake_idp import TENANT_ID
    from tui.fake.seed import ME_UPN

    env.access_tokens = [FIRST]
    monkeypatch.setenv("CAL365_CLIENT_SECRET", env.client_secret)
    monkeypatch.setenv("CAL365_TENANT", TENANT_ID)
    code, _, err = run(capsys, graph, "events", *WINDOW)
    assert code == Exit.USAGE and "--mailbox" in err  # an app has no "me"
    assert graph.requests == []
    monkeypatch.setenv("CAL365_MAILBOX", ME_UPN)
    code, out, err = run(capsys, graph, "events", *WINDOW)
    assert code == Exit.OK, err
    assert out.strip()
    assert graph.requests and all(r.path.startswith(f"/v1.0/users/{ME_UPN}/")
                                  for r in graph.requests)
    assert len(env.grants("client_credentials")) == 1


def test_a_keyring_gone_after_login_is_one_line_and_exit_5(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    import keyring
    from keyring.backends import fail

    env.access_tokens = [FIRST]
    assert cli.main(["login"]) == 0
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, out, err = run(capsys, graph, "events", *WINDOW)
    finally:
        keyring.set_keyring(previous)
    assert code == Exit.AUTH
    assert err.count("\n") == 1 and "the saved sign-in cannot be read" in err
    assert "keyring" in err and out == "" and graph.requests == []


def test_a_permission_never_granted_names_the_login_that_grants_it(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.fake.seed import JONAS_UPN

    env.access_tokens = [FIRST]
    assert cli.main(["login"]) == 0
    code, out, err = run(capsys, graph, "events", "--user", JONAS_UPN, *WINDOW)
    assert code == Exit.AUTH
    assert "cal365 login --permission Calendars.ReadWrite.Shared" in err
    assert out == "" and graph.requests == []


def test_signing_in_as_someone_else_replaces_the_refused_account(
    env: FakeIdP, graph: FakeGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    env.access_tokens = [FIRST, SECOND]
    env.expires_in = 60
    assert cli.main(["login"]) == 0
    env.revoke()  # Megan's sign-in is refused from now on
    env.user_oid, env.username = "7d1c0a52-5b7e-4e0f-9a61-0c8f3e2b4d90", "adele@contoso.example"
    env.on_access_token = lambda token, _: setattr(graph.service, "token", token)
    code, out, _ = run(capsys, graph, "login")
    assert code == Exit.OK and "Signed in as adele@contoso.example" in out
    code, out, _ = run(capsys, graph, "whoami")
    assert code == Exit.OK and "user:      adele@contoso.example" in out
    code, out, err = run(capsys, graph, "events", *WINDOW)
    assert code == Exit.OK, err
    assert out.strip()
