"""The one error of the settings, apart so that a command given a ready token can say a bad
setting without loading the settings' parsing (see tui/config/__init__.py)."""

from __future__ import annotations


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""
