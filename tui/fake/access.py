"""Who may ask: the bearer token's check (Graph's 401s, word for word) and the delegated
permissions a request needs (Graph's 403 when the token has none that would do)."""

from __future__ import annotations

from collections.abc import Mapping

from . import routes
from .errors import GraphError, access_denied
from .exchange import Request
from .store import Store

WWW_AUTH = (
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/'
    'authorize", client_id="00000003-0000-0000-c000-000000000000"'
)


def authenticate(req: Request, token: str,
                 scoped_tokens: Mapping[str, frozenset[str]]) -> frozenset[str] | None:
    """The token's permissions (None: all of them, the demo's `token`), or the 401 Graph
    would give."""
    value = (req.header("authorization") or "").strip()
    scheme, _, credential = value.partition(" ")
    credential = credential.strip()
    headers = {"WWW-Authenticate": WWW_AUTH}
    if scheme.lower() != "bearer" or not credential:
        raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.", headers)
    if credential in scoped_tokens:
        return scoped_tokens[credential]
    if credential != token:
        message = (
            "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be"
            " in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPay"
            "load.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey."
            "EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'."
            if "." not in credential else "Access token validation failure. Invalid audience."
        )
        raise GraphError(401, "InvalidAuthenticationToken", message, headers)
    return None


def authorize(store: Store, plan: routes.Plan, method: str, granted: frozenset[str]) -> None:
    """Refuse with Graph's 403 when the token lacks every permission that would do
    (the least privileged ones of Graph's tables, and those above them)."""
    write = method not in ("GET", "HEAD")
    own = plan.owner == "me" or (
        plan.owner == "user" and store.user(plan.owner_key) is store.me_user)
    if plan.kind in ("owner", "memberOf") and plan.owner != "group":
        if own:
            enough = {"User.Read", "User.ReadWrite", "User.Read.All", "Directory.Read.All"}
        else:
            enough = {"User.ReadBasic.All", "User.Read.All", "Directory.Read.All"}
        if not granted & enough:
            raise GraphError(403, "Authorization_RequestDenied",
                             "Insufficient privileges to complete the operation.")
        return
    if plan.owner == "group":
        enough = {"Group.ReadWrite.All"} if write else {"Group.Read.All",
                                                         "Group.ReadWrite.All"}
    elif own:
        enough = {"Calendars.ReadWrite"} if write else {"Calendars.Read",
                                                        "Calendars.ReadWrite"}
    else:
        enough = {"Calendars.ReadWrite.Shared"} if write else {
            "Calendars.Read.Shared", "Calendars.ReadWrite.Shared"}
    if not granted & enough:
        raise access_denied()
