"""Whose account a bare access token (CAL365_ACCESS_TOKEN) belongs to, so that its calendar
cache is keyed by that account exactly as for a user signed in with `cal365 login`
(`Owner.of`: "<object id>.<tenant id>", the MSAL home account id).

Graph's /me gives the object id (`id`) and the user principal name, but no tenant. The
tenant comes from the token's `tid` claim; the object id is also its `oid` claim, which
lets a start with no network (a warm start, `events --offline`) open the right cache.

Unverified, and said so where it matters: Microsoft documents access tokens as opaque to
clients. Entra ID work and school tokens for Graph are JWTs carrying `tid`, `oid` and `upn`
(v1 and v2 tokens alike) today; that may change, and a personal account's token is not a
readable JWT. The claims are read without checking the signature (only Graph can), so
they only choose which local cache to open: whenever the network is used, the object id
is checked against /me first, and a token whose claims do not name its own account gets
no cache. A token without readable claims gets no cache either, with a message.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

# A GUID, as Entra writes tenant and object ids.
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# Claims are a few hundred bytes; a huge "token" is not decoded.
_MAX_TOKEN = 64 * 1024

NO_CLAIMS = (
    "CAL365_ACCESS_TOKEN does not name its account (not a token with readable tenant and "
    "object id claims), so there is no calendar cache for it"
)


@dataclass(frozen=True, slots=True)
class TokenIdentity:
    """The account a token names; shaped like tui.auth.provider.Identity."""

    username: str
    tenant_id: str
    object_id: str

    @property
    def home_account_id(self) -> str:
        return f"{self.object_id}.{self.tenant_id}".lower()


def claims(token: str) -> dict[str, Any]:
    """The payload of a JWT-shaped token, unverified; {} when it is not one."""
    parts = token.strip().split(".")
    if len(token) > _MAX_TOKEN or len(parts) != 3:
        return {}
    payload = parts[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def identity_from_token(token: str) -> TokenIdentity | None:
    """The account the token's claims name (offline), or None when they name none."""
    data = claims(token)
    tenant, oid = data.get("tid"), data.get("oid")
    if not (isinstance(tenant, str) and isinstance(oid, str)
            and _GUID.match(tenant) and _GUID.match(oid)):
        return None
    name = next((v for k in ("upn", "preferred_username", "unique_name")
                 if isinstance(v := data.get(k), str) and v), "")
    # Untrusted text: printable characters only (it may be shown one day), and bounded.
    name = "".join(ch for ch in name[:320] if ch.isprintable())
    return TokenIdentity(name, tenant.lower(), oid.lower())


def check_against_me(identity: TokenIdentity, me_id: str) -> str | None:
    """Why the token's claims cannot be used for `/me`'s account, or None when they match."""
    if me_id.strip().lower() != identity.object_id:
        return ("CAL365_ACCESS_TOKEN's claims name another account than Graph's /me, so "
                "there is no calendar cache for it")
    return None
