"""A full disk under the audit log, for tests: every write to the log lands half its bytes
(as a nearly full disk does) or none (ENOSPC); writes to any other file go through."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

import pytest

REAL_WRITE = os.write
MODES = ("short write", "ENOSPC")


def _is_audit_log(fd: int) -> bool:
    with contextlib.suppress(OSError):
        return os.readlink(f"/proc/self/fd/{fd}").endswith("audit.jsonl")
    return False


def fill_audit_disk(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """From now on the audit log's disk is full (until `monkeypatch` is undone)."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the audit log's descriptor")

    def write(fd: int, data: bytes) -> int:  # type: ignore[override]
        if not _is_audit_log(fd):
            return REAL_WRITE(fd, data)
        if mode == "ENOSPC":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return REAL_WRITE(fd, bytes(data)[: len(data) // 2])

    monkeypatch.setattr(os, "write", write)
