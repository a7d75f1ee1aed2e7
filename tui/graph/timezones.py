"""Time zone names as Graph speaks them: IANA names and the Windows names Exchange uses."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Names Exchange may write that CLDR's table does not hold.
_ALIASES = {"Coordinated Universal Time": "UTC"}


@functools.cache
def windows_to_iana() -> Mapping[str, str]:
    """Every Windows zone name Graph may return in dateTimeTimeZone.timeZone, by its IANA
    zone: CLDR's windowsZones table (territory "001"), as tzlocal keeps it up to date."""
    from tzlocal.windows_tz import win_tz

    return {**win_tz, **_ALIASES}


def zone(name: str) -> ZoneInfo | None:
    """The zone for an IANA or Windows name, or None when unknown."""
    name = name.strip()
    if not name:
        return None
    # IANA names first: a start that meets only those never loads the Windows table. No
    # Windows name is an IANA name of another zone ("UTC", the one that is both, means UTC).
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    iana = windows_to_iana().get(name)
    if iana is None:
        return None
    try:
        return ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_zone_name() -> str:
    """The IANA name of this machine's zone, for `Prefer: outlook.timezone`."""
    env = os.environ.get("TZ", "").lstrip(":")
    if env and zone(env) is not None:
        return env
    try:
        text = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if zone(text) is not None:
            return text
    except OSError:
        pass
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if zone(name) is not None:
                return name
    except OSError:
        pass
    return "UTC"
