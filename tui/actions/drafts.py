"""Cancel-comment drafts, kept per (mailbox, event) and saved on every change.

A comment the user typed must survive a refused or failed cancel, a crash and a kill, so
each change rewrites the drafts file atomically (`tui.paths.write_private`: 0600 in a 0700
directory). A file that cannot be read is moved aside, never deleted, and the store starts
empty with a message for the user (`Drafts.problem`); nothing here raises on bad data.

One mailbox has several names in Graph's URLs (`/users/{upn}`, `/users/{object id}`, an
address): the store keeps the names learned to be one mailbox (`same_mailbox`, saved in the
file as "aliases") and files every draft under that mailbox's one key, whichever name the
event was reached through. Older cal365 read such a file and ignore the aliases.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.paths import base_dir, file_problem, private_dir, read_bounded, write_private

FILE_NAME = "drafts.json"
_VERSION = 1
# Far more than anyone types; a bigger file is not a drafts file cal365 wrote.
MAX_BYTES = 64 * 2**20


class DraftsError(Exception):
    """The drafts file could not be written. The draft is still held in memory."""


@dataclass(frozen=True, slots=True)
class Recovered:
    """A drafts file that could not be read, and where it was moved."""

    reason: str
    moved_to: Path | None

    @property
    def message(self) -> str:
        where = (f"it was moved to {self.moved_to}" if self.moved_to is not None
                 else "it could not be moved aside")
        return f"saved comment drafts could not be read ({self.reason}); {where}"


class Drafts:
    """Drafts keyed by (mailbox label, event id). Load with `Drafts.load()`."""

    def __init__(self, path: Path, entries: dict[tuple[str, str], str] | None = None,
                 recovered: Recovered | None = None,
                 aliases: dict[str, str] | None = None, unusable: str | None = None) -> None:
        self.path = path
        self._entries: dict[tuple[str, str], str] = dict(entries or {})
        self._aliases: dict[str, str] = dict(aliases or {})  # a mailbox name -> its key
        self.recovered = recovered
        self.unusable = unusable  # why the state folder cannot hold drafts, if it cannot
        # Changes not yet saved (the last save failed): applied again on the next save.
        self._pending: dict[tuple[str, str], str | None] = {}
        self._pending_aliases: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def problem(self) -> str | None:
        """A line for the status bar if the saved drafts could not be restored."""
        if self.unusable is not None:
            return self.unusable
        return self.recovered.message if self.recovered is not None else None

    @classmethod
    def load(cls, path: Path | None = None) -> Drafts:
        """The drafts saved last time (none if there is no file); never raises on bad data."""
        if path is None:
            try:
                path = private_dir("state") / FILE_NAME
            except OSError as exc:  # the folder cannot be made: drafts live in memory only
                return cls(base_dir("state") / FILE_NAME, unusable=(
                    f"comment drafts cannot be saved ({file_problem(exc)}); they are kept "
                    "until cal365 quits"))
        try:
            raw = read_bounded(path, MAX_BYTES)
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            return cls(path, recovered=_move_aside(path, exc.strerror or str(exc)))
        try:
            entries, aliases = _parse(raw)
        except ValueError as exc:
            return cls(path, recovered=_move_aside(path, str(exc)))
        return cls(path, entries, aliases=aliases)

    def mailbox_key(self, mailbox: str) -> str:
        """The key drafts of `mailbox` (a `Mailbox.key`) are filed under."""
        return self._aliases.get(mailbox, mailbox)

    def knows(self, mailbox: str) -> bool:
        """`mailbox` has been matched with its other names (`same_mailbox`)."""
        return mailbox in self._aliases or mailbox in self._aliases.values()

    def same_mailbox(self, names: Iterable[str], key: str) -> None:
        """`names` (mailbox keys) and `key` are one mailbox, filed under `key` from now on
        (under the key already chosen for it, if `key` has one): drafts kept under the other
        names move there, and save. Two drafts of one event under two names are both kept,
        one after the other: neither was sent."""
        key = self._aliases.get(key, key)
        given = set(names)
        names = {n for n in given if n != key} | {
            a for a, k in self._aliases.items() if k in given and a != key}
        changes = {name: key for name in names if self._aliases.get(name) != key}
        if not self.knows(key):
            changes[key] = key  # known from now on, if only by the one name
        if changes or any(m in names for m, _ in self._entries):
            self._change({}, changes)

    def get(self, mailbox: str, event_id: str) -> str | None:
        return self._entries.get((self.mailbox_key(mailbox), event_id))

    def put(self, mailbox: str, event_id: str, text: str) -> None:
        """Keep `text` as the draft for that event (an empty text removes it), and save."""
        key = (self.mailbox_key(mailbox), event_id)
        if text == "":
            self.discard(mailbox, event_id)
            return
        if self._entries.get(key) == text and key not in self._pending:
            return
        self._change({key: text})

    def discard(self, mailbox: str, event_id: str) -> None:
        """Forget the draft (after its cancel went through), and save."""
        self._change({(self.mailbox_key(mailbox), event_id): None})

    def discard_events(self, mailbox: str, event_ids: Iterable[str]) -> None:
        """Forget the drafts of events that are cancelled or gone (one save for them all)."""
        key = self.mailbox_key(mailbox)
        self._change({(key, e): None for e in event_ids})

    def _change(self, changes: dict[tuple[str, str], str | None],
                aliases: dict[str, str] | None = None) -> None:
        """Apply `changes` to the file as it is now, not as it was at load: another cal365
        (a second terminal, `cal365 cancel`) may have saved or dropped drafts since. One
        change at a time: a dialog saves its comment from a thread while it is typed."""
        with self._lock:
            self._change_now(changes, aliases)

    def _change_now(self, changes: dict[tuple[str, str], str | None],
                    aliases: dict[str, str] | None) -> None:
        self._pending.update(changes)
        self._pending_aliases.update(aliases or {})
        on_disk = _read_quietly(self.path)
        old_entries, old_aliases = (self._entries, self._aliases) if on_disk is None \
            else on_disk
        known = {**old_aliases, **self._pending_aliases}
        entries = _filed(old_entries, known)
        for (mailbox, event_id), text in self._pending.items():
            key = (known.get(mailbox, mailbox), event_id)
            if text is None:
                entries.pop(key, None)
            else:
                entries[key] = text
        self._entries, self._aliases = entries, known
        if on_disk is None or (entries, known) != on_disk:
            self._save()  # on failure the changes stay pending, and in memory
        self._pending.clear()
        self._pending_aliases.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        for (mailbox, event_id), text in self._entries.items():
            yield mailbox, event_id, text

    def _save(self) -> None:
        payload: dict[str, object] = {
            "version": _VERSION,
            "drafts": [{"mailbox": m, "event": e, "text": t} for m, e, t in self],
        }
        if self._aliases:
            payload["aliases"] = dict(sorted(self._aliases.items()))
        data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
        try:
            write_private(self.path, data)
        except OSError as exc:
            raise DraftsError(
                f"could not save comment drafts to {self.path}"
                f" ({file_problem(exc)}); they are kept until cal365 quits"
            ) from exc


def _filed(entries: dict[tuple[str, str], str], aliases: dict[str, str]
           ) -> dict[tuple[str, str], str]:
    """`entries` with each draft under its mailbox's key; two of one event are joined."""
    filed: dict[tuple[str, str], str] = {}
    for (mailbox, event_id), text in entries.items():
        key = (aliases.get(mailbox, mailbox), event_id)
        there = filed.get(key)
        filed[key] = text if there is None or there == text else (  # the key's own first
            f"{text}\n\n{there}" if key[0] == mailbox else f"{there}\n\n{text}")
    return filed


def _parse(raw: bytes) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    try:
        # The file is untrusted: nesting too deep for the decoder is a damaged file too.
        data: Any = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise ValueError("not valid JSON: nested too deeply") from None
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        raise ValueError("not a cal365 drafts file")
    items = data.get("drafts")
    if not isinstance(items, list):
        raise ValueError("not a cal365 drafts file")
    entries: dict[tuple[str, str], str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("a draft entry is not an object")
        mailbox, event_id, text = item.get("mailbox"), item.get("event"), item.get("text")
        if not (isinstance(mailbox, str) and isinstance(event_id, str)
                and isinstance(text, str)):
            raise ValueError("a draft entry lacks its mailbox, event or text")
        # An escaped lone surrogate in the file could never be written out again.
        entries[(_whole(mailbox), _whole(event_id))] = _whole(text)
    found = data.get("aliases", {})
    if not (isinstance(found, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in found.items())):
        raise ValueError("the mailbox aliases are not names of mailboxes")
    return entries, {_whole(k): _whole(v) for k, v in found.items()}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole(text: str) -> str:
    """`text` with any lone surrogate as U+FFFD, so it can be encoded and saved again."""
    return _SURROGATE.sub("\ufffd", text)


_Filed = tuple[dict[tuple[str, str], str], dict[str, str]]


def _read_quietly(path: Path) -> _Filed | None:
    """The drafts (and aliases) in the file now; None if it cannot be read (then memory is
    the truth)."""
    try:
        return _parse(read_bounded(path, MAX_BYTES))
    except FileNotFoundError:
        return {}, {}
    except (OSError, ValueError):
        return None


def _move_aside(path: Path, reason: str) -> Recovered:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    try:
        os.replace(path, target)
    except OSError:
        return Recovered(reason, None)
    return Recovered(reason, target)
