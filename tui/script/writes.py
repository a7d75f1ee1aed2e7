"""The commands that write to events by id (`cancel`, `respond`, `delete`): one flow, told
by a `Write` what it sends and in which words.

Flow: check the options; with --dry-run print the exact requests and stop (nothing at all is
sent, not even a read). Otherwise look the events up, 20 to a JSON batch (subject and start
for the prompt and the audit log; a missing one is reported without sending; who is signed in
is asked meanwhile, for the audit log), ask on a terminal unless --yes, then send the writes
through Graph JSON batching (at most 20 per batch, nothing sent twice without a check) and
report each outcome as it comes. Every write sent is appended to the audit log, so nothing is
sent unless the log can take the records (checked before the look-ups and again just before
sending); a record that still cannot be written is said on stderr and gives exit 7. Whatever
fails once sending has begun never reads as "certainly not sent". An id given twice is sent
once.

Ctrl+C once sending began does not just stop: each event is reported as done, unconfirmed
(handed to the network, no answer yet; audited as such) or not-sent, and the exit code is 8.
A reader that goes away (`| head`) stops no write: the rest go and are audited, stderr says
so.

The look-up (`cancel_lookup`), the words and lines of each outcome (`cancel_report`), the
audit log (`cancel_audit`) and Ctrl+C during the report (`interrupts`) each have their own
module; each command's question is its own (`cancel_prompt`, `reply_prompt`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.actions import audit
from tui.graph.batch import MAX_REQUESTS, build_write_batch
from tui.graph.urls import BATCH_PATH, EventRef
from tui.script.cancel_audit import Auditor, check_audit, forget_drafts, signed_in_account
from tui.script.cancel_lookup import Target, look_up
from tui.script.cancel_report import (
    INTERRUPTED,
    Result,
    Stdout,
    Words,
    looked_up,
    not_sent,
    report,
    sent,
    timing,
    unconfirmed,
    warn,
)
from tui.script.cancel_report import (
    declined as declined_result,
)
from tui.script.cancel_report import (
    failure as failure_words,
)
from tui.script.common import (
    ScriptError,
    Session,
    calendar_from,
    emit_json,
    emit_line,
    graph,
    graph_root,
    guard,
    mailbox_from,
    prompt,
)
from tui.script.exits import Exit, worst
from tui.script.interrupts import Interrupts
from tui.words import comment_problem, printable

if TYPE_CHECKING:
    from tui.graph.batch import BulkWrite
    from tui.graph.client import GraphClient
    from tui.graph.writes import Write


@dataclass(frozen=True)
class WriteCommand:
    """One kind of write to events (`tui.graph.writes.Write`: a cancel, a reply, a delete),
    for the command that sends it: its words, its question, where each event's write goes."""

    write: Write  # the same for every event, in the dry run as on the wire
    words: Words
    comment: str | None
    # The question on a terminal: True when the user said yes.
    confirm: Callable[[list[Target], str | None], bool]
    # Where each looked-up event's request goes (an occurrence's series master, say).
    target: Callable[[Target], EventRef] = lambda target: target.ref
    # Said after a dry run's requests (what a dry run cannot know, say).
    dry_run_note: str | None = None

    @property
    def action(self) -> str:
        return self.write.action

    def requests(self, refs: Sequence[EventRef]) -> list[dict[str, Any]]:
        """Each request exactly as it would go (a dry run's), paths relative to the root."""
        return [{"method": self.write.method, "path": self.write.path(ref),
                 **({"body": self.write.body} if self.write.body is not None else {})}
                for ref in refs]

    def batches(self, refs: Sequence[EventRef]) -> list[dict[str, Any]]:
        """The `POST /$batch` bodies they would travel in (at most 20 requests each)."""
        return [build_write_batch(refs[i:i + MAX_REQUESTS], self.write)
                for i in range(0, len(refs), MAX_REQUESTS)]

    def start(self, client: GraphClient, refs: list[EventRef]) -> BulkWrite:
        """The bulk run that sends them (JSON batches, never twice)."""
        from tui.graph.batch import BulkWrite

        return BulkWrite(client.transport, refs, self.write)


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


def event_refs(args: argparse.Namespace, done: str = "sent") -> list[EventRef]:
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
            warn(f"event {printable(event_id, 80)} is named twice; it is {done} once")
            continue
        seen.add(event_id)
        refs.append(EventRef(event_id, mailbox, None if args.calendar is None else calendar))
    return refs


def run_write(args: argparse.Namespace, refs: Callable[[], list[EventRef]],
              write: Callable[[], WriteCommand]) -> int:
    """The command: a dry run, or the look-ups, the question and the writes."""

    def command() -> int:
        named, chosen = refs(), write()
        if args.dry_run:
            return dry_run(args, named, chosen)
        if not args.yes and not sys.stdin.isatty():
            raise ScriptError(
                Exit.USAGE,
                f"refusing to {chosen.words.verb} without confirmation: there is no terminal "
                "to ask on. Pass --yes to confirm, or --dry-run to see the requests",
            )
        return execute(args, named, chosen)

    return guard(command)


def execute(args: argparse.Namespace, refs: list[EventRef], write: WriteCommand) -> int:
    interrupts = Interrupts()
    try:
        return _execute(args, refs, write, interrupts)
    finally:
        interrupts.restore()


def _execute(args: argparse.Namespace, refs: list[EventRef], write: WriteCommand,
             interrupts: Interrupts) -> int:
    words, comment = write.words, write.comment
    # Before any request: a log that cannot take the records means nothing may be sent.
    problem = check_audit([Target(ref, None) for ref in refs], comment)
    if problem is not None:
        raise ScriptError(Exit.ERROR, f"{problem}. Nothing was sent")
    unaudited, why = 0, ""
    interrupted = False
    out = Stdout(words)
    with graph(args) as runs:

        async def prepare(session: Session) -> tuple[list[Target], str | None]:
            return await asyncio.gather(look_up(session.client, refs, words.done),
                                        signed_in_account(session.client))

        try:
            targets, account = runs.run(prepare)
        except KeyboardInterrupt:
            raise ScriptError(Exit.INTERRUPTED,
                              f"interrupted; nothing was {words.done}") from None
        results: dict[EventRef, Result] = {}
        sendable: list[Target] = []
        order: list[EventRef] = []  # where each event named went (a series: its master)
        going: set[EventRef] = set()
        for target in targets:
            if target.error is not None:
                results[target.ref] = looked_up(target, target.error, words)
                order.append(target.ref)
                continue
            ref = write.target(target)
            order.append(ref)
            if ref in results or ref in going:
                continue  # two occurrences of one series: the series is answered once
            going.add(ref)
            sendable.append(replace(target, ref=ref))
        for result in results.values():
            report(result, args.json, out)
        events = {t.ref: t.event for t in sendable}
        # Asked outside the event loop, so Ctrl+C at the prompt stops at once.
        try:
            declined = bool(sendable) and not args.yes and not write.confirm(sendable, comment)
        except KeyboardInterrupt:
            prompt("\n")  # end the question's line
            raise ScriptError(Exit.INTERRUPTED,
                              f"interrupted; nothing was {words.done}") from None
        if declined:
            warn(f"nothing was {words.done}")
            results.update({ref: declined_result(ref, event, words)
                            for ref, event in events.items()})
        elif sendable and (problem := check_audit(sendable, comment)) is not None:
            # The disk may have filled while the user was asked: checked again, just before.
            warn(f"{problem}. Nothing was sent")
            results.update({t.ref: Result(t.ref, *timing(t.event), "failed", Exit.ERROR,
                                          False, message="not sent: the audit log cannot "
                                          "take its record") for t in sendable})
        elif sendable:
            auditor = Auditor(comment, account, write.action)
            bulks: list[BulkWrite] = []

            async def send(session: Session) -> None:
                bulk = write.start(session.client, list(events))
                bulks.append(bulk)
                # One outcome per event, as each becomes known (batches finish in any order);
                # those known together are recorded together, with one flush to the disk.
                async for group in bulk.groups():
                    audited = auditor.record([(item, events[item.ref]) for item in group])
                    for item in group:
                        results[item.ref] = replace(sent(item, events[item.ref], words),
                                                    audited=audited)
                        report(results[item.ref], args.json, out)

            failure: BaseException | None = None
            try:
                runs.run(send, interrupt_once=True)
            except KeyboardInterrupt:
                # Ctrl+C once sending began: say what became of each event, never just stop.
                interrupted = True
                interrupts.hold()
            except Exception as error:  # once sending began, never "certainly not sent"
                warn(failure_words(error))
                failure = error
            interrupts.hold()
            for target in sendable:  # any event the run gave no outcome for may have gone
                if target.ref in results:
                    continue
                if interrupted and not (bulks and bulks[0].may_have_gone(target.ref)):
                    results[target.ref] = not_sent(target)
                elif interrupted:
                    results[target.ref] = replace(
                        unconfirmed(target, INTERRUPTED, words),
                        audited=auditor.record_unconfirmed(target, INTERRUPTED))
                else:
                    results[target.ref] = unconfirmed(
                        target, failure or RuntimeError("Graph's answer named no outcome"),
                        words)
                report(results[target.ref], args.json, out)
            unaudited, why = auditor.unwritten, auditor.reason
            forget_drafts([r.ref for r in results.values() if r.outcome == words.done])
    ordered = [results[ref] for ref in dict.fromkeys(order)]
    codes = [r.code for r in ordered]
    if unaudited:
        s = "s" if unaudited != 1 else ""
        noun = words.nouns if s else words.noun
        warn(f"{unaudited} {noun} went to Graph (outcome{s} above) but "
             f"{'are' if s else 'is'} not in the audit log {audit.log_path()}: {why}. Do not "
             f"send {'them' if s else 'it'} again; free some space to keep recording "
             f"{words.nouns}")
        codes.append(Exit.NOT_AUDITED)
    if interrupted:
        counts = {word: sum(r.outcome == word for r in ordered)
                  for word in (words.done, "unconfirmed", "not-sent")}
        warn(f"interrupted while sending: {counts[words.done]} {words.done}, "
             f"{counts['unconfirmed']} unconfirmed (they may have gone through: check with "
             f"`cal365 events` before sending again), {counts['not-sent']} not sent; "
             "each event's outcome is above")
        codes.append(Exit.SEND_INTERRUPTED)
    code = worst(codes)
    if args.json:
        document = {"dryRun": False, "mailbox": audit.mailbox_label(refs[0].mailbox),
                    "action": write.action, "comment": comment,
                    "results": [r.to_json(write.write.path(r.ref)) for r in ordered],
                    "exitCode": int(code)}
        if interrupted:
            document["interrupted"] = True
        out.write(lambda: emit_json(document))
    if out.closed and any(r.sent for r in ordered):
        warn(f"the outcomes could not all be printed (the output was closed); {words.nouns} "
             f"were sent: see `cal365 audit` (exit code {int(code)})")
    return int(code)


def dry_run(args: argparse.Namespace, refs: list[EventRef], write: WriteCommand) -> int:
    requests = write.requests(refs)
    root = None if getattr(args, "demo", False) else graph_root(args)
    if args.json:
        emit_json({"dryRun": True, "graphUrl": root, "action": write.action,
                   "requests": requests,
                   "batches": [{"method": "POST", "path": BATCH_PATH, "body": b}
                               for b in write.batches(refs)]})
    else:
        for request in requests:  # the body as the client serialises it
            body = f" {json.dumps(request['body'])}" if "body" in request else ""
            emit_line(f"{request['method']} {request['path']}{body}")
    count = len(requests)
    noun = write.words.noun if count == 1 else write.words.nouns
    warn(f"dry run: nothing sent; {count} {noun} would go to "
         f"{root or 'the demo Graph'} in JSON batches (POST /$batch, at most {MAX_REQUESTS} "
         "each)")
    if write.dry_run_note:
        warn(write.dry_run_note)
    return 0
