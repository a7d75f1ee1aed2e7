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
    # tid and oid as an Entra ID access token carries them (the seed's tenant and the /me
    # user's id, tui/fake/seed.py): what keys the cache of a bare token's account, since
    # Graph's /me has no tenant field (see tui/auth/token_identity.py).
    claims = part({"aud": "https://graph.microsoft.com", "iss": "cal365-fake-graph",
                   "name": "Avery Quinn", "upn": "avery.quinn@fabrikam.onmicrosoft.com",
                   "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47",
                   "oid": "6e2f1c9a-3b7d-4a51-9c2e-8f4b0d7a1e35",
                   "scp": "Calendars.ReadWrite Group.ReadWrite.All User.Read"})
    return f"{header}.{claims}.fake-signature"


DEMO_TOKEN = _demo_token()
