"""`cal365 cache info` and `cal365 cache clear`: the local calendar cache of a profile.

Neither needs the network or the cache's key: info reads only what is stored in the clear
(sizes, counts, times), clear deletes the files and the key.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from tui.auth.config import ConfigError, Settings
from tui.cache import CacheInfo, cache_path, inspect, key_for, remove_cache
from tui.graph.timezones import zone
from tui.script.common import (
    ScriptError,
    emit_json,
    guard,
    settings_of,
    tell,
    timezone_name,
    warn,
)
from tui.script.exits import Exit

_MODES = {
    "keyring": "encrypted, the key in the OS keyring",
    "session": "memory only, for the length of each run (nothing on disk)",
    "plaintext": "UNENCRYPTED 0600 file (your explicit choice)",
    "off": "off: cal365 runs without a calendar cache",
}


def _settings(args: argparse.Namespace) -> Settings:
    if not getattr(args, "demo", False):
        return settings_of(args)
    from tui.startup.opening import (
        demo_settings,  # the demo's own cache, as `cal365 --demo` keeps it
    )

    try:
        return demo_settings(getattr(args, "cache", None))
    except ConfigError as error:
        raise ScriptError(Exit.USAGE, str(error)) from error


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _age(moment: dt.datetime | None, now: dt.datetime, tz: dt.tzinfo) -> str:
    if moment is None:
        return "never"
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 120:
        ago = f"{seconds} s"
    elif seconds < 2 * 3600:
        ago = f"{seconds // 60} min"
    elif seconds < 2 * 86400:
        ago = f"{seconds // 3600} h"
    else:
        ago = f"{seconds // 86400} days"
    return f"{moment.astimezone(tz).strftime('%Y-%m-%d %H:%M %Z')} ({ago} ago)"


def _storage(info: CacheInfo, settings: Settings) -> str:
    if info.encrypted is None:
        return "unknown"
    if info.encrypted:
        return f"encrypted (key in the OS keyring: {key_for(settings.profile).label})"
    return "UNENCRYPTED (plaintext was chosen when it was made)"


def _storage_in_use(args: argparse.Namespace, settings: Settings) -> str:
    """What the cache is kept in: the setting, except for the demo with no usable keyring,
    which keeps it in memory (the same choice its app and every command make)."""
    if getattr(args, "demo", False):
        from tui.startup.opening import demo_storage

        return demo_storage(settings)
    return settings.cache


def _document(info: CacheInfo, settings: Settings, storage: str) -> dict[str, Any]:
    def when(moment: dt.datetime | None) -> str | None:
        return None if moment is None else moment.isoformat(timespec="seconds")

    return {
        "profile": settings.profile, "setting": settings.cache, "storage": storage,
        "path": str(info.path),
        "exists": info.exists, "state": info.state if info.exists else None,
        "bytes": info.size, "encrypted": info.encrypted, "schema": info.schema,
        "created": when(info.created), "lastSync": when(info.last_sync),
        "events": info.events, "calendars": info.calendars, "windows": info.windows,
        "movedAside": [str(p) for p in info.moved_aside],
    }


def _info(args: argparse.Namespace) -> int:
    settings = _settings(args)
    info = inspect(cache_path(settings.profile))
    storage = _storage_in_use(args, settings)
    if args.json:
        emit_json(_document(info, settings, storage))
        return int(Exit.OK)
    now = dt.datetime.now(dt.UTC)
    tz = zone(timezone_name(args)) or dt.UTC  # the zone every other command shows times in
    lines = [f"profile:     {settings.profile}"]
    if storage == settings.cache:
        lines.append(f"setting:     {settings.cache} ({_MODES[settings.cache]})")
    else:
        lines += [f"setting:     {settings.cache}, but there is no usable keyring here",
                  f"in use:      {storage}: {_MODES[storage]}; what the demo does without "
                  "a keyring"]
    if not info.exists and storage == "session":
        lines.append("file:        none: nothing is written")
    elif not info.exists:
        lines.append(f"file:        none yet ({info.path})")
    else:
        lines.append(f"file:        {info.path} (with its -wal and -shm files)")
        lines.append(f"size:        {_size(info.size)}")
        if info.state == "damaged":
            lines.append("state:       DAMAGED: cal365 moves it aside and starts afresh at the "
                         "next start")
        elif info.state == "foreign":
            lines.append("state:       NOT a cal365 cache: cal365 moves it aside at the next "
                         "start")
        else:
            lines += [
                f"storage:     {_storage(info, settings)}",
                f"created:     {_age(info.created, now, tz)}",
                f"last sync:   {_age(info.last_sync, now, tz)}",
                f"events:      {info.events} in {info.calendars} calendar(s)",
                f"windows:     {info.windows} synced date window(s)",
            ]
            if storage == "session":
                lines.append("note:        not in use: the calendar cache is kept in memory "
                             "for each run")
            elif info.encrypted != (storage == "keyring") and storage != "off":
                lines.append(f"note:        made with other storage than the setting now "
                             f"({settings.cache}); the next start replaces it")
    if info.moved_aside:
        lines.append(f"moved aside: {len(info.moved_aside)} earlier file(s), removed by "
                     "`cal365 cache clear`:")
        lines += [f"  {p}" for p in info.moved_aside]
    tell("\n".join(lines))
    return int(Exit.OK)


def _clear(args: argparse.Namespace) -> int:
    settings = _settings(args)
    removed, problem = remove_cache(settings)
    if args.json:
        emit_json({"profile": settings.profile, "removed": removed, "keyringProblem": problem})
    elif removed:
        tell(f"Cleared the calendar cache of profile {settings.profile!r}. Removed:")
        for item in removed:
            tell(f"  {item}")
    else:
        tell(f"No calendar cache to clear for profile {settings.profile!r}.")
    if problem:
        warn(f"the cache's keyring entry could not be removed: {problem}. The cache files are "
             "gone, so the key alone unlocks nothing.")
        return int(Exit.ERROR)
    return int(Exit.OK)


def run(args: argparse.Namespace) -> int:
    action = _clear if args.cache_action == "clear" else _info
    return guard(lambda: action(args))
