"""cal365's settings: the config file, the environment and the command line, checked.

UI-free and at the bottom of the layers: sign-in, the cache, sync and start-up all read
their settings from here. `settings` holds the sign-in and cache settings of a profile;
`keys` the user's own keys (the config file's `[keys]` table).
"""

from tui.config.settings import (
    CACHE_MODES,
    CLOUDS,
    ENV,
    NO_CLIENT_ID,
    STORAGES,
    CacheMode,
    Cloud,
    ConfigError,
    Settings,
    Storage,
    check_client_id,
    check_profile,
    check_sync_every,
    check_tenant,
    cloud_named,
    config_path,
    load_settings,
)

__all__ = [
    "CACHE_MODES",
    "CLOUDS",
    "ENV",
    "NO_CLIENT_ID",
    "STORAGES",
    "CacheMode",
    "Cloud",
    "ConfigError",
    "Settings",
    "Storage",
    "check_client_id",
    "check_profile",
    "check_sync_every",
    "check_tenant",
    "cloud_named",
    "config_path",
    "load_settings",
]
