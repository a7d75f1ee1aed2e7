"""Exit codes of the script subcommands: the one place they are defined and documented.

Scripts branch on these, so they never change meaning. When one run has several outcomes
(a cancel of many events), the exit code is the worst of them in SEVERITY order.
"""

from __future__ import annotations

import textwrap
from enum import IntEnum

from tui.actions.outcome import Kind, classify


class Exit(IntEnum):
    OK = 0  # done: everything asked for succeeded
    ERROR = 1  # another error: Graph refused for another reason, a cancel certainly not sent…
    USAGE = 2  # bad options or arguments; a cancel without --yes and without a terminal
    NOT_ORGANIZER = 3  # Graph refused a cancel: the user does not organize the meeting
    NOT_FOUND = 4  # an event, calendar, user or group does not exist (or is already gone)
    AUTH = 5  # sign-in needed: no token, or Graph rejected it
    UNREACHABLE = 6  # Graph could not be reached or did not answer; a cancel may be unconfirmed
    NOT_AUDITED = 7  # a cancel was sent (outcome as reported) but its audit record not written
    SEND_INTERRUPTED = 8  # Ctrl+C once cancels were going out: some may have gone through
    IS_ORGANIZER = 9  # Graph refused a reply: the user organizes the meeting
    INTERRUPTED = 130  # Ctrl+C


# What each code means, said once: `cal365 <command> --help` and the table in
# docs/scripting.md (written by `python -m tui.docs`) are both made from it.
MEANINGS: dict[Exit, str] = {
    Exit.OK: "done",
    Exit.ERROR: (
        "other error: Graph refused for another reason (e.g. access denied), a cancel, reply "
        "or delete that certainly did not go through (e.g. not sent because the audit log "
        "could not take its record), you answered no at the prompt, the audit log or "
        "cal365's folders cannot be used, `login` declined or refused (or the sign-in "
        "service unreachable), `whoami` with nobody signed in"
    ),
    Exit.USAGE: (
        "usage error: bad option or date, unreadable `--comment-file`, `cancel`, `respond` "
        "or `delete` without `--yes` and without a terminal, a reply Graph would refuse for "
        "its options alone (a comment or a proposed time with `--no-response`, a proposed "
        "time with accept), no app registration set up for `login`, no usable "
        "keyring and no explicit `--token-storage` choice"
    ),
    Exit.NOT_ORGANIZER: (
        "not the organizer: Graph refused to cancel a meeting you do not organize"
    ),
    Exit.NOT_FOUND: (
        "not found: no such event, calendar, user or group (or it was already cancelled)"
    ),
    Exit.AUTH: (
        "sign-in needed: not signed in (and no `CAL365_ACCESS_TOKEN`), a sign-in the service "
        "no longer accepts (run `cal365 login` again), Graph rejected the token, or the code "
        "of `cal365 login` expired"
    ),
    Exit.UNREACHABLE: (
        "Graph unreachable or no answer (a cancel, reply or delete may or may not have gone "
        "through)"
    ),
    Exit.NOT_AUDITED: (
        "a cancel, reply or delete was sent (its outcome as printed) but its audit record "
        "could not be written: disk full, state folder unusable. Do not send it again"
    ),
    Exit.SEND_INTERRUPTED: (
        "`cancel`, `respond` or `delete` interrupted (Ctrl+C) once writes had begun to go "
        "out: some may have gone through. Each event's line says what was done "
        "(`cancelled`, `accepted`, `declined`, `deleted`, …), `unconfirmed` (it was on its "
        "way: check before sending again) or `not-sent`; the audit log has the done and "
        "unconfirmed ones"
    ),
    Exit.IS_ORGANIZER: (
        "you are the organizer: Graph refused a reply (accept, tentative, decline) to a "
        "meeting you organize"
    ),
    Exit.INTERRUPTED: ("interrupted (Ctrl+C); for `cancel`, `respond` and `delete`, before "
                       "anything was sent"),
}

# Worst last: sign-in trouble stops the whole run; an unconfirmed cancel needs checking by
# hand; a cancel sent but not audited is done, yet its record is missing: worse than any
# refusal (1 must never hide that something went out); "not found" is often "already
# cancelled", so it is the mildest failure. An interrupt once sending began outranks them
# all: the run is cut short, and only 8 says that some cancels went and some did not.
SEVERITY: tuple[Exit, ...] = (
    Exit.OK, Exit.NOT_FOUND, Exit.NOT_ORGANIZER, Exit.IS_ORGANIZER, Exit.ERROR, Exit.NOT_AUDITED,
    Exit.UNREACHABLE, Exit.AUTH, Exit.SEND_INTERRUPTED,
    Exit.USAGE, Exit.INTERRUPTED,
)


# The codes one event's outcome can give, worst first: the order `worst` ranks them in.
# Usage errors and an interrupt before sending end a run before any outcome.
OUTCOME_ORDER: tuple[Exit, ...] = tuple(
    reversed(SEVERITY[: SEVERITY.index(Exit.SEND_INTERRUPTED) + 1]))
WORST_WINS = ("With several events the worst outcome wins: "
              + " > ".join(str(int(code)) for code in OUTCOME_ORDER) + ".")


def _help() -> str:
    lines = ["exit codes:"]
    for code, meaning in MEANINGS.items():
        wrapped = textwrap.wrap(meaning.replace("`", ""), width=82)
        lines.append(f"  {int(code):<4} {wrapped[0]}")
        lines.extend(f"       {line}" for line in wrapped[1:])
    lines.append(f"  {WORST_WINS}")
    return "\n".join(lines) + "\n"


EXIT_CODE_HELP = _help()
"""The table at the end of every command's --help."""


def worst(codes: list[Exit]) -> Exit:
    return max(codes, key=SEVERITY.index, default=Exit.OK)


# Each outcome's code, from the one classifier (`tui.actions.outcome`). A cancel that
# certainly did not take effect is 1, like a refusal: safe to send again.
EXIT_BY_KIND: dict[Kind, Exit] = {
    "done": Exit.OK,
    "not-organizer": Exit.NOT_ORGANIZER,
    "is-organizer": Exit.IS_ORGANIZER,
    "not-found": Exit.NOT_FOUND,
    "auth-needed": Exit.AUTH,
    "refused": Exit.ERROR,
    "not-sent": Exit.ERROR,
    "unknown": Exit.UNREACHABLE,
    "unreachable": Exit.UNREACHABLE,
    "other": Exit.ERROR,
}


def exit_for(error: BaseException) -> Exit:
    """The exit code for a command that failed with `error`."""
    return EXIT_BY_KIND[classify(error)]
