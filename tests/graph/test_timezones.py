"""Windows and IANA zone names as Graph writes them, resolved by the client."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest

from tui.graph.models import parse_datetime
from tui.graph.timezones import windows_to_iana, zone

ROOT = Path(__file__).resolve().parents[2]
NOVEMBER = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize(("name", "iana", "offset"), [
    ("Sri Lanka Standard Time", "Asia/Colombo", dt.timedelta(hours=5, minutes=30)),
    ("Iran Standard Time", "Asia/Tehran", dt.timedelta(hours=3, minutes=30)),
    ("Nepal Standard Time", "Asia/Katmandu", dt.timedelta(hours=5, minutes=45)),
    ("Chatham Islands Standard Time", "Pacific/Chatham", dt.timedelta(hours=13, minutes=45)),
])
def test_zones_the_old_table_lacked_resolve(name: str, iana: str, offset: dt.timedelta) -> None:
    found = zone(name)
    assert found is not None and found.key == iana
    assert NOVEMBER.astimezone(found).utcoffset() == offset


@pytest.mark.parametrize(("name", "wall"), [("Sri Lanka Standard Time", "14:30"),
                                            ("Iran Standard Time", "12:30")])
def test_an_event_in_such_a_zone_is_read_at_the_right_moment(name: str, wall: str) -> None:
    when = {"dateTime": f"2026-11-23T{wall}:00.0000000", "timeZone": name}
    moment = parse_datetime(when, dt.UTC)
    assert moment is not None and moment.astimezone(dt.UTC) == NOVEMBER


def test_every_windows_name_resolves_to_a_zone_zoneinfo_knows() -> None:
    table = windows_to_iana()
    # CLDR's windowsZones holds about 140 Windows zones; the old hand-kept table had 45.
    assert len(table) >= 135
    known = available_timezones()
    for name, iana in table.items():
        assert iana in known, (name, iana)
        found = zone(name)
        assert found is not None, name
        assert found.key == iana or (name, found.key) == ("UTC", "UTC"), (name, found.key)
        assert zone(f"  {name} ") == found


def test_no_windows_name_is_an_iana_name_of_another_zone() -> None:
    """zone() tries a name as IANA first, so a Windows name that were also an IANA name
    would resolve to the IANA zone: that holds only of "UTC", which means UTC either way."""
    known = available_timezones()
    both = {name: iana for name, iana in windows_to_iana().items() if name in known}
    assert set(both) <= {"UTC"}
    for name, iana in both.items():
        assert NOVEMBER.astimezone(ZoneInfo(name)).utcoffset() == NOVEMBER.astimezone(
            ZoneInfo(iana)).utcoffset()


@pytest.mark.parametrize("name", ["", "   ", "Nowhere Standard Time", "Nowhere/City",
                                  "../../etc/passwd", "/etc/localtime", "America"])
def test_unknown_names_are_none(name: str) -> None:
    assert zone(name) is None


def test_names_of_the_former_table_keep_their_zone() -> None:
    for name, iana in {"W. Europe Standard Time": "Europe/Berlin",
                       "Pacific Standard Time": "America/Los_Angeles",
                       "India Standard Time": "Asia/Calcutta",
                       "FLE Standard Time": "Europe/Kiev",
                       "Coordinated Universal Time": "UTC", "UTC": "UTC"}.items():
        found = zone(name)
        assert found is not None and found.key == iana, name


def test_an_iana_name_does_not_load_the_windows_table() -> None:
    """A start whose zones are IANA names (the machine's, most mailboxes') skips the load."""
    code = ("import sys\nfrom tui.graph.timezones import zone\n"
            "zone('Europe/Berlin'); zone('UTC')\nbefore = 'tzlocal' in sys.modules\n"
            "zone('Iran Standard Time')\nprint(before, 'tzlocal' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.split() == ["False", "True"]
