"""What every script subcommand shares: options, the Graph session, output and error handling.

stdout carries data only (text lines or one JSON document); everything meant for a person,
prompts and errors included, goes to stderr. No traceback reaches the user: known failures
become one `cal365: …` line and an exit code from `exits`. Every writer here makes its text
inert (`tui.text`) as it writes, so no caller can send a server's control characters on.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from tui import wiring
from tui.config import ConfigError
from tui.graph.errors import GraphError, GraphUnavailable
from tui.graph.timezones import zone
from tui.graph.urls import CalendarRef, Mailbox
from tui.script.exits import Exit, exit_for
from tui.text import has_unsafe, inert, inert_json, inert_stream
from tui.window import span

# The Graph client (with the HTTP stack) is imported once a command needs Graph, so the
# commands that never ask it (audit, cache, --offline) do not load it.
if TYPE_CHECKING:
    from tui.config import Settings
    from tui.fake import FakeGraph
    from tui.graph.client import GraphClient, TokenProvider
    from tui.graph.policy import RetryPolicy, WaitNotice


T = TypeVar("T")


class ScriptError(Exception):
    """A failure with a message for the user and the exit code it maps to."""

    def __init__(self, code: Exit, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def mailbox_from(args: argparse.Namespace) -> Mailbox:
    user, group = getattr(args, "user", None), getattr(args, "group", None)
    if user is not None:
        if not user.strip():
            raise ScriptError(Exit.USAGE, "--user needs a user principal name or id")
        return Mailbox("user", user.strip())
    if group is not None:
        if not group.strip():
            raise ScriptError(Exit.USAGE, "--group needs a group id")
        return Mailbox("group", group.strip())
    return default_mailbox(args)


@contextmanager
def usage_errors() -> Iterator[None]:
    """A bad setting (tui.wiring's ConfigError) ends the command as a usage error."""
    try:
        yield
    except ConfigError as error:
        raise ScriptError(Exit.USAGE, str(error)) from error


def settings_of(args: argparse.Namespace) -> Settings:
    """The profile's settings as the options and CAL365_* name them; a bad setting is a
    usage error."""
    with usage_errors():
        return wiring.settings_for(args)


def default_mailbox(args: argparse.Namespace) -> Mailbox:
    """The mailbox when none is named: the user's own, or in app-only mode (an app has no
    "me") the one the settings name, as the app opens it."""
    try:
        return wiring.default_mailbox(args)
    except ConfigError as error:
        message = str(error)
        if message == wiring.APP_ONLY_NEEDS_MAILBOX:  # a script may name one with --user
            message += " (or --user)"
        raise ScriptError(Exit.USAGE, message) from error


def timezone_name(args: argparse.Namespace) -> str:
    with usage_errors():
        return wiring.timezone_for(args)


def graph_root(args: argparse.Namespace) -> str:
    """The Graph root URL the options name (checked: tokens travel over TLS only)."""
    with usage_errors():
        return wiring.graph_root(args)


def calendar_from(mailbox: Mailbox, calendar_id: str | None) -> CalendarRef:
    """The calendar the options name: the mailbox's default one unless --calendar is given."""
    if calendar_id is None:
        return CalendarRef(mailbox)
    if not calendar_id.strip():
        raise ScriptError(Exit.USAGE, "--calendar needs a calendar id")
    if mailbox.kind == "group":
        raise ScriptError(Exit.USAGE, "a group has only its default calendar; leave out "
                                      "--calendar with --group")
    return CalendarRef(mailbox, calendar_id.strip())


def window(args: argparse.Namespace, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) for --from/--to/--days: whole days in `tz`, --to included, by the app's
    rules (tui.window.span). --from defaults to --date (the day taken as today) or today,
    and the window to 14 days, like the app's."""
    today = getattr(args, "date", None) or dt.datetime.now(tz).date()
    try:
        first, last = span(getattr(args, "from_date", None), getattr(args, "to_date", None),
                           getattr(args, "days", None), today)
    except ValueError as error:
        raise ScriptError(Exit.USAGE, str(error)) from error
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start, end  # at most MAX_DAYS whole days: `span` holds it to Graph's limit


@dataclass
class Session:
    client: GraphClient
    timezone: str
    tz: dt.tzinfo


@contextmanager
def fake_if_demo(args: argparse.Namespace) -> Iterator[FakeGraph | None]:
    """The in-process fake Graph for --demo (stopped afterwards), else None.

    `cal365 --date D --demo …` seeds the demo mailbox around D, as the app does, so its ids
    and events are the same on every run.
    """
    if not getattr(args, "demo", False):
        yield None
        return
    from tui.fake import FakeGraph

    fake = FakeGraph(today=getattr(args, "date", None)).start()
    try:
        yield fake
    finally:
        fake.stop()


def retry_policy() -> RetryPolicy:
    """The request policy of the client (a seam: tests use one that never sleeps)."""
    from tui.graph.policy import RetryPolicy

    return RetryPolicy()


def _tell_wait(notice: WaitNotice) -> None:
    warn(notice.message)  # a script's user should know why nothing happens for a while


def credentials(args: argparse.Namespace) -> tuple[str, str | TokenProvider]:
    """The Graph root and the token (or token provider) outside the demo.

    The one place the script commands learn how to authenticate: the bearer token in
    CAL365_ACCESS_TOKEN when set (it wins), else the profile's signed-in account through
    the app's own provider (cached tokens, silent refresh; it never asks: a sign-in it would
    need ends the command with exit 5 and says to run `cal365 login`).
    """
    token = wiring.access_token()
    if token:
        return graph_root(args), token
    return signed_in(args)


NOT_SIGNED_IN = (
    "not signed in: no app registration is configured and CAL365_ACCESS_TOKEN is not set. "
    "Set one up and run cal365 login (docs/signing-in.md, \"Signing in\"), set "
    "CAL365_ACCESS_TOKEN, or try the demo with --demo"
)


def signed_in(args: argparse.Namespace) -> tuple[str, TokenProvider]:
    """The profile's sign-in, as the app uses it (tui.auth.provider.MsalProvider)."""
    settings = settings_of(args)
    if not settings.client_id:
        raise ScriptError(Exit.AUTH, NOT_SIGNED_IN)
    with usage_errors():
        root = wiring.checked_root(settings.graph_root)  # the cloud's, or --graph-url's
    return root, wiring.token_provider(settings)


def open_client(args: argparse.Namespace, fake: FakeGraph | None) -> Session:
    """A Graph client for the options: the demo's fake, or the credentials above."""
    tz_name = timezone_name(args)
    token: str | TokenProvider
    if fake is not None:
        base_url, token = fake.base_url, fake.token
    else:
        base_url, token = credentials(args)
    return Session(graph_client(args, base_url, token), tz_name, zone(tz_name) or dt.UTC)


def graph_client(args: argparse.Namespace, base_url: str,
                 token: str | TokenProvider) -> GraphClient:
    """A Graph client as every script command has it: times in the options' zone, the
    commands' retry policy, and each wait said on stderr."""
    return wiring.client_maker(base_url, token, timezone_name(args), policy=retry_policy(),
                               on_wait=_tell_wait)()


def describe_error(error: BaseException) -> str:
    """One line for a Graph failure, worded for a command line (no keys to press)."""
    from tui.problems import CODE_LIMIT, LINE_LIMIT, describe

    if isinstance(error, GraphUnavailable):
        return inert(f"{error}; check the network", LINE_LIMIT)
    text = describe(error)
    if isinstance(error, GraphError) and error.request_id and "request-id" not in text:
        text += f" (request-id {inert(error.request_id, CODE_LIMIT)})"
    return text


WARN_LIMIT = 20_000  # characters of one message; server text inside is bounded before


def warn(message: str) -> None:
    """A message for the person, on stderr, inert (its own line breaks kept)."""
    print(f"cal365: {inert(message, WARN_LIMIT, lines=True)}", file=sys.stderr, flush=True)


def tell(text: str) -> None:
    """Text for the person on stdout (`cache info`, a summary): inert, its own line breaks
    kept."""
    print(inert(text, None, lines=True))


def say(text: str, *, file: TextIO) -> None:
    """A line for the person on `file` (the account commands take their streams as
    arguments): written through an inert stream, its own line breaks kept."""
    print(text, file=inert_stream(file))


def prompt(question: str) -> None:
    """A question on stderr, the answer to be typed on the same line: inert, no newline."""
    sys.stderr.write(inert(question, None, lines=True))
    sys.stderr.flush()


def emit_json(document: Any) -> None:
    """One JSON document on stdout: controls, C1, bidi and invisible format characters in
    its strings are \\uXXXX escapes, the same data for a parser and inert on a terminal."""
    sys.stdout.write(inert_json(json.dumps(document, ensure_ascii=False, indent=2)))
    sys.stdout.write("\n")


def emit_line(*fields: str) -> None:
    """One tab-separated line of data: each field inert and on one line, so a tab or line
    break inside a value can never add a column or a row."""
    sys.stdout.write("\t".join(inert(field, None) for field in fields) + "\n")


def emit_lines(rows: Iterable[Sequence[str]], limits: Sequence[int | None]) -> None:
    """Tab-separated lines of data, each as `emit_line` writes it, every field first cut to
    its column's limit (None: not cut) as `inert` cuts. Written a thousand lines at a time:
    a listing of thousands costs a few writes, and a line with nothing to cut or make inert
    (nearly all) one check instead of one per field."""
    shortest = min((limit for limit in limits if limit is not None), default=None)
    lines: list[str] = []
    for row in rows:
        if ((shortest is None or max(map(len, row), default=0) <= shortest)
                and not has_unsafe("".join(row))):
            lines.append("\t".join(row))
        else:
            lines.append("\t".join(inert(field, limit)
                                   for field, limit in zip(row, limits, strict=True)))
        if len(lines) == 1000:
            sys.stdout.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")


def guard(command: Callable[[], int]) -> int:
    """Run a subcommand; turn every expected failure into a message and an exit code."""
    try:
        code = command()
        sys.stdout.flush()
        return code
    except ScriptError as error:
        warn(error.message)
        return int(error.code)
    except KeyboardInterrupt:
        warn("interrupted")
        return int(Exit.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python's exit-time flush
        # from complaining about the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return int(Exit.OK)
    except OSError as error:  # a local file or folder (state, cache, config) is unusable
        from tui.paths import file_problem

        warn(f"cannot use cal365's files: {file_problem(error)}")
        return int(Exit.ERROR)
    except Exception as error:  # a script gets one line and a code, never a traceback
        from tui.problems import describe

        warn(describe(error))
        return int(Exit.ERROR)


class GraphRuns:
    """Runs coroutines against Graph, each in its own event loop with a fresh client.

    A command that must ask the user between two steps (cancel's confirmation) asks outside
    any event loop, so Ctrl+C at the prompt interrupts at once.
    """

    def __init__(self, args: argparse.Namespace, fake: FakeGraph | None) -> None:
        self.args = args
        self.fake = fake

    def run(self, body: Callable[[Session], Awaitable[T]], *, interrupt_once: bool = False
            ) -> T:
        """Run `body`; a Graph failure it does not handle ends the command with its code.

        `interrupt_once`: the first Ctrl+C cancels the run (KeyboardInterrupt once it has
        unwound) and every later one is ignored, from that very moment: asyncio's own
        handler raises a second one wherever the interpreter is (inside the run's clean-up,
        a weakref callback), cutting short what the caller must still say. The caller puts
        Ctrl+C back when it has said it."""
        session = open_client(self.args, self.fake)

        async def main() -> T:
            try:
                return await body(session)
            except (GraphError, GraphUnavailable) as error:
                raise ScriptError(exit_for(error), describe_error(error)) from error
            finally:
                await session.client.aclose()

        if not interrupt_once or threading.current_thread() is not threading.main_thread():
            return asyncio.run(main())
        return _run_interrupted_once(main)


def _run_interrupted_once(main: Callable[[], Awaitable[T]]) -> T:
    interrupted = False
    with asyncio.Runner() as runner:
        loop = runner.get_loop()
        tasks: list[asyncio.Task[Any]] = []

        def on_sigint(signum: int, frame: object) -> None:
            nonlocal interrupted
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the later presses
            interrupted = True
            if tasks:
                loop.call_soon_threadsafe(tasks[0].cancel)

        async def watched() -> T:
            task = asyncio.current_task()
            if task is not None:
                tasks.append(task)
            if interrupted:  # pressed before the run began: nothing of it may start
                raise asyncio.CancelledError
            return await main()

        # Installed before the runner runs: it then leaves SIGINT to this handler.
        previous = signal.signal(signal.SIGINT, on_sigint)
        try:
            return runner.run(watched())
        except asyncio.CancelledError:
            if interrupted:
                raise KeyboardInterrupt from None
            raise
        finally:
            if not interrupted:
                signal.signal(signal.SIGINT, previous)


@contextmanager
def graph(args: argparse.Namespace) -> Iterator[GraphRuns]:
    """Graph as the options name it, the demo's fake started (and stopped) around the runs."""
    with fake_if_demo(args) as fake:
        yield GraphRuns(args, fake)


def with_graph(args: argparse.Namespace, body: Callable[[Session], Awaitable[int]]) -> int:
    """Open the Graph session the options name, run `body`, close."""
    with graph(args) as runs:
        return runs.run(body)
