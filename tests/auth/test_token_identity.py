"""Reading the account a bare access token names: only well-formed claims count."""

from __future__ import annotations

import base64
import json

import pytest

from tui.auth.token_identity import check_against_me, claims, identity_from_token

TID = "8C0DC7E4-1B1C-4D0E-9B58-5A3F3C5E1A01"
OID = "2f9b6f43-8a1e-4a9f-bb1a-3c2f4a0e7d11"


def token(payload: object) -> str:
    raw = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
    return "eyJ0eXAiOiJKV1QifQ." + base64.urlsafe_b64encode(raw).decode().rstrip("=") + ".sig"


def test_tid_and_oid_key_the_account_as_msal_does() -> None:
    identity = identity_from_token(token({"tid": TID, "oid": OID, "upn": "megan@contoso.com"}))
    assert identity is not None
    assert identity.home_account_id == f"{OID}.{TID.lower()}"
    assert identity.username == "megan@contoso.com"
    assert check_against_me(identity, OID.upper()) is None
    assert check_against_me(identity, "another-id") is not None


@pytest.mark.parametrize("value", [
    "opaque", "a.b", "a.b.c.d", "x.!!!.y", token(b"\xff\xfe"), token([1, 2]),
    token({"tid": TID}), token({"tid": TID, "oid": 7}), token({"tid": "../etc", "oid": OID}),
    token({"tid": TID, "oid": OID + "x"}), token(b"[" * 100_000), "x." + "A" * 70_000 + ".y",
])
def test_anything_else_names_no_account(value: str) -> None:
    assert identity_from_token(value) is None


def test_claims_of_a_non_jwt_are_empty() -> None:
    assert claims("not a token") == {}


def test_the_name_claim_is_kept_printable() -> None:
    identity = identity_from_token(token({"tid": TID, "oid": OID,
                                          "upn": "a\x1b]52;c;eA==\x07\u202eb@c.d"}))
    assert identity is not None and identity.username == "a]52;c;eA==b@c.d"
