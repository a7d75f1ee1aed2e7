"""`cal365 cancel`: cancel meetings by id, with one comment, each outcome reported and audited.

Flow: check the options; with --dry-run print the exact requests and stop (nothing at all is
sent, not even a read). Otherwise look the events up, 20 to a JSON batch (subject and start
for the prompt and the audit log; a missing one is reported without sending; who is signed in
is asked meanwhile, for the audit log), ask on a terminal unless --yes, then
send the cancels through Graph JSON batching (`GraphClient.cancel_many`: at most 20 per
batch, nothing sent twice without a check) and report each outcome as it comes. Every
cancel sent is appended to the audit log, so nothing is sent unless the log can take the
records (checked before the look-ups and again just before sending); a record that still
cannot be written is said on stderr and gives exit 7. Whatever fails once sending has begun
never reads as "certainly not sent". An id given twice is sent once.

Ctrl+C once sending began does not just stop: each event is reported as cancelled, unconfirmed
(handed to the network, no answer yet; audited as such) or not-sent, and the exit code is 8.
A reader that goes away (`| head`) stops no cancel: the rest go and are audited, stderr says so.

This module plans and runs the command; the look-up (`cancel_lookup`), the question
(`cancel_prompt`), the words and lines of each outcome (`cancel_report`), the audit log
(`cancel_audit`) and Ctrl+C during the report (`interrupts`) each have their own module.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from tui.actions import audit
from tui.actions.cancel import batches, plan
from tui.graph.batch import MAX_REQUESTS, BulkCancel
from tui.graph.urls import BATCH_PATH, EventRef
from tui.script.cancel_audit import Auditor, check_audit, forget_drafts, signed_in_account
from tui.script.cancel_lookup import Target, look_up
from tui.script.cancel_prompt import confirm
from tui.script.cancel_report import (
    INTERRUPTED,
    Result,
    Stdout,
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


def execute(
    args: argparse.Namespace, refs: list[EventRef], comment: str | None,
    ask: Callable[[list[Target], str | None], bool],
) -> int:
    interrupts = Interrupts()
    try:
        return _execute(args, refs, comment, ask, interrupts)
    finally:
        interrupts.restore()


def _execute(
    args: argparse.Namespace, refs: list[EventRef], comment: str | None,
    ask: Callable[[list[Target], str | None], bool], interrupts: Interrupts,
) -> int:
    # Before any request: a log that cannot take the records means nothing may be sent.
    problem = check_audit([Target(ref, None) for ref in refs], comment)
    if problem is not None:
        raise ScriptError(Exit.ERROR, f"{problem}. Nothing was sent")
    unaudited, why = 0, ""
    interrupted = False
    out = Stdout()
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
                results[target.ref] = looked_up(target, target.error)
            else:
                sendable.append(target)
        for result in results.values():
            report(result, args.json, out)
        events = {t.ref: t.event for t in sendable}
        # Asked outside the event loop, so Ctrl+C at the prompt stops at once.
        try:
            declined = bool(sendable) and not args.yes and not ask(sendable, comment)
        except KeyboardInterrupt:
            prompt("\n")  # end the question's line
            raise ScriptError(Exit.INTERRUPTED, "interrupted; nothing was cancelled") from None
        if declined:
            warn("nothing was cancelled")
            results.update({ref: declined_result(ref, event) for ref, event in events.items()})
        elif sendable and (problem := check_audit(sendable, comment)) is not None:
            # The disk may have filled while the user was asked: checked again, just before.
            warn(f"{problem}. Nothing was sent")
            results.update({t.ref: Result(t.ref, *timing(t.event), "failed", Exit.ERROR,
                                          False, message="not sent: the audit log cannot "
                                          "take its record") for t in sendable})
        elif sendable:
            auditor = Auditor(comment, account)
            bulks: list[BulkCancel] = []

            async def send(session: Session) -> None:
                bulk = session.client.cancel_many(list(events), comment)
                bulks.append(bulk)
                # One outcome per event, as each becomes known (batches finish in any order);
                # those known together are recorded together, with one flush to the disk.
                async for group in bulk.groups():
                    audited = auditor.record([(item, events[item.ref]) for item in group])
                    for item in group:
                        results[item.ref] = replace(sent(item, events[item.ref]),
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
                        unconfirmed(target, INTERRUPTED),
                        audited=auditor.record_unconfirmed(target, INTERRUPTED))
                else:
                    results[target.ref] = unconfirmed(
                        target, failure or RuntimeError("Graph's answer named no outcome"))
                report(results[target.ref], args.json, out)
            unaudited, why = auditor.unwritten, auditor.reason
            forget_drafts([r.ref for r in results.values() if r.outcome == "cancelled"])
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

