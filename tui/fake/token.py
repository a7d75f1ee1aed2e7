"""The demo's access token: light to import, for a process that only needs to present it."""

from __future__ import annotations

import base64
import json


def _demo_token() -> str:
    """A fixed, unsigned JWT-shaped token: obviously fake, but shaped like the real thing."""
    def part(data: dict[str, object]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    header = part({"typ": "JWT", "alg": "none"})
    claims = part({"aud": "https://graph.microsoft.com", "iss": "cal365-fake-graph",
                   "name": "Avery Quinn", "upn": "avery.quinn@fabrikam.onmicrosoft.com",
                   "scp": "Calendars.ReadWrite Group.ReadWrite.All User.Read"})
    return f"{header}.{claims}.fake-signature"


DEMO_TOKEN = _demo_token()
