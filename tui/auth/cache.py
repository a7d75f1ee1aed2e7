"""Where MSAL's token cache lives between runs.

* `KeyringStore`: the serialized cache is Fernet-encrypted in a 0600 file; only the random
  44-character key sits in the OS keyring. A whole cache (several KB) does not fit in a
  Windows credential (about 1,280 characters); a key does, on every OS.
* `PlaintextStore`: the user's explicit choice when no keyring is usable; a 0600 file.
* `MemoryStore`: session-only; nothing touches the disk.

Two cal365 instances share the file: every read-modify-write runs under `FileLock`, and a
reader reloads whenever the file changed since it last looked.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Protocol

from tui import paths
from tui.config import Settings
from tui.secrets.envelope import KeyringKey
from tui.secrets.filelock import FileLock, NullLock


class CacheUnreadable(Exception):
    """The saved cache cannot be used (wrong key, damaged, unsafe permissions)."""


class TokenStore(Protocol):
    description: str
    persistent: bool

    def lock(self) -> FileLock | NullLock: ...
    def changed(self) -> bool: ...
    def load(self) -> str | None: ...
    def save(self, state: str) -> None: ...
    def wipe(self) -> list[str]: ...


def cache_dir() -> Path:
    return paths.base_dir("state")


class _FileStore:
    """What both file-backed stores share: the path, the lock and change detection."""

    suffix = ""
    persistent = True

    def __init__(self, profile: str, directory: Path | None = None) -> None:
        self.directory = directory or cache_dir()
        self.path = self.directory / f"token-cache.{profile}.{self.suffix}"
        self._seen: tuple[int, int] | None = None

    def lock(self) -> FileLock:
        return FileLock(self.path.with_name(self.path.name + ".lock"))

    def _stamp(self) -> tuple[int, int] | None:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def changed(self) -> bool:
        """True if another process wrote the file since this one last read or wrote it."""
        return self._stamp() != self._seen

    def _read(self) -> bytes | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            self._seen = None
            return None
        if sys.platform != "win32":
            info = self.path.stat()
            if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
                raise CacheUnreadable(
                    f"{self.path} is readable by others or not yours; cal365 will not use it "
                    f"(fix with: chmod 600 {self.path}, or delete it and sign in again)"
                )
        self._seen = self._stamp()
        return data

    def _write(self, data: bytes) -> None:
        paths.write_private(self.path, data)
        self._seen = self._stamp()

    def remove_files(self) -> list[str]:
        removed = []
        for path in (self.path, self.path.with_name(self.path.name + ".lock")):
            if path.exists():
                path.unlink()
                removed.append(str(path))
        self._seen = None
        return removed


class KeyringStore(_FileStore):
    """Fernet-encrypted file; the key is in the OS keyring ("cal365", "token-cache-key:…")."""

    suffix = "fernet"

    def __init__(
        self, profile: str, directory: Path | None = None, timeout: float = 5.0
    ) -> None:
        super().__init__(profile, directory)
        self.key = KeyringKey(f"token-cache-key:{profile}", timeout)
        self.description = f"encrypted file {self.path}, key in the OS keyring"

    def check(self) -> None:
        """Raise KeyringUnavailable unless the keyring answers (and may prompt) right now."""
        self.key.get(create=False)

    def load(self) -> str | None:
        data = self._read()
        if data is None:
            return None
        key = self.key.get(create=False)
        if key is None:
            raise CacheUnreadable("the key for the saved sign-in is gone from the keyring")
        from cryptography.fernet import Fernet, InvalidToken

        try:
            return Fernet(key).decrypt(data).decode("utf-8")
        except (InvalidToken, UnicodeDecodeError, ValueError):
            raise CacheUnreadable(
                "the saved sign-in cannot be decrypted with the key in the keyring"
            ) from None

    def save(self, state: str) -> None:
        from cryptography.fernet import Fernet

        key = self.key.get(create=True)
        assert key is not None
        self._write(Fernet(key).encrypt(state.encode("utf-8")))

    def wipe(self) -> list[str]:
        removed = self.remove_files()
        if self.key.delete():
            removed.append(self.key.label)
        return removed


PLAINTEXT_WARNING = (
    "tokens are stored UNENCRYPTED in {path} (you chose --token-storage plaintext); anyone "
    "who can read that file can act as you until you run: cal365 logout"
)


class PlaintextStore(_FileStore):
    suffix = "json"

    def __init__(self, profile: str, directory: Path | None = None) -> None:
        super().__init__(profile, directory)
        self.description = f"UNENCRYPTED file {self.path} (0600)"

    @property
    def warning(self) -> str:
        return PLAINTEXT_WARNING.format(path=self.path)

    def load(self) -> str | None:
        data = self._read()
        return None if data is None else data.decode("utf-8", errors="replace")

    def save(self, state: str) -> None:
        self._write(state.encode("utf-8"))

    def wipe(self) -> list[str]:
        return self.remove_files()


class MemoryStore:
    description = "memory only (this session)"
    persistent = False

    def __init__(self) -> None:
        self._state: str | None = None

    def lock(self) -> NullLock:
        return NullLock()

    def changed(self) -> bool:
        return False

    def load(self) -> str | None:
        return self._state

    def save(self, state: str) -> None:
        self._state = state

    def wipe(self) -> list[str]:
        had = self._state is not None
        self._state = None
        return ["tokens in memory"] if had else []


def store_for(settings: Settings, directory: Path | None = None) -> TokenStore:
    # App-only mode holds its credential already; its short-lived tokens stay in memory.
    if settings.storage == "session" or settings.app_only:
        return MemoryStore()
    if settings.storage == "plaintext":
        return PlaintextStore(settings.profile, directory)
    return KeyringStore(settings.profile, directory)


def other_stores(settings: Settings, directory: Path | None = None) -> list[TokenStore]:
    """The file stores of this profile that the current setting does not use (for logout)."""
    stores: list[TokenStore] = []
    if settings.storage != "plaintext":
        stores.append(PlaintextStore(settings.profile, directory))
    return stores
