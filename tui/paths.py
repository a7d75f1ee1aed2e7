"""Where cal365 keeps its files, and how it writes them: private to the user, atomically.

Config, state (drafts, audit log) and cache are where platformdirs puts each kind: the XDG
base directories on Linux (`$XDG_CONFIG_HOME/cal365`, else `~/.config/cal365`; state and
cache likewise), `~/Library/Application Support/cal365` and `~/Library/Caches/cal365` on
macOS, `%LOCALAPPDATA%\\cal365\\<kind>` on Windows: the folders cal365 always used, so an
existing user's files are still found. `CAL365_HOME` puts everything under one folder (tests,
portable use). Directories are created 0700 and files 0600 because they hold mailbox data and
comments.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

Kind = Literal["config", "state", "cache"]

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
    # Textual imports platformdirs too: on the app's start this costs no extra import.
    from platformdirs import PlatformDirs

    dirs = PlatformDirs("cal365", appauthor=False)
    if sys.platform == "win32":
        # One folder per kind under the app's own, as cal365 always kept them there
        # (platformdirs would put config and state in one, and the cache in "Cache").
        return Path(dirs.user_data_dir) / kind
    if kind == "config":
        return Path(dirs.user_config_dir)
    if kind == "state":
        return Path(dirs.user_state_dir)
    return Path(dirs.user_cache_dir)


def private_dir(kind: Kind) -> Path:
    """The directory for `kind`, created 0700 if missing (and tightened if it is looser)."""
    path = base_dir(kind)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if sys.platform != "win32" and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def file_problem(error: OSError) -> str:
    """A file error in words a user can act on (the path it concerns included)."""
    where = f" ({error.filename})" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return f"the disk is full{where}"
    if error.errno == getattr(errno, "EDQUOT", None):
        return f"the disk quota is used up{where}"
    if error.errno == errno.EROFS:
        return f"the file system is read-only{where}"
    if error.errno == errno.ENOTDIR:
        if error.filename:  # name the file that stands where a folder should be
            wanted = Path(os.fsdecode(error.filename))
            for part in (wanted, *wanted.parents):
                if part.exists() and not part.is_dir():
                    return f"{part} is a file where a folder should be ({wanted})"
        return f"a part of {error.filename or 'the path'} is a file, not a folder"
    if error.errno == errno.EEXIST:
        return f"{error.filename or 'the path'} is there but is not a folder"
    if error.errno == errno.EISDIR:
        return f"{error.filename or 'the path'} is a folder, not a file"
    return f"{error.strerror or error}{where}"


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path` (FileNotFoundError if there is none), at
    most `limit` of them.

    cal365's own files may have been replaced by anything: a FIFO or a terminal (a plain
    read would wait forever), /dev/zero or a huge file (memory without end). Such a file
    raises OSError, as an unreadable one does, so its caller says so and goes on.
    """
    # O_NONBLOCK: opening a FIFO that no one writes to returns at once instead of waiting.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        require_regular(fd, path)
        if os.fstat(fd).st_size > limit:
            raise _too_big(path, limit)
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while read
                raise _too_big(path, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def require_regular(fd: int, path: Path | str) -> None:
    """OSError unless the open file is a regular file (not a FIFO, device or folder)."""
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file (a pipe, a device or a socket)",
                      str(path))


def _too_big(path: Path, limit: int) -> OSError:
    return OSError(errno.EFBIG, f"larger than {limit // 2**20} MB", str(path))


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically, readable by the user only.

    A crash mid-write leaves the old file intact, and no other user can read the new one at
    any moment (the temporary file is 0600 from its creation).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    import tempfile  # on first write: it brings shutil, random and the compressors along

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


def append_private(path: Path, data: bytes, *, close_line: bool = False) -> None:
    """Append `data` to a 0600 file (created if missing): all of it, or nothing.

    For logs of JSON lines, where a torn line is a lost record. The bytes go in one write on
    an O_APPEND descriptor; a short write or an error (a full disk, a quota) cuts the file
    back to its size before, and raises OSError. The file is locked meanwhile, so another
    cal365 appending at the same moment is neither interleaved nor cut back. `close_line`:
    if the file ends mid-line (an older crash, a hand edit), a newline goes first, so that
    line cannot swallow this one.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0),
                 0o600)
    try:
        # A FIFO or a device in the log's place would take the line and keep nothing: the
        # record would be lost without a word. Refused like a file that cannot be written.
        require_regular(fd, path)
        with _locked(fd):
            size = os.fstat(fd).st_size
            if close_line and size:
                os.lseek(fd, size - 1, os.SEEK_SET)
                if os.read(fd, 1) != b"\n":
                    data = b"\n" + data
            try:
                written = os.write(fd, data)
                if written != len(data):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
                os.fsync(fd)  # a disk that fills on write-back says so here, not later
            except OSError:
                # Whole or nothing: what did land is taken back (shrinking needs no space).
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(fd: int) -> Iterator[None]:
    """An exclusive lock on the open file, between cal365 processes. None on Windows: there
    a failed append that is cut back could, rarely, take along a line another cal365
    appended at that very moment."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
