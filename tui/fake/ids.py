"""Deterministic ids in the shapes Graph uses: Exchange REST ids, change keys, iCalUIds, GUIDs.

Exchange REST ids are base64 of a binary store id. Graph's default ("restId") form swaps `+`
for `_` and `/` for `-`, but ids carrying `/` and `+` still reach clients, so the seed can ask
for those on purpose (clients must escape them in paths).
"""

from __future__ import annotations

import base64
import hashlib
import uuid

# "AAMkA…" prefix: the version/flags header every mailbox item id in the wild starts with.
_HEADER = b"\x00\x03\x24\x00"
_FOLDER_MARK = b"\x00\x46\x00\x00\x00\x00\x00"


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()


def guid(*parts: str) -> str:
    """A stable GUID (lower-case, hyphenated) for directory objects and class ids."""
    return str(uuid.UUID(bytes=_digest("guid", *parts)[:16]))


def rest_safe(raw_id: str) -> str:
    """The REST (URL-safe) spelling of a standard base64 id."""
    return raw_id.replace("+", "_").replace("/", "-")


def _has_raw_chars(value: str) -> bool:
    return "/" in value or "+" in value


def _assemble(prefix: bytes, seed: tuple[str, ...], raw_chars: bool) -> str:
    nonce = 0
    while True:
        body = _digest("item", *seed, str(nonce))
        # prefix (65) + 43 + 2 = 110 bytes -> 148 base64 chars ending in "AAA=".
        text = base64.b64encode(prefix + body + body[:11] + b"\x00\x00").decode("ascii")
        if not raw_chars:
            return rest_safe(text)
        if "/" in text and "+" in text:
            return text
        nonce += 1


def store_id(mailbox_key: str, *parts: str, raw_chars: bool = False) -> str:
    """An item/folder id (148 chars, ends in `AAA=`) unique to (mailbox, parts).

    `raw_chars=True` keeps standard base64 and guarantees at least one `/` and one `+`;
    otherwise the id uses Graph's URL-safe alphabet.
    """
    mailbox = str(uuid.UUID(bytes=_digest("mbx", mailbox_key)[:16])).encode("ascii")
    store = _digest("store", mailbox_key)[:16]
    prefix = _HEADER + mailbox + _FOLDER_MARK + store + b"\x07\x00"
    return _assemble(prefix, (mailbox_key, *parts), raw_chars)


def derived(parent_id: str, *parts: str) -> str:
    """A new id derived from another (an occurrence of a series, a moved item).

    It keeps the parent's mailbox prefix and alphabet, so an occurrence of a series whose id
    has `/` has one too.
    """
    try:
        prefix = base64.b64decode(parent_id.replace("-", "+").replace("_", "/"))[:65]
    except ValueError:
        prefix = b""
    if len(prefix) != 65:
        return store_id(parent_id, *parts, raw_chars=_has_raw_chars(parent_id))
    return _assemble(prefix, (parent_id, *parts), _has_raw_chars(parent_id))


def change_key(*parts: str) -> str:
    """A change key like `DwAAABYAAAD…` (also used, wrapped, as the `@odata.etag`)."""
    blob = b"\x0f\x00\x00\x00\x16\x00\x00\x00" + _digest("ck", *parts)[:22]
    return base64.b64encode(blob).decode("ascii")


def ical_uid(*parts: str) -> str:
    """An Outlook global object id in hex, the form iCalUId and uid take."""
    return (
        "040000008200E00074C5B7101A82E00800000000"
        + _digest("ical", *parts)[:8].hex().upper()
        + "00000000000000001000000"
        + _digest("ical2", *parts)[:16].hex().upper()
    )
