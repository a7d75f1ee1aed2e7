"""Sign-in settings: config file, then environment, then command-line flags (each wins over
the one before), per profile.

The config file is TOML at `<config dir>/config.toml` (see `tui.paths`). Top-level keys are
the defaults; a `[profiles.<name>]` table overrides them for that profile:

    client_id = "00000000-0000-0000-0000-000000000000"
    tenant = "contoso.onmicrosoft.com"
    cloud = "global"

    [profiles.gov]
    client_id = "11111111-1111-1111-1111-111111111111"
    tenant = "contoso.onmicrosoft.us"
    cloud = "usgov"

`cache` says where the local calendar cache lives: "keyring" (encrypted, the key in the OS
keyring), "session" (memory only), "plaintext" (an unencrypted 0600 file, with a warning)
or false / "off" (none). Unset, it follows `token_storage`. `sync_every` is the minutes
between background syncs of that cache while the app runs (default 5; 0 turns them off).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from tui import paths
from tui.config.errors import ConfigError

Storage = Literal["keyring", "session", "plaintext"]
STORAGES: tuple[Storage, ...] = ("keyring", "session", "plaintext")
# The calendar cache: the same three choices as tokens, or none at all.
CacheMode = Literal["keyring", "session", "plaintext", "off"]
CACHE_MODES: tuple[CacheMode, ...] = ("keyring", "session", "plaintext", "off")
# A settings file is a few lines; a bigger one is not one (and is not read into memory).
_MAX_CONFIG_BYTES = 2**20
_CACHE_OFF = frozenset({"off", "false", "no", "0", "none"})
# What the first sign-in asks for: the least the user's own calendars and profile need.
# Named here, below the Graph layer, so settings can build scopes without importing it;
# tui.graph.permissions says which request needs what beyond these.
BASE_PERMISSIONS = ("Calendars.ReadWrite", "User.Read")


@dataclass(frozen=True, slots=True)
class Cloud:
    """A Microsoft cloud: where its users sign in and where its Graph lives.

    Tokens from one cloud are not accepted by another, so both always change together.
    """

    name: str
    label: str
    login: str
    graph: str

    @property
    def graph_url(self) -> str:
        return f"{self.graph}/v1.0"


CLOUDS: dict[str, Cloud] = {
    c.name: c
    for c in (
        Cloud("global", "Global (including GCC)", "https://login.microsoftonline.com",
              "https://graph.microsoft.com"),
        Cloud("usgov", "US Government L4 (GCC High)", "https://login.microsoftonline.us",
              "https://graph.microsoft.us"),
        Cloud("dod", "US Government L5 (DoD)", "https://login.microsoftonline.us",
              "https://dod-graph.microsoft.us"),
        Cloud("china", "China (operated by 21Vianet)", "https://login.chinacloudapi.cn",
              "https://microsoftgraph.chinacloudapi.cn"),
    )
}
# Other spellings users type for the same clouds.
_CLOUD_ALIASES = {
    "public": "global", "worldwide": "global", "gcc": "global", "azurecloud": "global",
    "usgovl4": "usgov", "gcchigh": "usgov", "l4": "usgov", "azureusgovernment": "usgov",
    "usgovl5": "dod", "l5": "dod",
    "21vianet": "china", "azurechinacloud": "china",
}

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DOMAIN = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_PROFILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def cloud_named(name: str) -> Cloud:
    key = re.sub(r"[\s_-]", "", name.strip().lower())
    key = _CLOUD_ALIASES.get(key, key)
    try:
        return CLOUDS[key]
    except KeyError:
        raise ConfigError(
            f"unknown cloud {name!r}; use one of: {', '.join(CLOUDS)}"
        ) from None


def check_tenant(tenant: str) -> str:
    tenant = tenant.strip()
    if tenant.lower() in ("common", "organizations", "consumers"):
        return tenant.lower()
    if _GUID.match(tenant) or _DOMAIN.match(tenant):
        return tenant
    raise ConfigError(
        f"tenant {tenant!r} is not 'common', 'organizations', a tenant id (GUID) or a domain"
    )


def check_client_id(client_id: str) -> str:
    client_id = client_id.strip()
    if not _GUID.match(client_id):
        raise ConfigError(f"client id {client_id!r} is not an application (client) id (a GUID)")
    return client_id


def check_profile(profile: str) -> str:
    if not _PROFILE.match(profile):
        raise ConfigError(
            f"profile name {profile!r}: use letters, digits, '.', '_' or '-' (at most 64)"
        )
    return profile


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything sign-in needs, already checked. Secrets are never part of `repr`."""

    profile: str = "default"
    client_id: str = ""
    tenant: str = "organizations"
    cloud: Cloud = CLOUDS["global"]
    storage: Storage = "keyring"
    # Where the calendar cache lives; unless set, it follows `storage` (an explicit choice the
    # user already made for tokens when no keyring is usable).
    cache: CacheMode = "keyring"
    sync_every: float = 5.0
    # App-only (client credentials): a secret or a certificate, and the mailbox to open.
    client_secret: str = field(default="", repr=False)
    certificate: str = ""
    mailbox: str = ""
    # Test seams: a different login host (the fake identity provider) and its CA bundle.
    authority_host: str = ""
    ca_bundle: str = ""
    graph_url: str = ""
    source: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def app_only(self) -> bool:
        return bool(self.client_secret or self.certificate)

    @property
    def authority(self) -> str:
        host = (self.authority_host or self.cloud.login).rstrip("/")
        return f"{host}/{self.tenant}"

    @property
    def graph_root(self) -> str:
        """The Graph URL (with version) that matches the cloud, unless set explicitly."""
        return (self.graph_url or self.cloud.graph_url).rstrip("/")

    @property
    def scopes(self) -> list[str]:
        """What the first sign-in asks for: the least the user's own calendars need."""
        return self.scopes_with(())

    def scopes_with(self, extra: Iterable[str]) -> list[str]:
        """The base scopes plus `extra` permission names (sorted, no repeats), as full
        scope URIs of this cloud's Graph. App-only mode always asks for `.default`."""
        resource = _resource(self.graph_root)
        if self.app_only:
            return [f"{resource}/.default"]
        names = list(BASE_PERMISSIONS) + sorted(set(extra) - set(BASE_PERMISSIONS))
        return [f"{resource}/{name}" for name in names]

    def require_client_id(self) -> None:
        if not self.client_id:
            raise ConfigError(NO_CLIENT_ID.format(config=config_path()))


def _resource(graph_root: str) -> str:
    parts = urlsplit(graph_root)
    return f"{parts.scheme}://{parts.netloc}"


NO_CLIENT_ID = """\
no app registration is configured. cal365 signs in with your own registration in
Microsoft Entra ID (an administrator may have to create it for you):
  1. Entra admin center > App registrations > New registration; supported account types
     as your organisation needs; redirect URI platform "Mobile and desktop applications"
     with http://localhost.
  2. Authentication > Advanced settings > "Allow public client flows" = Yes.
  3. API permissions > Microsoft Graph > Delegated > Calendars.ReadWrite and User.Read
     (and, for others' or group calendars, Calendars.ReadWrite.Shared, Group.Read.All,
     Group.ReadWrite.All: asked for only when used).
Then put its Application (client) id and your tenant in {config}:
  client_id = "<application id>"
  tenant = "<tenant id or domain, or organizations>"
or set CAL365_CLIENT_ID and CAL365_TENANT, or pass --client-id and --tenant.
To look around without an account: cal365 --demo"""


def config_path() -> Path:
    return paths.base_dir("config") / "config.toml"


# Setting name → environment variable. Secrets come from the environment only: a config
# file is too easily copied, committed or shown.
ENV = {
    "profile": "CAL365_PROFILE",
    "client_id": "CAL365_CLIENT_ID",
    "tenant": "CAL365_TENANT",
    "cloud": "CAL365_CLOUD",
    "token_storage": "CAL365_TOKEN_STORAGE",
    "cache": "CAL365_CACHE",
    "sync_every": "CAL365_SYNC_EVERY",
    "client_secret": "CAL365_CLIENT_SECRET",
    "certificate": "CAL365_CLIENT_CERTIFICATE",
    "mailbox": "CAL365_MAILBOX",
    "authority_host": "CAL365_AUTHORITY_HOST",
    "ca_bundle": "CAL365_CA_BUNDLE",
    "graph_url": "CAL365_GRAPH_URL",
}
_FILE_KEYS = frozenset(ENV) - {"client_secret", "profile"}


def read_file(path: Path) -> dict[str, object]:
    import tomllib  # only where there is a file to read: not on every start's path

    try:
        # Bounded, and a regular file only: a FIFO or /dev/zero there must not hang a start.
        text = paths.read_bounded(path, _MAX_CONFIG_BYTES).decode("utf-8")
        return tomllib.loads(text)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {paths.file_problem(exc)}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    except RecursionError as exc:  # arrays or tables nested deeper than the parser goes
        raise ConfigError(f"cannot read {path}: values nested too deeply") from exc


def _file_values(data: dict[str, object], profile: str, path: Path) -> dict[str, str]:
    # [keys] is read by tui.config.keys, for every profile alike.
    values: dict[str, object] = {k: v for k, v in data.items() if k not in ("profiles", "keys")}
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: 'profiles' must be a table of [profiles.<name>] tables")
    chosen = profiles.get(profile)
    if chosen is not None:
        if not isinstance(chosen, dict):
            raise ConfigError(f"{path}: [profiles.{profile}] must be a table")
        values.update(chosen)
    out: dict[str, str] = {}
    for key, value in values.items():
        if key == "client_secret":
            raise ConfigError(
                f"{path}: client_secret is not read from files; set CAL365_CLIENT_SECRET"
            )
        if key == "keys":
            raise ConfigError(f"{path}: [profiles.{profile}.keys]: keys are the same for every "
                              "profile; put them in a [keys] table of their own")
        if key not in _FILE_KEYS:
            raise ConfigError(f"{path}: unknown setting {key!r}")
        if key == "cache" and isinstance(value, bool):
            # `cache = false` reads naturally; true means the default (like tokens).
            if not value:
                out[key] = "off"
            continue
        if key == "sync_every" and isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = str(value)
            continue
        if not isinstance(value, str):
            raise ConfigError(f"{path}: {key} must be a string")
        out[key] = value
    return out


def load_settings(
    flags: Mapping[str, str | None] | None = None,
    environ: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> Settings:
    """Merge file < environment < flags, then check every value."""
    flags = {k: v for k, v in (flags or {}).items() if v}
    environ = os.environ if environ is None else environ
    path = path or config_path()
    env_values = {k: environ[v].strip() for k, v in ENV.items() if environ.get(v, "").strip()}
    profile = check_profile(flags.get("profile") or env_values.get("profile") or "default")
    merged: dict[str, str] = {}
    source: dict[str, str] = {}
    for origin, values in (
        (str(path), _file_values(read_file(path), profile, path)),
        ("environment", env_values),
        ("command line", flags),
    ):
        for key, value in values.items():
            if key in ENV and value:
                merged[key] = value
                source[key] = origin
    merged.pop("profile", None)
    storage = merged.get("token_storage", "keyring").lower()
    if storage not in STORAGES:
        raise ConfigError(f"token storage {storage!r}: use one of {', '.join(STORAGES)}")
    cache = merged.get("cache", storage).lower()
    if cache in _CACHE_OFF:
        cache = "off"
    if cache not in CACHE_MODES:
        raise ConfigError(f"cache {cache!r}: use one of {', '.join(CACHE_MODES)}")
    settings = Settings(
        profile=profile,
        client_id=check_client_id(merged["client_id"]) if "client_id" in merged else "",
        tenant=check_tenant(merged.get("tenant", "organizations")),
        cloud=cloud_named(merged.get("cloud", "global")),
        storage=storage,
        cache=cache,
        sync_every=check_sync_every(merged.get("sync_every", "5")),
        client_secret=merged.get("client_secret", ""),
        certificate=merged.get("certificate", ""),
        mailbox=merged.get("mailbox", ""),
        authority_host=merged.get("authority_host", ""),
        ca_bundle=merged.get("ca_bundle", ""),
        graph_url=merged.get("graph_url", ""),
        source=source,
    )
    if settings.client_secret and settings.certificate:
        raise ConfigError("give a client secret or a certificate for app-only mode, not both")
    if settings.mailbox and not settings.app_only:
        raise ConfigError(
            "mailbox is for app-only mode (with a client secret or certificate); signed in as "
            "yourself, cal365 opens your own calendars"
        )
    if settings.app_only and settings.tenant in ("common", "organizations", "consumers"):
        raise ConfigError(
            "app-only mode needs your tenant id or domain, not "
            f"{settings.tenant!r}: set tenant or CAL365_TENANT"
        )
    for key in ("authority_host", "graph_url"):
        value = getattr(settings, key)
        if value and urlsplit(value).scheme != "https" and not _loopback(value):
            raise ConfigError(f"{key} must be an https URL: {value!r}")
    return settings


def check_sync_every(text: str) -> float:
    """Minutes between background syncs: a number, 0 for none."""
    try:
        minutes = float(text)
    except ValueError:
        minutes = -1.0
    if not 0 <= minutes <= 24 * 60:
        raise ConfigError(f"sync_every {text!r}: give minutes between 0 (off) and 1440")
    return minutes


def _loopback(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")
