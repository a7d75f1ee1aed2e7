"""Fixtures for sign-in tests: a fake identity provider, isolated dirs, an in-memory keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.auth.fake_idp import FakeIdP, running
from tui.config import Settings, load_settings


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAL365_HOME", str(tmp_path / "home"))
    # requests lets these override the CA bundle MSAL is given.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    return tmp_path / "home"


@pytest.fixture
def idp(tmp_path: Path) -> Iterator[FakeIdP]:
    yield from running(tmp_path)


def settings_for(idp: FakeIdP, **overrides: str) -> Settings:
    flags = {
        "client_id": idp.client_id,
        "tenant": "organizations",
        "authority_host": idp.host,
        "ca_bundle": idp.ca_path,
    }
    flags.update(overrides)
    return load_settings(flags, environ={}, path=Path("/nonexistent/config.toml"))
