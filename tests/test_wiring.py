"""The composition root: one answer, for the app and the scripts, to what a run is made of."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from tui import wiring
from tui.config import ConfigError
from tui.graph.urls import ME, Mailbox

GUID = "00000000-0000-0000-0000-000000000001"


@pytest.fixture(autouse=True)
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_HOME", str(tmp_path))
    for name in ("CAL365_ACCESS_TOKEN", "CAL365_GRAPH_URL", "CAL365_TIMEZONE",
                 "CAL365_CLIENT_SECRET", "CAL365_MAILBOX", "CAL365_TENANT"):
        monkeypatch.delenv(name, raising=False)


def test_options_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_TIMEZONE", "Asia/Tokyo")
    assert wiring.timezone_for(argparse.Namespace()) == "Asia/Tokyo"
    assert wiring.timezone_for(argparse.Namespace(timezone="Europe/Berlin")) == "Europe/Berlin"
    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Olympus'"):
        wiring.timezone_for(argparse.Namespace(timezone="Mars/Olympus"))


def test_a_token_travels_over_tls_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert wiring.graph_root(argparse.Namespace()) == "https://graph.microsoft.com/v1.0"
    loopback = "http://127.0.0.1:8080/v1.0"
    assert wiring.graph_root(argparse.Namespace(graph_url=loopback)) == loopback
    monkeypatch.setenv("CAL365_GRAPH_URL", "http://graph.example.test/v1.0")
    with pytest.raises(ConfigError, match=r"without TLS to graph\.example\.test"):
        wiring.graph_root(argparse.Namespace())


def test_the_mailbox_of_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    assert wiring.default_mailbox(argparse.Namespace(demo=True)) == ME
    assert wiring.default_mailbox(argparse.Namespace(client_id=GUID)) == ME
    monkeypatch.setenv("CAL365_CLIENT_SECRET", "s3cret")
    app_only = argparse.Namespace(client_id=GUID, tenant="contoso.com")
    with pytest.raises(ConfigError, match=r"app-only mode .* has no signed-in user"):
        wiring.default_mailbox(app_only)
    app_only.mailbox = "adele@contoso.com"
    assert wiring.default_mailbox(app_only) == Mailbox("user", "adele@contoso.com")
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "a-token")  # a ready token opens its own
    assert wiring.default_mailbox(app_only) == ME

