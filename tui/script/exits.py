"""Exit codes of the script subcommands: the one place they are defined and documented.

Scripts branch on these, so they never change meaning. When one run has several outcomes
(a cancel of many events), the exit code is the worst of them in SEVERITY order.
"""

from __future__ import annotations

from enum import IntEnum

from tui.graph.errors import (
    AuthenticationRequired,
    GraphUnavailable,
    NotFound,
    OrganizerRequired,
)


class Exit(IntEnum):
    OK = 0  # done: everything asked for succeeded
    ERROR = 1  # another error: Graph refused for another reason, a cancel certainly not sent…
    USAGE = 2  # bad options or arguments; a cancel without --yes and without a terminal
    NOT_ORGANIZER = 3  # Graph refused a cancel: the user does not organize the meeting
    NOT_FOUND = 4  # an event, calendar, user or group does not exist (or is already gone)
    AUTH = 5  # sign-in needed: no token, or Graph rejected it
    UNREACHABLE = 6  # Graph could not be reached or did not answer; a cancel may be unconfirmed
    INTERRUPTED = 130  # Ctrl+C


EXIT_CODE_HELP = """\
exit codes:
  0    done
  1    other error (Graph refused for another reason; a cancel that certainly did not go
       through; you answered no at the prompt; the audit log cannot be read)
  2    usage error (bad option or date, unreadable --comment-file; cancel without --yes
       and without a terminal)
  3    not the organizer: Graph refused to cancel a meeting the user does not organize
  4    not found: no such event, calendar, user or group (or already cancelled)
  5    sign-in needed: no access token, or Graph rejected it
  6    Graph unreachable or no answer (a cancel may or may not have gone through)
  130  interrupted (Ctrl+C)
  With several events the worst outcome wins: 5 > 6 > 1 > 3 > 4 > 0.
"""

# Worst last: sign-in trouble stops the whole run; an unconfirmed cancel needs checking by
# hand; "not found" is often "already cancelled", so it is the mildest failure.
SEVERITY: tuple[Exit, ...] = (
    Exit.OK, Exit.NOT_FOUND, Exit.NOT_ORGANIZER, Exit.ERROR, Exit.UNREACHABLE, Exit.AUTH,
    Exit.USAGE, Exit.INTERRUPTED,
)


def worst(codes: list[Exit]) -> Exit:
    return max(codes, key=SEVERITY.index, default=Exit.OK)


def exit_for(error: BaseException) -> Exit:
    if isinstance(error, OrganizerRequired):
        return Exit.NOT_ORGANIZER
    if isinstance(error, NotFound):
        return Exit.NOT_FOUND
    if isinstance(error, AuthenticationRequired):
        return Exit.AUTH
    if isinstance(error, GraphUnavailable):
        return Exit.UNREACHABLE
    return Exit.ERROR
