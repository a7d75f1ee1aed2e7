"""The user's own keys: the config file's `[keys]` table, command id → key(s).

    [keys]
    refresh = "f5"                  # one key
    quit = ["q", "ctrl+q"]          # or several (a list, or "q,ctrl+q")

The ids are those of the command registry (tui/commands.py, listed in docs/using.md). Here
only the table's shape is checked; whether each id is a command and each key a key is
checked against the registry by `tui.keymap.check_keymap`, which knows both.
"""

from __future__ import annotations

from pathlib import Path

from tui.config.errors import ConfigError
from tui.config.settings import config_path, read_file

# A keymap as Textual takes it: binding id → comma-separated keys.
Keymap = dict[str, str]
_MAX_KEYS = 500  # entries in [keys]; the registry has far fewer commands


def load_keys(path: Path | None = None) -> Keymap:
    """The `[keys]` table of the config file ({} when there is none), each value one
    comma-separated string of keys. ConfigError, naming the file, when it is malformed."""
    path = path or config_path()
    table = read_file(path).get("keys", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'keys' must be a [keys] table of command = \"key\" lines")
    if len(table) > _MAX_KEYS:
        raise ConfigError(f"{path}: [keys] has {len(table)} entries; at most {_MAX_KEYS}")
    keymap: Keymap = {}
    for command, value in table.items():
        keys = [value] if isinstance(value, str) else value
        if (not isinstance(keys, list) or not keys
                or not all(isinstance(key, str) and key.strip() for key in keys)):
            raise ConfigError(f"{path}: [keys] {command}: give a key as a string (\"f5\") or "
                              "several as a list ([\"f5\", \"ctrl+r\"])")
        keymap[command] = ",".join(key.strip() for key in keys)
    return keymap
