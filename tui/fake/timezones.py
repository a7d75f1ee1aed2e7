"""Zone names as Exchange accepts them (IANA and Windows) and Graph's dateTime formatting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.UTC

# Windows zone ids Exchange understands in `Prefer: outlook.timezone` and writes in
# originalStartTimeZone, for the zones the fake's mailboxes and tests use: the fake's own
# table, written by hand apart from the client's (CLDR's, through tzlocal), so that a wrong
# entry in either shows when tests/fake/test_fake_timezones.py compares the two. IANA links
# (Asia/Kolkata for Asia/Calcutta) on purpose: the same zone under another name. A Windows
# name not here is treated as one Exchange does not know (the preference is not applied).
WINDOWS: dict[str, str] = {
    "UTC": "UTC",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Alaskan Standard Time": "America/Anchorage",
    "Pacific Standard Time": "America/Los_Angeles",
    "US Mountain Standard Time": "America/Phoenix",
    "Mountain Standard Time": "America/Denver",
    "Central Standard Time": "America/Chicago",
    "Eastern Standard Time": "America/New_York",
    "Atlantic Standard Time": "America/Halifax",
    "Newfoundland Standard Time": "America/St_Johns",
    "E. South America Standard Time": "America/Sao_Paulo",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Central European Standard Time": "Europe/Warsaw",
    "GTB Standard Time": "Europe/Bucharest",
    "FLE Standard Time": "Europe/Kyiv",
    "E. Europe Standard Time": "Europe/Chisinau",
    "Turkey Standard Time": "Europe/Istanbul",
    "Russian Standard Time": "Europe/Moscow",
    "Israel Standard Time": "Asia/Jerusalem",
    "Egypt Standard Time": "Africa/Cairo",
    "South Africa Standard Time": "Africa/Johannesburg",
    "Arabian Standard Time": "Asia/Dubai",
    "Iran Standard Time": "Asia/Tehran",
    "Pakistan Standard Time": "Asia/Karachi",
    "India Standard Time": "Asia/Kolkata",
    "Sri Lanka Standard Time": "Asia/Colombo",
    "Nepal Standard Time": "Asia/Kathmandu",
    "SE Asia Standard Time": "Asia/Bangkok",
    "China Standard Time": "Asia/Shanghai",
    "Tokyo Standard Time": "Asia/Tokyo",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Chatham Islands Standard Time": "Pacific/Chatham",
}
# Looked up case-insensitively, as Exchange does.
_WINDOWS: dict[str, str] = {name.lower(): iana for name, iana in WINDOWS.items()}


def resolve(name: str) -> dt.tzinfo | None:
    """The tzinfo for a Windows or IANA zone name, or None if Exchange would not know it."""
    name = name.strip()
    if not name:
        return None
    iana = _WINDOWS.get(name.lower(), name)
    if iana == "UTC":
        return UTC
    try:
        return ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def graph_local(moment: dt.datetime, tz: dt.tzinfo) -> str:
    """`2026-11-23T09:00:00.0000000`: wall time in `tz`, 7 fraction digits, no offset."""
    local = moment.astimezone(tz)
    return f"{local:%Y-%m-%dT%H:%M:%S}.{local.microsecond:06d}0"


def graph_date(day: dt.date) -> str:
    """Midnight of `day`, as all-day events carry it whatever the zone."""
    return f"{day.isoformat()}T00:00:00.0000000"


def graph_utc(moment: dt.datetime) -> str:
    """`2026-11-20T08:12:45.1234560Z` for createdDateTime and friends."""
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}0Z"


def graph_utc_seconds(moment: dt.datetime) -> str:
    """`2026-11-20T08:12:45Z`, the responseStatus.time form."""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"


def parse_window_value(value: str) -> dt.datetime | None:
    """An ISO 8601 calendarView bound; no offset means UTC (as the docs say)."""
    text = value.strip()
    # A `+` offset sent unencoded in a query string arrives as a space.
    if len(text) > 19 and text[19:20] == " ":
        text = text[:19] + "+" + text[20:]
    elif " " in text[10:] and text.count(":") >= 3:
        head, _, tail = text.rpartition(" ")
        text = f"{head}+{tail}"
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
