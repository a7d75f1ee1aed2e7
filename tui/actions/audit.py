"""The audit log: one JSON line per write cal365 sent (a cancel, a reply to an invitation, a
delete), from the TUI or the command line.

It lives in the user's state directory (`audit.jsonl`, 0600, in a 0700 folder) and answers
"what did I cancel (accept, decline, delete), when, with what comment, and what did Graph
say": time, the write (`action`; lines from before replies have none and are cancels),
mailbox, event id, subject, start, comment, outcome, Graph's request-id (which
administrators can trace) and, when known, the signed-in account.
It never holds a token: entries are built only from the fields below.

Writers append one whole line per cancel, or nothing (`tui.paths.append_private`), and check
that the log can take its records before anything is sent (`check_writable`); readers skip
lines they cannot parse (a hand edit, an older cal365's crash) and say how many they skipped,
so one bad line never hides the rest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from tui.actions.outcome import (
    DONE_WORD,
    OUTCOMES,
    Outcome,
    audit_outcome,
    classify,
    classify_item,
)
from tui.graph import jsonpages
from tui.graph.batch import BatchItemOutcome
from tui.graph.errors import GraphError
from tui.graph.models import usable_moment
from tui.graph.urls import EventRef, Mailbox
from tui.paths import (
    append_private,
    base_dir,
    file_problem,
    private_dir,
    read_bounded,
    require_regular,
)

AUDIT_FILE = "audit.jsonl"
# Years of cancels are a few megabytes; past this the file is not a log cal365 wrote, and
# reading it would take memory without end (a symlink to /dev/zero).
MAX_BYTES = 256 * 2**20

Source = Literal["tui", "cli"]
# The writes a line can record (`tui.graph.writes.WRITES`, named here so that reading the
# log loads no HTTP stack).
ACTIONS = ("cancel", "accept", "tentativelyAccept", "decline", "delete")
_DONE_WORDS = frozenset(DONE_WORD.values())
_WRITE_WORD = {"accept": "accept", "tentativelyAccept": "tentative", "decline": "decline",
               "delete": "delete"}


def audit_path() -> Path:
    """Where the log lives (its folder is created 0700 if missing)."""
    return private_dir("state") / AUDIT_FILE


def log_path() -> Path:
    """Where the log lives, creating nothing: for reading it, or for saying where it is."""
    return base_dir("state") / AUDIT_FILE


class AuditUnwritable(Exception):
    """The audit log cannot take a record now; checked before a cancel is sent."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write the audit log {path}: {reason}")
        self.path = path
        self.reason = reason


# What a record may hold beyond its subject and comment: ids (twice: the path too), mailbox,
# account, Graph's request-id and error text (known only once Graph answers).
_RECORD_EXTRA = 2048
# Written beside the log to prove it can take a record now (quotas, a full disk), at most.
_PROBE_MOST = 64 * 1024
_PROBE = ".audit-probe."
# Left free after the records: the drafts file is rewritten after a cancel, too.
_HEADROOM = 64 * 1024


def record_size(subject: str, comment: str | None) -> int:
    """A generous size for the record of one cancel of an event with that subject."""
    known = json.dumps([subject, comment], ensure_ascii=False).encode("utf-8")
    return len(known) + _RECORD_EXTRA


def check_writable(size: int) -> Path:
    """The log's path, if `size` bytes of records can be appended to it now; else raise
    AuditUnwritable (nothing may then be sent).

    Its folder must exist or be made, the log must open for appending, a probe of a
    record's bytes must be written (and fsynced) beside it, and the disk must have room for
    all the records and some to spare. A disk can still fill between this check and the
    write: `append` then leaves no torn line and raises, for the caller to say so.
    """
    target = log_path()
    try:
        folder = private_dir("state")
        target = folder / AUDIT_FILE
        # Non-blocking: opening a FIFO put in the log's place would wait for a reader for
        # ever. It must be a regular file: a FIFO or a device keeps no record.
        fd = os.open(target, os.O_RDWR | os.O_APPEND | os.O_CREAT
                     | getattr(os, "O_NONBLOCK", 0), 0o600)
        try:
            require_regular(fd, target)
        finally:
            os.close(fd)
        for stale in folder.glob(f"{_PROBE}*"):  # left by a kill mid-check, not another's
            with contextlib.suppress(OSError):
                if time.time() - stale.stat().st_mtime > 60:
                    stale.unlink()
        fd, probe = tempfile.mkstemp(prefix=_PROBE, dir=folder)
        try:
            left = min(size, _PROBE_MOST)
            while left > 0:
                written = os.write(fd, b"\0" * min(left, 8192))
                if written <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))
                left -= written
            os.fsync(fd)
        finally:
            os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(probe)
        if hasattr(os, "statvfs"):
            stats = os.statvfs(folder)
            if stats.f_bavail * stats.f_frsize < size + _HEADROOM:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))
    except OSError as error:
        raise AuditUnwritable(target, file_problem(error)) from error
    return target


def cannot_record(subjects: Iterable[str], comment: str | None) -> str | None:
    """Why the log cannot take the records of cancels of events with these subjects now
    (None: it can), for the app and `cal365 cancel` to check before anything is sent."""
    try:
        check_writable(sum(record_size(subject, comment) for subject in subjects))
    except AuditUnwritable as problem:
        return str(problem)
    return None


def mailbox_label(mailbox: Mailbox) -> str:
    """`me`, `users/{id or UPN}` or `groups/{id}`: whose calendar the cancel went to."""
    if mailbox.kind == "me":
        return "me"
    return f"{'users' if mailbox.kind == 'user' else 'groups'}/{mailbox.id}"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    time: dt.datetime  # when the answer came (UTC)
    mailbox: str  # see mailbox_label
    event_id: str
    subject: str
    start: str | None  # ISO 8601 with offset, as shown to the user
    comment: str | None  # None: no comment sent (attendees got the default notice)
    outcome: Outcome
    request_id: str | None  # Graph's request-id header, when it answered
    error: str | None = None  # Graph's message (or the network failure) when not done
    path: str | None = None  # the URL path the write went to, relative to the Graph root
    source: Source = "cli"
    account: str | None = None  # the signed-in user (UPN), when known
    action: str = "cancel"  # the write: one of ACTIONS

    @property
    def said(self) -> str:
        """The outcome as the log's readers show it: a done write's word says which write
        it was ("declined"), so does a cancel's outcome (as always); any other write's
        other outcome is named with its write ("decline failed")."""
        if self.action == "cancel" or self.outcome in _DONE_WORDS:
            return self.outcome
        return f"{_WRITE_WORD.get(self.action, self.action)} {self.outcome}"

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "mailbox": self.mailbox,
            "eventId": self.event_id,
            "subject": self.subject,
            "start": self.start,
            "comment": self.comment,
            "outcome": self.outcome,
            "requestId": self.request_id,
            "error": self.error,
            "path": self.path,
            "source": self.source,
            "account": self.account,
            "action": self.action,
        }

    @classmethod
    def from_json(cls, obj: object) -> AuditEntry | None:
        """The entry a line holds, or None when it is not one of ours."""
        if not isinstance(obj, dict):
            return None
        required = ("time", "mailbox", "eventId", "outcome")
        if not all(isinstance(obj.get(key), str) for key in required):
            return None
        try:
            time = dt.datetime.fromisoformat(obj["time"])
        except ValueError:
            return None
        if time.tzinfo is None:
            time = time.replace(tzinfo=dt.UTC)
        # A time at the ends of what datetime holds (a hand edit, a hostile file) overflows
        # when shown in another zone: such a line is unreadable, as a malformed one is.
        if usable_moment(time, dt.UTC, True) is None:
            return None
        outcome = obj["outcome"]
        if outcome not in OUTCOMES:
            return None
        source = obj.get("source")
        action = obj.get("action", "cancel")  # lines from before replies are cancels
        if action not in ACTIONS:
            return None

        def text(key: str) -> str | None:
            value = obj.get(key)
            return value if isinstance(value, str) else None

        return cls(
            time=time,
            mailbox=obj["mailbox"],
            event_id=obj["eventId"],
            subject=text("subject") or "",
            start=_usable_start(text("start")),
            comment=text("comment"),
            outcome=outcome,
            request_id=text("requestId"),
            error=text("error"),
            path=text("path"),
            source="tui" if source == "tui" else "cli",
            account=text("account"),
            action=action,
        )


def entry_for(
    ref: EventRef,
    *,
    subject: str,
    start: dt.datetime | None,
    comment: str | None,
    error: BaseException | None = None,
    request_id: str | None = None,
    source: Source,
    account: str | None = None,
    when: dt.datetime | None = None,
    action: str = "cancel",
) -> AuditEntry:
    """The entry for one write (`action`) sent to `ref`: done (error None) or
    refused/failed."""
    message: str | None = None
    if isinstance(error, GraphError):
        message = error.message
        request_id = request_id or error.request_id
    elif error is not None:
        message = str(error) or error.__class__.__name__
    blank = comment is None or not comment.strip()
    return AuditEntry(
        time=when or dt.datetime.now(dt.UTC),
        mailbox=mailbox_label(ref.mailbox),
        event_id=ref.event_id,
        subject=subject,
        start=start.isoformat() if start is not None else None,
        comment=None if blank else comment,
        outcome=audit_outcome(classify(error), action),
        request_id=request_id,
        error=message,
        path=_path(ref, action),
        source=source,
        account=account or None,
        action=action,
    )


def entry_for_batch(
    item: BatchItemOutcome,
    *,
    subject: str,
    start: dt.datetime | None,
    comment: str | None,
    source: Source,
    account: str | None = None,
    action: str = "cancel",
) -> AuditEntry:
    """The entry for one event of a bulk write; `item.reason` is Graph's code and message."""
    return AuditEntry(
        time=dt.datetime.now(dt.UTC),
        mailbox=mailbox_label(item.ref.mailbox),
        event_id=item.ref.event_id,
        subject=subject,
        start=start.isoformat() if start is not None else None,
        comment=comment if comment is not None and comment.strip() else None,
        outcome=audit_outcome(classify_item(item), action),
        request_id=item.request_id,
        error=(item.reason or None) if item.status != "done" else None,
        path=_path(item.ref, action),
        source=source,
        account=account or None,
        action=action,
    )


def _path(ref: EventRef, action: str) -> str:
    """Where the write went, relative to the Graph root (a DELETE to the event itself)."""
    return ref.path if action == "delete" else ref.action_path(action)


def _usable_start(start: str | None) -> str | None:
    """A logged meeting start as it is, or None when it is a time too near datetime's
    limits to be moved to another zone (every reader shows it in the viewer's)."""
    if start is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(start)
    except ValueError:
        return start  # shown as text, as logged
    return start if usable_moment(moment.replace(tzinfo=moment.tzinfo or dt.UTC), dt.UTC,
                                  True) is not None else None


def append(entry: AuditEntry, path: Path | None = None) -> None:
    """Add one whole line to the log, or nothing; raises OSError when it cannot be written
    (disk full…).

    A line left unfinished by an older crash is closed first, so it cannot swallow this one.
    """
    append_many([entry], path)


def append_many(entries: list[AuditEntry], path: Path | None = None) -> None:
    """Add a whole line for each entry in one write (and one flush to the disk), or nothing
    at all, as `append` does for one."""
    target = path or audit_path()
    line = "".join(json.dumps(entry.to_json(), ensure_ascii=False, separators=(",", ":"))
                   + "\n" for entry in entries)
    with contextlib.suppress(FileNotFoundError):
        # An older or copied file may be looser; the log holds comments. Tightened first.
        if sys.platform != "win32" and target.stat().st_mode & 0o077:
            target.chmod(0o600)
    append_private(target, line.encode("utf-8"), close_line=True)


@dataclass(frozen=True, slots=True)
class AuditLog:
    entries: list[AuditEntry]  # oldest first
    skipped: int  # lines that could not be read


def read(limit: int | None = None, path: Path | None = None) -> AuditLog:
    """The log's entries, oldest first (the last `limit` when given); missing file: empty.

    Raises OSError only when the file exists but cannot be read.
    """
    target = path or audit_path()
    try:
        raw = read_bounded(target, MAX_BYTES)
    except FileNotFoundError:
        return AuditLog([], 0)
    entries: list[AuditEntry] = []
    skipped = 0
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        try:
            # Decoded as Graph's answers are: a line nested too deep is one unreadable
            # line, and an escaped lone surrogate is U+FFFD (printable, writable).
            entry = AuditEntry.from_json(jsonpages.decode(line.decode("utf-8")))
        except (ValueError, UnicodeDecodeError):
            entry = None
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    if limit is not None:
        entries = entries[-limit:] if limit > 0 else []
    return AuditLog(entries, skipped)
