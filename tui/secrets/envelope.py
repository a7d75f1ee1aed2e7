"""The envelope both local stores use: a random Fernet key kept in the OS keyring.

The token cache and the calendar cache each keep their own key under ("cal365", user): a
key is 44 characters, small enough for every OS keyring (Windows caps a credential at about
1,280 characters), while the data it locks stays in a file of any size.
"""

from __future__ import annotations

from tui.secrets import keyring_access


class KeyringKey:
    """One Fernet key in the keyring, read once and then kept in memory."""

    def __init__(self, user: str, timeout: float = keyring_access.DEFAULT_TIMEOUT) -> None:
        self.user = user
        self.timeout = timeout
        self._key: bytes | None = None

    def get(self, create: bool) -> bytes | None:
        """The key; a new random one saved first if `create` and none is stored.

        Raises KeyringUnavailable when the keyring does not answer (or is not a secure one).
        """
        if self._key is None:
            stored = keyring_access.get_secret(self.user, self.timeout)
            if stored:
                self._key = stored.encode("ascii")
            elif create:
                from cryptography.fernet import Fernet

                key = Fernet.generate_key()
                keyring_access.set_secret(self.user, key.decode("ascii"), self.timeout)
                self._key = key
        return self._key

    def delete(self) -> bool:
        """Remove the key from the keyring; False if there was none."""
        self._key = None
        return keyring_access.delete_secret(self.user, self.timeout)

    @property
    def label(self) -> str:
        return f"keyring entry {keyring_access.SERVICE}/{self.user}"
