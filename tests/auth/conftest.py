"""Fixtures for sign-in tests: a fake identity provider, isolated dirs, an in-memory keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.auth.fake_idp import FakeIdP, running
from tui.auth.config import Settings, load_settings


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


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    entries: dict[tuple[str, str], str] = {}

    class Backend(KeyringBackend):
        priority = 10  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return entries.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            entries[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if entries.pop((service, username), None) is None:
                raise PasswordDeleteError("not found")

    previous = keyring.get_keyring()
    keyring.set_keyring(Backend())
    try:
        yield entries
    finally:
        keyring.set_keyring(previous)


def settings_for(idp: FakeIdP, **overrides: str) -> Settings:
    flags = {
        "client_id": idp.client_id,
        "tenant": "organizations",
        "authority_host": idp.host,
        "ca_bundle": idp.ca_path,
    }
    flags.update(overrides)
    return load_settings(flags, environ={}, path=Path("/nonexistent/config.toml"))
