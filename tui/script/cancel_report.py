"""What a write command (`cal365 cancel`, `respond`, `delete`) says about each event: its
`Result`, a line on stdout (or the JSON document at the end) and, for one not done, why on
stderr, in the write's own `Words`.

A reader that goes away (`| head`) stops no write: the rest go and are audited, stderr says
so. A closed stderr (`2>&1 | head`) does not stop them either.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.actions import audit
from tui.actions.outcome import Kind, audit_outcome, classify, classify_item
from tui.graph.batch import BatchItemOutcome
from tui.graph.errors import GraphError
from tui.graph.models import Event
from tui.graph.urls import EventRef
from tui.script.cancel_lookup import Target
from tui.script.common import ScriptError, describe_error, emit_line
from tui.script.common import warn as _warn_on_stderr
from tui.script.events import when_label
from tui.script.exits import EXIT_BY_KIND, Exit
from tui.words import printable


def warn(message: str) -> None:
    """A message on stderr, when stderr can take it: a closed stderr (`2>&1 | head`) must
    not stop cancels half way, nor turn the run's outcome into a quiet exit 0."""
    with contextlib.suppress(OSError):
        _warn_on_stderr(message)


@dataclass(frozen=True, slots=True)
class Words:
    """How a command names its write (`action`: cancel, accept, …): "refusing to {verb}",
    "{n} {nouns} went to Graph", and `no`, the outcome when the user answered no."""

    verb: str
    noun: str
    nouns: str
    action: str
    no: str = "answered-no"

    def outcome(self, kind: Kind) -> str:
        """The outcome word of `kind`, as printed (and as the audit log has it)."""
        return audit_outcome(kind, self.action)

    @property
    def done(self) -> str:
        """The outcome of a write that went through: cancelled, accepted, declined, …"""
        return self.outcome("done")


CANCEL = Words("cancel", "cancel", "cancels", "cancel", no="declined")


@dataclass(frozen=True, slots=True)
class Result:
    ref: EventRef
    subject: str
    when: str
    start: str | None
    outcome: str  # an audit outcome, or `Words.no` (looked up, not sent: the user said no)
    code: Exit
    sent: bool
    request_id: str | None = None
    message: str | None = None
    audited: bool = False  # its record is in the audit log (only a sent cancel has one)

    def to_json(self, path: str | None = None) -> dict[str, Any]:
        """`path`: where the write went (default: the event's cancel path)."""
        return {
            "eventId": self.ref.event_id,
            "subject": self.subject,
            "start": self.start,
            "outcome": self.outcome,
            "sent": self.sent,
            "requestId": self.request_id,
            "error": self.message,
            "path": path or self.ref.cancel_path,
            "audited": self.audited,
            "exitCode": int(self.code),
        }


def message(item: BatchItemOutcome, words: Words = CANCEL) -> str | None:
    """What to tell the user about one event whose write was not done (None: it was)."""
    reason = item.reason or (f"HTTP {item.http_status}" if item.http_status else "no reason given")
    kind = classify_item(item)
    if kind == "done":
        return None
    text = {
        "not-organizer": f"you are not the organizer. Graph: {reason}",
        "is-organizer": f"you organize this meeting, and Graph takes no reply from its "
                        f"organizer (`cal365 cancel` cancels it). Graph: {reason}",
        "not-found": f"not found on the server ({reason})",
        "unknown": f"cannot tell whether it was {words.done} ({reason}); check with "
                   "`cal365 events` before sending again",
    }.get(kind, f"not {words.done}: {reason}")
    if text and item.http_status == 401:
        text += "; sign in again"
    if text and item.request_id:
        text += f" (request-id {item.request_id})"
    return text


def timing(event: Event | None) -> tuple[str, str, str | None]:
    """The subject, the when and the start (ISO) of an event, as far as it was looked up."""
    if event is None:
        return "", "?", None
    return event.subject, when_label(event), event.start.isoformat() if event.start else None


def looked_up(target: Target, error: GraphError, words: Words = CANCEL) -> Result:
    """An event the look-up could not find or read: reported, never sent."""
    kind = classify(error)
    return Result(target.ref, "", "?", None, words.outcome(kind), EXIT_BY_KIND[kind], False,
                  error.request_id, describe_error(error))


def sent(item: BatchItemOutcome, event: Event | None, words: Words = CANCEL) -> Result:
    subject, when, start = timing(event)
    kind = classify_item(item)
    return Result(item.ref, subject, when, start, words.outcome(kind), EXIT_BY_KIND[kind], True,
                  item.request_id, message(item, words))


def declined(ref: EventRef, event: Event | None, words: Words = CANCEL) -> Result:
    """Looked up, not sent: the user answered no at the question."""
    subject, when, start = timing(event)
    return Result(ref, subject, when, start, words.no, Exit.ERROR, False)


def failure(error: BaseException) -> str:
    return error.message if isinstance(error, ScriptError) else describe_error(error)


def unconfirmed(target: Target, error: BaseException | str, words: Words = CANCEL) -> Result:
    """A write whose outcome was never reported because something failed (or, as a str,
    happened) once sending had begun: it may have gone out."""
    subject, when, start = timing(target.event)
    why = error if isinstance(error, str) else failure(error)
    text = (f"cannot tell whether it was {words.done} ({why}); check with "
            "`cal365 events` before sending again")
    return Result(target.ref, subject, when, start, "unconfirmed", Exit.UNREACHABLE, True,
                  None, text)


INTERRUPTED = "interrupted (Ctrl+C) before Graph answered"


def not_sent(target: Target) -> Result:
    """A write the interrupt stopped before it was handed to the network."""
    return Result(target.ref, *timing(target.event), "not-sent", Exit.ERROR, False,
                  message="not sent: interrupted (Ctrl+C) before it went out")


class Stdout:
    """Stdout for the outcomes. A reader that goes away (`| head`) must not stop writes
    already asked for half way: the rest still go, each is audited, and stderr says where
    the outcomes are."""

    def __init__(self, words: Words = CANCEL) -> None:
        self.closed = False
        self.words = words

    def write(self, emit: Callable[[], None]) -> None:
        if self.closed:
            return
        try:
            emit()
            sys.stdout.flush()
        except BrokenPipeError:
            self.closed = True
            # Later writes, and Python's flush at exit, go nowhere instead of failing.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
            warn(f"the output was closed; the {self.words.nouns} asked for still go, and each "
                 f"outcome is written to the audit log {audit.log_path()} (see `cal365 audit`)")


def report(result: Result, as_json: bool, out: Stdout) -> None:
    if not as_json:
        out.write(lambda: emit_line(result.outcome, result.when,
                                        printable(result.subject or "-"),
                                        printable(result.ref.event_id)))
    if result.message:
        name = printable(result.subject or result.ref.event_id, 80)
        warn(f"{name}: {result.message}")
