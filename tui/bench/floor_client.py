"""The floor for scenario 10: a plain standard-library client that lists a calendar window.

Run by path (`python tui/bench/floor_client.py BASE_URL FIRST_URL TIMEZONE`, the token in
CAL365_ACCESS_TOKEN), so that no package of cal365 is imported: it is what a short script
with urllib and json alone costs. It sends the requests `cal365 events` sends (the same
first URL, with its `$top` and `$select`, then every @odata.nextLink; the same token and
Prefer headers) and prints the same tab-separated lines for ordinary data, in one write.
It trusts the server entirely: a floor, not a client to use.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from datetime import date
from typing import Any


def _when(event: dict[str, Any]) -> str:
    start = event["start"]["dateTime"]
    end = event["end"]["dateTime"]
    day, end_day = start[:10], end[:10]
    if event.get("isAllDay"):
        days = (date.fromisoformat(end_day) - date.fromisoformat(day)).days
        return f"{day} all day" + (f" ({days} days)" if days > 1 else "")
    if day == end_day:
        return f"{day} {start[11:16]}-{end[11:16]}"
    return f"{day} {start[11:16]}-{end_day} {end[11:16]}"


# The user's response as `cal365 events` adds it to an attendee's role.
_RESPONSES = {"accepted": ",accepted", "tentativelyAccepted": ",tentative",
              "declined": ",declined", "notResponded": ",not-responded"}


def _line(event: dict[str, Any]) -> str:
    if event.get("isOrganizer"):
        role = "organizer"
    else:
        status = event.get("responseStatus") or {}
        role = "attendee" + _RESPONSES.get(str(status.get("response")), "")
    if event.get("isCancelled"):
        role += ",cancelled"
    who = (event.get("organizer") or {}).get("emailAddress") or {}
    label = who.get("name") or who.get("address") or "(unknown)"
    return "\t".join((_when(event), role, event.get("subject") or "(no subject)", label,
                      event["id"]))


def main() -> int:
    base_url, url, timezone = sys.argv[1:4]
    headers = {"Authorization": f"Bearer {os.environ['CAL365_ACCESS_TOKEN']}",
               "Prefer": f'outlook.timezone="{timezone}"', "Accept": "application/json"}
    lines: list[str] = []
    next_url: str | None = f"{base_url.rstrip('/')}/{url}"
    while next_url:
        request = urllib.request.Request(next_url, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            page = json.loads(response.read())
        lines.extend(_line(event) for event in page["value"])
        next_url = page.get("@odata.nextLink")
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
