"""How a cache payload is sealed: compressed, then Fernet-encrypted (or, by choice, not).

The Fernet key is the token cache's envelope (`tui.secrets.envelope`): random, kept in the OS
keyring. Tokens are stored as raw bytes rather than Fernet's base64 (a quarter smaller).
Lookups need ids without revealing them: `digest` is an HMAC keyed from the same key, so
the clear columns hold no event id, calendar id or address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import zlib
from typing import Protocol


class SealBroken(Exception):
    """A payload cannot be opened with this key (another key, or damaged bytes)."""


class Cipher(Protocol):
    encrypted: bool

    def seal(self, data: bytes) -> bytes: ...
    def open(self, data: bytes) -> bytes: ...
    def digest(self, data: bytes) -> bytes: ...


# Compression level 1: most of the gain (JSON of attendee lists repeats itself) at a
# fraction of the time of the default level.
_LEVEL = 1


class FernetCipher:
    encrypted = True

    def __init__(self, key: bytes) -> None:
        from cryptography.fernet import Fernet

        self._fernet = Fernet(key)
        self._index_key = hashlib.sha256(b"cal365 cache index\0" + key).digest()

    def seal(self, data: bytes) -> bytes:
        token = self._fernet.encrypt(zlib.compress(data, _LEVEL))
        return base64.urlsafe_b64decode(token)

    def open(self, data: bytes) -> bytes:
        from cryptography.fernet import InvalidToken

        try:
            return zlib.decompress(self._fernet.decrypt(base64.urlsafe_b64encode(data)))
        except (InvalidToken, zlib.error, ValueError):
            raise SealBroken("a cached payload does not open with the key in the keyring") from None

    def digest(self, data: bytes) -> bytes:
        return hmac.new(self._index_key, data, hashlib.sha256).digest()[:16]


class PlainCipher:
    """The user's explicit choice of an unencrypted cache: compressed only."""

    encrypted = False

    def seal(self, data: bytes) -> bytes:
        return zlib.compress(data, _LEVEL)

    def open(self, data: bytes) -> bytes:
        try:
            return zlib.decompress(data)
        except zlib.error:
            raise SealBroken("a cached payload is damaged") from None

    def digest(self, data: bytes) -> bytes:
        return hashlib.sha256(b"cal365 cache index\0" + data).digest()[:16]
