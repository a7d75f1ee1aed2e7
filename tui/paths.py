"""Where cal365 keeps its files, and how it writes them: private to the user, atomically.

Config, state (drafts, audit log) and cache follow the XDG base directories on Linux and the
usual places elsewhere; `CAL365_HOME` puts everything under one folder (tests, portable use).
Directories are created 0700 and files 0600 because they hold mailbox data and comments.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

Kind = Literal["config", "state", "cache"]

_XDG = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "state": ("XDG_STATE_HOME", ".local/state"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}


# Set while the demo runs (`--demo`, the app or a script command): its drafts and audit log
# go to a `demo` folder of the state directory, its calendar cache to one of the cache
# directory, never among a real account's.
_demo_depth = 0


@contextlib.contextmanager
def demo_files(active: bool = True) -> Iterator[None]:
    """Within this block (when `active`), state files are the demo's own."""
    global _demo_depth
    if not active:
        yield
        return
    _demo_depth += 1
    try:
        yield
    finally:
        _demo_depth -= 1


def base_dir(kind: Kind) -> Path:
    path = _base_dir(kind)
    return path / "demo" if kind in ("state", "cache") and _demo_depth else path


def _base_dir(kind: Kind) -> Path:
    home = os.environ.get("CAL365_HOME")
    if home:
        return Path(home) / kind
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(root) / "cal365" / kind
    if sys.platform == "darwin":
        sub = {"config": "Application Support", "state": "Application Support", "cache": "Caches"}
        return Path.home() / "Library" / sub[kind] / "cal365"
    variable, default = _XDG[kind]
    root = os.environ.get(variable) or str(Path.home() / default)
    return Path(root) / "cal365"


def private_dir(kind: Kind) -> Path:
    """The directory for `kind`, created 0700 if missing (and tightened if it is looser)."""
    path = base_dir(kind)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if sys.platform != "win32" and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically, readable by the user only.

    A crash mid-write leaves the old file intact, and no other user can read the new one at
    any moment (the temporary file is 0600 from its creation).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def append_private(path: Path, data: bytes) -> None:
    """Append to a 0600 file (created if missing), as one write, for logs of JSON lines."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
