"""cal365's settings: the config file, the environment and the command line, checked.

UI-free and at the bottom of the layers: sign-in, the cache, sync and start-up all read
their settings from here. `settings` holds the sign-in and cache settings of a profile;
`keys` the user's own keys (the config file's `[keys]` table).

The names below load with their module on first use: a script command given a ready token
needs only ConfigError, not the settings' parsing (as tui/graph/__init__.py does).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.config.errors import ConfigError
    from tui.config.settings import (
        CACHE_MODES,
        CLOUDS,
        ENV,
        NO_CLIENT_ID,
        STORAGES,
        CacheMode,
        Cloud,
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

_WHERE = {
    "errors": ("ConfigError",),
    "settings": ("CACHE_MODES", "CLOUDS", "ENV", "NO_CLIENT_ID", "STORAGES", "CacheMode",
                 "Cloud", "Settings", "Storage", "check_client_id", "check_profile",
                 "check_sync_every", "check_tenant", "cloud_named", "config_path",
                 "load_settings"),
}
_MODULE = {name: module for module, names in _WHERE.items() for name in names}

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


if not TYPE_CHECKING:  # type checkers see the names imported above instead

    def __getattr__(name: str) -> Any:
        module = _MODULE.get(name)
        if module is None:  # a submodule (tui.config.keys) or a real AttributeError
            raise AttributeError(f"module 'tui.config' has no attribute {name!r}")
        value = getattr(importlib.import_module(f"tui.config.{module}"), name)
        globals()[name] = value  # once: later lookups do not come here
        return value
