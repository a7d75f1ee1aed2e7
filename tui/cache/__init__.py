"""The local calendar cache: what cal365 has seen, so a start paints before any request.

UI-free (never imports Textual). `open_cache` picks the storage the settings name:

* "keyring": payloads Fernet-encrypted, the key in the OS keyring (the token cache's
  envelope, under its own keyring entry); raises KeyringUnavailable when there is none;
* "session": the same tables in memory, gone at exit;
* "plaintext": the user's explicit choice, with `PLAINTEXT_WARNING` at every start;
* "off": no cache (None).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from tui import paths
from tui.config import Settings
from tui.secrets.envelope import KeyringKey
from tui.secrets.filelock import FileLock
from tui.secrets.keyring_access import DEFAULT_TIMEOUT, KeyringUnavailable, unavailable_message

if TYPE_CHECKING:
    from tui.cache.cipher import Cipher
    from tui.cache.codec import CachedTree, LastView, MailboxSection
    from tui.cache.database import CacheError, Owner
    from tui.cache.diagnostics import CacheInfo, inspect
    from tui.cache.store import CacheStore
    from tui.cache.windows import Applied, CachedWindow, DeltaRoundLike, Target

# The store and its parts (SQLite, the codec, the Graph models) load on first use: a warm
# start's first frame is read without them (see `peek_frame`, run in a child process).
_LAZY = {
    "codec": ("CachedTree", "LastView", "MailboxSection"),
    "database": ("CacheError", "Owner"),
    "diagnostics": ("CacheInfo", "inspect"),
    "store": ("CacheStore",),
    "windows": ("Applied", "CachedWindow", "DeltaRoundLike", "Target"),
}
_MODULE = {name: module for module, names in _LAZY.items() for name in names}


if not TYPE_CHECKING:  # type checkers see the names imported above instead

    def __getattr__(name: str) -> Any:
        module = _MODULE.get(name)
        if module is None:
            raise AttributeError(f"module 'tui.cache' has no attribute {name!r}")
        value = getattr(importlib.import_module(f"tui.cache.{module}"), name)
        globals()[name] = value
        return value

# What the app calls (in a worker thread) to open the cache; None: no cache this run.
CacheOpener: TypeAlias = "Callable[[], CacheStore | None]"

PLAINTEXT_WARNING = (
    "the calendar cache is stored UNENCRYPTED in {path} (you chose plaintext storage); "
    "anyone who can read that file can read your calendar. Clear it with: cal365 cache clear"
)

CACHE_CHOICES = (
    "Or choose, explicitly, one of:\n"
    "  --cache session    keep the calendar cache in memory for this run only\n"
    "  --cache plaintext  an unencrypted 0600 file (a warning shows at every start)\n"
    "  --no-cache         no calendar cache at all\n"
    "(also cache in the config file, or CAL365_CACHE)"
)


def plaintext_warning(settings: Settings, directory: Path | None = None) -> str | None:
    """The warning to show at every start while the cache is kept unencrypted, or None."""
    if settings.cache != "plaintext":
        return None
    return PLAINTEXT_WARNING.format(path=cache_path(settings.profile, directory))


def keyring_advice(error: KeyringUnavailable, platform: str | None = None) -> str:
    """What to tell a user whose keyring cannot hold the cache's key: fix it, or choose."""
    return unavailable_message(error.reason, platform, CACHE_CHOICES)


def cache_path(profile: str, directory: Path | None = None) -> Path:
    """Where a profile's calendar cache lives (the directory is not created here)."""
    return (directory or paths.base_dir("cache")) / f"calendar.{profile}.sqlite3"


def key_for(profile: str, timeout: float = DEFAULT_TIMEOUT) -> KeyringKey:
    return KeyringKey(f"calendar-cache-key:{profile}", timeout)


def open_cache(
    settings: Settings,
    owner: Owner,
    directory: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> CacheStore | None:
    """The profile's cache as the settings choose it, checked and ready; None when off.

    Raises KeyringUnavailable (keyring mode without a usable keyring: the caller offers the
    choices in CACHE_CHOICES) and CacheError (the file cannot be created at all). Whatever was
    moved aside or rebuilt is in the store's `take_notices()`. It may wait for the keyring
    (up to `timeout`) and another instance's write: call it from a worker thread.
    """
    from tui.cache.cipher import FernetCipher, PlainCipher
    from tui.cache.store import CacheStore

    if settings.cache == "off":
        return None
    if settings.cache == "session":
        return CacheStore(None, PlainCipher(), owner)
    path = cache_path(settings.profile, directory)
    if directory is None:
        paths.private_dir("cache")
    else:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # One process at a time creates the key and the schema: two first starts at once must
    # not each write a key of their own to the keyring.
    with FileLock(path.with_name(path.name + ".lock")):
        cipher: Cipher
        if settings.cache == "plaintext":
            cipher = PlainCipher()
        else:
            key = key_for(settings.profile, timeout)
            secret = key.get(create=False)
            if secret is None:
                secret = key.get(create=True)
            assert secret is not None
            cipher = FernetCipher(secret)
        return CacheStore(path, cipher, owner)


def peek_frame(settings: Settings, owner: Owner, fit: str, directory: Path | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> bytes | None:
    """The sealed last frame of `fit` in the profile's cache, read without changing or
    creating anything: None if there is no such frame, or no cache file, or it cannot be
    read as this account's with the key at hand."""
    from tui.cache import session
    from tui.cache.cipher import FernetCipher, PlainCipher

    if settings.cache not in ("keyring", "plaintext"):
        return None
    path = cache_path(settings.profile, directory)
    if not path.is_file():
        return None
    cipher: Cipher = PlainCipher()
    if settings.cache == "keyring":
        try:
            secret = key_for(settings.profile, timeout).get(create=False)
        except KeyringUnavailable:
            return None
        if secret is None:
            return None
        cipher = FernetCipher(secret)
    return session.peek_frame(path, cipher, owner, fit)


def remove_cache(settings: Settings, directory: Path | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> tuple[list[str], str | None]:
    """Delete the profile's cache files (moved-aside ones too) and its keyring key.

    Returns what was removed and, if an encrypted cache was removed but the keyring could
    not be asked to forget its key, why (the files are gone all the same, so the key
    unlocks nothing).
    """
    from tui.cache.database import CacheError, moved_aside, sidecars
    from tui.cache.diagnostics import inspect

    path = cache_path(settings.profile, directory)
    try:
        encrypted = inspect(path).encrypted
    except CacheError:
        encrypted = None
    removed: list[str] = []
    for base in [path, *moved_aside(path)]:
        for each in sidecars(base):
            if each.exists():
                each.unlink()
                removed.append(str(each))
    path.with_name(path.name + ".lock").unlink(missing_ok=True)
    key = key_for(settings.profile, timeout)
    try:
        if key.delete():
            removed.append(key.label)
    except KeyringUnavailable as exc:
        # A key left behind unlocks nothing once the files are gone; worth a word only when
        # an encrypted cache was removed (or one of unknown kind, with keyring storage).
        sealed = encrypted if encrypted is not None else settings.cache == "keyring"
        if removed and sealed:
            return removed, exc.reason
    return removed, None


__all__ = [
    "CACHE_CHOICES",
    "PLAINTEXT_WARNING",
    "Applied",
    "CacheError",
    "CacheInfo",
    "CacheStore",
    "CachedTree",
    "CachedWindow",
    "DeltaRoundLike",
    "LastView",
    "MailboxSection",
    "Owner",
    "Target",
    "cache_path",
    "inspect",
    "key_for",
    "keyring_advice",
    "open_cache",
    "peek_frame",
    "plaintext_warning",
    "remove_cache",
]
