"""`cal365 cancel`: cancel meetings by id, with one comment, each outcome reported and audited.

Flow: check the options; with --dry-run print the exact requests and stop (nothing at all is
sent, not even a read). Otherwise look each event up (subject and start for the prompt and the
audit log; a missing one is reported without sending), ask on a terminal unless --yes, then
send the cancels through Graph JSON batching (`GraphClient.cancel_many`: at most 20 per
batch, nothing sent twice without a check) and report each outcome as it comes. Every
cancel sent is appended to the audit log, so nothing is sent unless the log can take the
records (checked before the look-ups and again just before sending); a record that still
cannot be written is said on stderr and gives exit 7. Whatever fails once sending has begun
never reads as "certainly not sent". An id given twice is sent once.

Ctrl+C once sending began does not just stop: each event is reported as cancelled, unconfirmed
(handed to the network, no answer yet; audited as such) or not-sent, and the exit code is 8.
A reader that goes away (`| head`) stops no cancel: the rest go and are audited, stderr says so.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tui.actions import audit
from tui.actions.cancel import batches, cannot_record, plan, record
from tui.actions.drafts import Drafts, DraftsError
from tui.actions.outcome import AUDIT_OUTCOME, classify, classify_item
from tui.graph.batch import MAX_REQUESTS, BatchItemOutcome, BulkCancel
from tui.graph.client import GraphClient
from tui.graph.errors import (
    AuthenticationRequired,
    GraphError,
    GraphUnavailable,
)
from tui.graph.models import Event
from tui.graph.urls import BATCH_PATH, EventRef
from tui.paths import file_problem
from tui.script.common import (
    ScriptError,
    Session,
    calendar_from,
    describe_error,
    emit_json,
    emit_line,
    graph,
    graph_root,
    guard,
    mailbox_from,
    prompt,
)
from tui.script.common import warn as _warn_on_stderr
from tui.script.events import when_label
from tui.script.exits import EXIT_BY_KIND, Exit, exit_for, worst
from tui.words import comment_problem, printable

_LOOKUPS = 4  # concurrent GETs while looking events up


def warn(message: str) -> None:
    """A message on stderr, when stderr can take it: a closed stderr (`2>&1 | head`) must
    not stop cancels half way, nor turn the run's outcome into a quiet exit 0."""
    with contextlib.suppress(OSError):
        _warn_on_stderr(message)


@dataclass(frozen=True, slots=True)
class Target:
    """An event asked for, after the lookup: its details, or why it cannot be sent."""

    ref: EventRef
    event: Event | None
    error: GraphError | None = None


@dataclass(frozen=True, slots=True)
class Result:
    ref: EventRef
    subject: str
    when: str
    start: str | None
    outcome: str  # an audit outcome, or "declined" (looked up, not sent: the user said no)
    code: Exit
    sent: bool
    request_id: str | None = None
    message: str | None = None
    audited: bool = False  # its record is in the audit log (only a sent cancel has one)

    def to_json(self) -> dict[str, Any]:
        return {
            "eventId": self.ref.event_id,
            "subject": self.subject,
            "start": self.start,
            "outcome": self.outcome,
            "sent": self.sent,
            "requestId": self.request_id,
            "error": self.message,
            "path": self.ref.cancel_path,
            "audited": self.audited,
            "exitCode": int(self.code),
        }


def read_comment(args: argparse.Namespace) -> str | None:
    """The comment from --comment or --comment-file (`-` = stdin); blank means none."""
    text: str | None = args.comment
    if args.comment_file is not None:
        try:
            if args.comment_file == "-":
                text = sys.stdin.read()
            else:
                text = Path(args.comment_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise ScriptError(
                Exit.USAGE, f"cannot read the comment file {args.comment_file}: {reason}"
            ) from error
        text = text.rstrip()  # the file's final newline is not part of the message
    if text is None or not text.strip():
        return None
    problem = comment_problem(text)
    if problem is not None:
        raise ScriptError(Exit.USAGE, f"{problem[0].lower()}{problem[1:]}; nothing was sent")
    return text


def event_refs(args: argparse.Namespace) -> list[EventRef]:
    """The events named, in order, each once, addressed through the URL form of the options."""
    mailbox = mailbox_from(args)
    calendar = calendar_from(mailbox, args.calendar)
    refs: list[EventRef] = []
    seen: set[str] = set()
    for raw in args.event_ids:
        event_id = raw.strip()
        if not event_id:
            raise ScriptError(Exit.USAGE, "an event id cannot be empty")
        if event_id in seen:
            warn(f"event {printable(event_id, 80)} is named twice; it is cancelled once")
            continue
        seen.add(event_id)
        refs.append(EventRef(event_id, mailbox, None if args.calendar is None else calendar))
    return refs


async def look_up(client: GraphClient, refs: list[EventRef]) -> list[Target]:
    """Each event's details. Sign-in or network trouble ends the run before anything is sent."""
    limit = asyncio.Semaphore(_LOOKUPS)

    async def one(ref: EventRef) -> Target:
        async with limit:
            try:
                return Target(ref, await client.event(ref))
            except (AuthenticationRequired, GraphUnavailable):
                raise
            except GraphError as error:
                return Target(ref, None, error)

    try:
        return list(await asyncio.gather(*(one(ref) for ref in refs)))
    except (AuthenticationRequired, GraphUnavailable) as error:
        message = f"{describe_error(error)}. Nothing was cancelled."
        raise ScriptError(exit_for(error), message) from error


def _describe_target(target: Target) -> str:
    event = target.event
    if event is None:
        return printable(target.ref.event_id, 80)
    subject = printable(event.subject or "(no subject)", 120)
    if event.is_organizer:
        told = len(event.notified_attendees)
        role = f"you organize it; {told} attendee{'s' if told != 1 else ''} will be notified"
    else:
        role = f"organized by {printable(event.organizer.label, 80)}: Graph will refuse"
    if event.type == "seriesMaster":
        role = f"the whole series; {role}"
    elif event.is_occurrence:
        role = f"this occurrence only; {role}"
    return f"{when_label(event)}  {subject}  ({role})"


def confirm(targets: list[Target], comment: str | None) -> bool:
    """Ask on the terminal (stderr for the question, stdin for the answer)."""
    count = len(targets)
    lines = [f"About to cancel {count} meeting{'s' if count != 1 else ''}:"]
    lines += [f"  {_describe_target(t)}" for t in targets]
    if comment is None:
        lines.append("No comment: attendees get the default cancellation notice.")
    else:
        lines.append(f"Comment: {printable(comment, 500)}")
    lines.append("Cancel? [y/N] ")
    prompt("\n".join(lines))
    answer = sys.stdin.readline()
    if not answer:
        prompt("\n")  # end the question's line: stdin was closed with no answer
    return answer.strip().lower() in ("y", "yes")


def _message(item: BatchItemOutcome) -> str | None:
    """What to tell the user about one event that was not cancelled (None: it was)."""
    reason = item.reason or (f"HTTP {item.http_status}" if item.http_status else "no reason given")
    kind = classify_item(item)
    if kind == "done":
        return None
    text = {
        "not-organizer": f"you are not the organizer. Graph: {reason}",
        "not-found": f"not found on the server ({reason})",
        "unknown": f"cannot tell whether it was cancelled ({reason}); check with "
                   "`cal365 events` before sending again",
    }.get(kind, f"not cancelled: {reason}")
    if text and item.http_status == 401:
        text += "; sign in again"
    if text and item.request_id:
        text += f" (request-id {item.request_id})"
    return text


def _timing(event: Event | None) -> tuple[str, str, str | None]:
    if event is None:
        return "", "?", None
    return event.subject, when_label(event), event.start.isoformat() if event.start else None


def _looked_up(target: Target, error: GraphError) -> Result:
    """An event the look-up could not find or read: reported, never sent."""
    kind = classify(error)
    return Result(target.ref, "", "?", None, AUDIT_OUTCOME[kind], EXIT_BY_KIND[kind], False,
                  error.request_id, describe_error(error))


def _sent(item: BatchItemOutcome, event: Event | None) -> Result:
    subject, when, start = _timing(event)
    kind = classify_item(item)
    return Result(item.ref, subject, when, start, AUDIT_OUTCOME[kind], EXIT_BY_KIND[kind], True,
                  item.request_id, _message(item))


def _declined(ref: EventRef, event: Event | None) -> Result:
    subject, when, start = _timing(event)
    return Result(ref, subject, when, start, "declined", Exit.ERROR, False)


async def signed_in_account(client: GraphClient) -> str | None:
    """Who is signed in, for the audit log; None when Graph will not say."""
    try:
        user = await client.me()
    except (GraphError, GraphUnavailable):
        return None
    return user.user_principal_name or user.mail or None


class _Auditor:
    """Appends each sent cancel to the audit log; a record it could not write is counted,
    and the first failure said at once (the cancel itself has gone out)."""

    def __init__(self, comment: str | None, account: str | None) -> None:
        self.comment = comment
        self.account = account
        self.unwritten = 0
        self.reason = ""

    def record(self, item: BatchItemOutcome, event: Event | None) -> bool:
        """True when the record was written."""
        entry = audit.entry_for_batch(
            item, subject=event.subject if event else "", start=event.start if event else None,
            comment=self.comment, source="cli", account=self.account,
        )
        return self._append(entry)

    def record_unconfirmed(self, target: Target, why: str) -> bool:
        """The record of a cancel that went out with no answer yet (an interrupt)."""
        subject, _, _ = _timing(target.event)
        entry = audit.entry_for(
            target.ref, subject=subject, start=target.event.start if target.event else None,
            comment=self.comment, error=RuntimeError(why), source="cli", account=self.account)
        return self._append(entry)

    def _append(self, entry: audit.AuditEntry) -> bool:
        problem = record(entry)
        if problem is None:
            return True
        if not self.unwritten:
            self.reason = problem
            warn(f"could not write the audit log {audit.log_path()}: {self.reason}")
        self.unwritten += 1
        return False


def check_audit(targets: list[Target], comment: str | None) -> str | None:
    """Why the audit log cannot take the records of these cancels now (None: it can)."""
    return cannot_record([t.event.subject if t.event else "" for t in targets], comment)


def _forget_drafts(refs: list[EventRef]) -> None:
    """The app keeps comments typed for a cancel that did not go through: these did. A
    failure here is said, never fatal: the cancels have gone out."""
    if not refs:
        return
    try:
        drafts = Drafts.load()
        if drafts.problem:
            warn(drafts.problem)
        for ref in refs:
            drafts.discard_events(ref.mailbox.key, [ref.event_id])
    except DraftsError as exc:
        warn(str(exc))
    except OSError as exc:
        warn(f"could not forget the comment drafts of the cancelled events: "
             f"{file_problem(exc)}")


def _failure(error: BaseException) -> str:
    return error.message if isinstance(error, ScriptError) else describe_error(error)


def _unconfirmed(target: Target, error: BaseException | str) -> Result:
    """A cancel whose outcome was never reported because something failed (or, as a str,
    happened) once sending had begun: it may have gone out."""
    subject, when, start = _timing(target.event)
    why = error if isinstance(error, str) else _failure(error)
    message = (f"cannot tell whether it was cancelled ({why}); check with "
               "`cal365 events` before sending again")
    return Result(target.ref, subject, when, start, "unconfirmed", Exit.UNREACHABLE, True,
                  None, message)


_INTERRUPTED = "interrupted (Ctrl+C) before Graph answered"


def _not_sent(target: Target) -> Result:
    """A cancel the interrupt stopped before it was handed to the network."""
    return Result(target.ref, *_timing(target.event), "not-sent", Exit.ERROR, False,
                  message="not sent: interrupted (Ctrl+C) before it went out")


class _Stdout:
    """Stdout for the outcomes. A reader that goes away (`| head`) must not stop cancels
    already asked for half way: the rest still go, each is audited, and stderr says where
    the outcomes are."""

    def __init__(self) -> None:
        self.closed = False

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
            warn("the output was closed; the cancels asked for still go, and each "
                 f"outcome is written to the audit log {audit.log_path()} (see `cal365 audit`)")


def _report(result: Result, as_json: bool, out: _Stdout) -> None:
    if not as_json:
        out.write(lambda: emit_line(result.outcome, result.when,
                                        printable(result.subject or "-"),
                                        printable(result.ref.event_id)))
    if result.message:
        name = printable(result.subject or result.ref.event_id, 80)
        warn(f"{name}: {result.message}")


class _Interrupts:
    """Once sending has ended (done or cut short by Ctrl+C), a further Ctrl+C must not cut
    short the report of what became of each event and its audit records: it is ignored
    until the report is out (local writes, quick)."""

    def __init__(self) -> None:
        # Ctrl+C as it was before the command: the sending run may already have turned it
        # off at the first press (GraphRuns.run(interrupt_once=True)).
        self._original: Any = signal.getsignal(signal.SIGINT)
        self._held = False

    def hold(self) -> None:
        with contextlib.suppress(ValueError):  # not the main thread: nothing to hold
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            self._held = True

    def restore(self) -> None:
        if self._original is not None and (self._held or
                                           signal.getsignal(signal.SIGINT) is signal.SIG_IGN):
            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGINT, self._original)
            self._held = False


def execute(
    args: argparse.Namespace, refs: list[EventRef], comment: str | None,
    ask: Callable[[list[Target], str | None], bool],
) -> int:
    interrupts = _Interrupts()
    try:
        return _execute(args, refs, comment, ask, interrupts)
    finally:
        interrupts.restore()


def _execute(
    args: argparse.Namespace, refs: list[EventRef], comment: str | None,
    ask: Callable[[list[Target], str | None], bool], interrupts: _Interrupts,
) -> int:
    # Before any request: a log that cannot take the records means nothing may be sent.
    problem = check_audit([Target(ref, None) for ref in refs], comment)
    if problem is not None:
        raise ScriptError(Exit.ERROR, f"{problem}. Nothing was sent")
    unaudited, why = 0, ""
    interrupted = False
    out = _Stdout()
    with graph(args) as runs:

        async def prepare(session: Session) -> tuple[list[Target], str | None]:
            return await asyncio.gather(look_up(session.client, refs),
                                        signed_in_account(session.client))

        try:
            targets, account = runs.run(prepare)
        except KeyboardInterrupt:
            raise ScriptError(Exit.INTERRUPTED, "interrupted; nothing was cancelled") from None
        results: dict[EventRef, Result] = {}
        sendable: list[Target] = []
        for target in targets:
            if target.error is not None:
                results[target.ref] = _looked_up(target, target.error)
            else:
                sendable.append(target)
        for result in results.values():
            _report(result, args.json, out)
        events = {t.ref: t.event for t in sendable}
        # Asked outside the event loop, so Ctrl+C at the prompt stops at once.
        try:
            declined = bool(sendable) and not args.yes and not ask(sendable, comment)
        except KeyboardInterrupt:
            prompt("\n")  # end the question's line
            raise ScriptError(Exit.INTERRUPTED, "interrupted; nothing was cancelled") from None
        if declined:
            warn("nothing was cancelled")
            results.update({ref: _declined(ref, event) for ref, event in events.items()})
        elif sendable and (problem := check_audit(sendable, comment)) is not None:
            # The disk may have filled while the user was asked: checked again, just before.
            warn(f"{problem}. Nothing was sent")
            results.update({t.ref: Result(t.ref, *_timing(t.event), "failed", Exit.ERROR,
                                          False, message="not sent: the audit log cannot "
                                          "take its record") for t in sendable})
        elif sendable:
            auditor = _Auditor(comment, account)
            bulks: list[BulkCancel] = []

            async def send(session: Session) -> None:
                bulk = session.client.cancel_many(list(events), comment)
                bulks.append(bulk)
                # One outcome per event, as each becomes known (batches finish in any order).
                async for item in bulk:
                    audited = auditor.record(item, events[item.ref])
                    results[item.ref] = replace(_sent(item, events[item.ref]), audited=audited)
                    _report(results[item.ref], args.json, out)

            failure: BaseException | None = None
            try:
                runs.run(send, interrupt_once=True)
            except KeyboardInterrupt:
                # Ctrl+C once sending began: say what became of each event, never just stop.
                interrupted = True
                interrupts.hold()
            except Exception as error:  # once sending began, never "certainly not sent"
                warn(_failure(error))
                failure = error
            interrupts.hold()
            for target in sendable:  # any event the run gave no outcome for may have gone
                if target.ref in results:
                    continue
                if interrupted and not (bulks and bulks[0].may_have_gone(target.ref)):
                    results[target.ref] = _not_sent(target)
                elif interrupted:
                    results[target.ref] = replace(
                        _unconfirmed(target, _INTERRUPTED),
                        audited=auditor.record_unconfirmed(target, _INTERRUPTED))
                else:
                    results[target.ref] = _unconfirmed(
                        target, failure or RuntimeError("Graph's answer named no outcome"))
                _report(results[target.ref], args.json, out)
            unaudited, why = auditor.unwritten, auditor.reason
            _forget_drafts([r.ref for r in results.values() if r.outcome == "cancelled"])
    ordered = [results[ref] for ref in refs]
    codes = [r.code for r in ordered]
    if unaudited:
        s = "s" if unaudited != 1 else ""
        warn(f"{unaudited} cancel{s} went to Graph (outcome{s} above) but {'are' if s else 'is'}"
             f" not in the audit log {audit.log_path()}: {why}. Do not send "
             f"{'them' if s else 'it'} again; free some space to keep recording cancels")
        codes.append(Exit.NOT_AUDITED)
    if interrupted:
        counts = {word: sum(r.outcome == word for r in ordered)
                  for word in ("cancelled", "unconfirmed", "not-sent")}
        warn(f"interrupted while sending: {counts['cancelled']} cancelled, "
             f"{counts['unconfirmed']} unconfirmed (they may have gone through: check with "
             f"`cal365 events` before sending again), {counts['not-sent']} not sent; "
             "each event's outcome is above")
        codes.append(Exit.SEND_INTERRUPTED)
    code = worst(codes)
    if args.json:
        document = {"dryRun": False, "mailbox": audit.mailbox_label(refs[0].mailbox),
                    "comment": comment, "results": [r.to_json() for r in ordered],
                    "exitCode": int(code)}
        if interrupted:
            document["interrupted"] = True
        out.write(lambda: emit_json(document))
    if out.closed and any(r.sent for r in ordered):
        warn(f"the outcomes could not all be printed (the output was closed); cancels "
             f"were sent: see `cal365 audit` (exit code {int(code)})")
    return int(code)


def dry_run(args: argparse.Namespace, refs: list[EventRef], comment: str | None) -> int:
    requests = plan(refs, comment)
    root = None if getattr(args, "demo", False) else graph_root(args)
    if args.json:
        emit_json({"dryRun": True, "graphUrl": root,
                   "requests": [r.to_json() for r in requests],
                   "batches": [{"method": "POST", "path": BATCH_PATH, "body": b}
                               for b in batches(refs, comment)]})
    else:
        for request in requests:
            emit_line(f"{request.method} {request.path} {request.wire_body}")
    count = len(requests)
    warn(f"dry run: nothing sent; {count} cancel{'s' if count != 1 else ''} would go to "
         f"{root or 'the demo Graph'} in JSON batches (POST /$batch, at most {MAX_REQUESTS} "
         "each)")
    return 0


def run(args: argparse.Namespace) -> int:
    def command() -> int:
        refs = event_refs(args)
        comment = read_comment(args)
        if args.dry_run:
            return dry_run(args, refs, comment)
        if not args.yes and not sys.stdin.isatty():
            raise ScriptError(
                Exit.USAGE,
                "refusing to cancel without confirmation: there is no terminal to ask on. "
                "Pass --yes to confirm, or --dry-run to see the requests",
            )
        return execute(args, refs, comment, confirm)

    return guard(command)

