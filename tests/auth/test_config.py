"""Settings: file < environment < flags, per profile; clouds move login and Graph together."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import CLOUDS, ConfigError, cloud_named, load_settings

CID = "11111111-2222-4333-8444-555555555555"
OTHER = "99999999-8888-4777-8666-555555555555"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_flags_beat_environment_beat_file(tmp_path: Path) -> None:
    path = write(tmp_path, f'client_id = "{CID}"\ntenant = "contoso.com"\ncloud = "usgov"\n')
    from_file = load_settings({}, {}, path)
    assert (from_file.client_id, from_file.tenant, from_file.cloud.name) == (
        CID, "contoso.com", "usgov")
    assert from_file.source["client_id"] == str(path)
    env = {"CAL365_TENANT": "fabrikam.com", "CAL365_CLOUD": "global"}
    from_env = load_settings({}, env, path)
    assert (from_env.tenant, from_env.cloud.name) == ("fabrikam.com", "global")
    assert from_env.source["tenant"] == "environment"
    from_flags = load_settings({"tenant": "organizations", "cloud": None}, env, path)
    assert from_flags.tenant == "organizations" and from_flags.cloud.name == "global"
    assert from_flags.source["tenant"] == "command line"


def test_profiles_override_the_top_level(tmp_path: Path) -> None:
    path = write(tmp_path, (
        f'client_id = "{CID}"\ntenant = "contoso.com"\n\n'
        f'[profiles.gov]\nclient_id = "{OTHER}"\ntenant = "contoso.onmicrosoft.us"\n'
        'cloud = "L5"\n'
    ))
    assert load_settings({}, {}, path).client_id == CID
    gov = load_settings({"profile": "gov"}, {}, path)
    assert (gov.profile, gov.client_id, gov.cloud.name) == ("gov", OTHER, "dod")
    assert load_settings({}, {"CAL365_PROFILE": "gov"}, path).client_id == OTHER


@pytest.mark.parametrize(
    ("name", "login", "graph"),
    [
        ("global", "https://login.microsoftonline.com", "https://graph.microsoft.com/v1.0"),
        ("usgov", "https://login.microsoftonline.us", "https://graph.microsoft.us/v1.0"),
        ("dod", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us/v1.0"),
        ("china", "https://login.chinacloudapi.cn",
         "https://microsoftgraph.chinacloudapi.cn/v1.0"),
    ],
)
def test_each_cloud_maps_login_and_graph_and_scope(name: str, login: str, graph: str) -> None:
    settings = load_settings({"cloud": name, "client_id": CID, "tenant": "contoso.com"}, {},
                             Path("/nonexistent"))
    assert settings.authority == f"{login}/contoso.com"
    assert settings.graph_root == graph
    resource = graph.removesuffix("/v1.0")
    assert settings.scopes == [f"{resource}/Calendars.ReadWrite", f"{resource}/User.Read"]
    assert settings.scopes_with(["Group.Read.All", "User.Read"]) == [
        f"{resource}/Calendars.ReadWrite", f"{resource}/User.Read", f"{resource}/Group.Read.All"]


def test_cloud_aliases() -> None:
    assert cloud_named("GCC High") is CLOUDS["usgov"]
    assert cloud_named("us-gov-l5") is CLOUDS["dod"]
    assert cloud_named("21Vianet") is CLOUDS["china"]
    with pytest.raises(ConfigError, match="unknown cloud"):
        cloud_named("mars")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"client_id": "not-a-guid"}, "is not an application"),
        ({"tenant": "contoso"}, "is not 'common'"),
        ({"token_storage": "floppy"}, "token storage"),
        ({"profile": "../etc"}, "profile name"),
        ({"client_id": CID, "mailbox": "a@b.com"}, "mailbox is for app-only"),
        ({"client_id": CID, "client_secret": "s", "certificate": "c.pem", "tenant": "c.com"},
         "not both"),
        ({"client_id": CID, "client_secret": "s"}, "needs your tenant id"),
        ({"authority_host": "http://login.example.com"}, "must be an https URL"),
    ],
)
def test_bad_values_are_refused_with_the_reason(
    flags: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(flags, {}, Path("/nonexistent"))


def test_secrets_are_not_read_from_files_and_not_in_repr(tmp_path: Path) -> None:
    path = write(tmp_path, 'client_secret = "s3cr3t"\n')
    with pytest.raises(ConfigError, match="CAL365_CLIENT_SECRET"):
        load_settings({}, {}, path)
    settings = load_settings({}, {"CAL365_CLIENT_SECRET": "s3cr3t", "CAL365_CLIENT_ID": CID,
                                  "CAL365_TENANT": "contoso.com"}, Path("/nonexistent"))
    assert settings.app_only and "s3cr3t" not in repr(settings)


def test_unknown_keys_and_broken_toml_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting 'clientid'"):
        load_settings({}, {}, write(tmp_path, 'clientid = "x"\n'))
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings({}, {}, write(tmp_path, "client_id = \n"))


def test_no_registration_explains_how_to_make_one() -> None:
    settings = load_settings({}, {}, Path("/nonexistent"))
    with pytest.raises(ConfigError) as caught:
        settings.require_client_id()
    text = str(caught.value)
    assert "Allow public client flows" in text and "Calendars.ReadWrite" in text
    assert "Mobile and desktop applications" in text and "cal365 --demo" in text
