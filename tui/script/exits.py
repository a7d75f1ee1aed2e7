"""Exit codes of the script subcommands: the one place they are defined and documented.

Scripts branch on these, so they never change meaning. When one run has several outcomes
(a cancel of many events), the exit code is the worst of them in SEVERITY order.
"""

from __future__ import annotations

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
    INTERRUPTED = 130  # Ctrl+C


EXIT_CODE_HELP = """\
exit codes:
  0    done
  1    other error (Graph refused for another reason; a cancel that certainly did not go
       through, e.g. not sent because the audit log could not take its record; you
       answered no at the prompt; the audit log or cal365's folders cannot be used;
       login declined or refused; whoami with nobody signed in)
  2    usage error (bad option or date, unreadable --comment-file; cancel without --yes
       and without a terminal; no app registration set up for login; no usable keyring
       and no explicit --token-storage choice)
  3    not the organizer: Graph refused to cancel a meeting the user does not organize
  4    not found: no such event, calendar, user or group (or already cancelled)
  5    sign-in needed: not signed in, the sign-in is no longer accepted, Graph rejected
       the token, or login's code expired
  6    Graph unreachable or no answer (a cancel may or may not have gone through)
  7    a cancel was sent (its outcome as printed) but its audit record could not be
       written (disk full, state folder unusable): do not send it again
  8    cancel interrupted (Ctrl+C) once cancels had begun to go out: some may have gone
       through. Each event's line says cancelled, unconfirmed (it was on its way: check
       before sending again) or not-sent; the audit log has the cancelled and unconfirmed
  130  interrupted (Ctrl+C); for cancel, before any cancel went out
  With several events the worst outcome wins: 8 > 5 > 6 > 7 > 1 > 3 > 4 > 0.
"""

# Worst last: sign-in trouble stops the whole run; an unconfirmed cancel needs checking by
# hand; a cancel sent but not audited is done, yet its record is missing: worse than any
# refusal (1 must never hide that something went out); "not found" is often "already
# cancelled", so it is the mildest failure. An interrupt once sending began outranks them
# all: the run is cut short, and only 8 says that some cancels went and some did not.
SEVERITY: tuple[Exit, ...] = (
    Exit.OK, Exit.NOT_FOUND, Exit.NOT_ORGANIZER, Exit.ERROR, Exit.NOT_AUDITED,
    Exit.UNREACHABLE, Exit.AUTH, Exit.SEND_INTERRUPTED,
    Exit.USAGE, Exit.INTERRUPTED,
)


def worst(codes: list[Exit]) -> Exit:
    return max(codes, key=SEVERITY.index, default=Exit.OK)


# Each outcome's code, from the one classifier (`tui.actions.outcome`). A cancel that
# certainly did not take effect is 1, like a refusal: safe to send again.
EXIT_BY_KIND: dict[Kind, Exit] = {
    "done": Exit.OK,
    "not-organizer": Exit.NOT_ORGANIZER,
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
