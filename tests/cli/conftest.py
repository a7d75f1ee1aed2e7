"""Run `cal365 <subcommand>` in-process against the fake Graph and capture what it prints."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main
from tui.fake import FakeGraph


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def rows(self) -> list[list[str]]:
        return [line.split("\t") for line in self.out.splitlines()]


Cal365 = Callable[..., Run]


async def _instant(seconds: float) -> None:
    """Retries and settling pauses happen at once in tests."""


@pytest.fixture(autouse=True)
def no_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.graph.policy import RetryPolicy

    monkeypatch.setattr("tui.script.common.retry_policy", lambda: RetryPolicy(sleep=_instant))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private CAL365_HOME, so the audit log of a test is its own."""
    monkeypatch.setenv("CAL365_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Cal365:
    def run(*argv: str) -> Run:
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def cal365(
    fake_graph: FakeGraph, home: Path, run_cli: Cal365, monkeypatch: pytest.MonkeyPatch
) -> Cal365:
    """`cal365 ARGS --graph-url <fake>` with the fake's token in CAL365_ACCESS_TOKEN."""
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", fake_graph.token)
    monkeypatch.setenv("CAL365_TIMEZONE", "Europe/Berlin")
    monkeypatch.delenv("CAL365_GRAPH_URL", raising=False)

    def run(*argv: str) -> Run:
        return run_cli(*argv, "--graph-url", fake_graph.base_url)

    return run


class FakeTerminal:
    """A stdin that is (or is not) a terminal and answers the prompt with `answer`."""

    def __init__(self, answer: str, *, tty: bool = True) -> None:
        self.answer = answer
        self.tty = tty
        self.asked = 0
        self.asked_inside_event_loop = False

    def isatty(self) -> bool:
        return self.tty

    def readline(self) -> str:
        import asyncio

        self.asked += 1
        try:  # asked inside a running loop, Ctrl+C would only cancel a task, not stop
            asyncio.get_running_loop()
            self.asked_inside_event_loop = True
        except RuntimeError:
            pass
        return self.answer

    def read(self) -> str:
        return self.answer


def looks_up(request: Any) -> bool:
    """A `$batch` of look-ups (as it arrives at the fake, or as the fake recorded it): GETs
    only, which change nothing."""
    if request.method != "POST" or not request.raw_path.split("?")[0].endswith("/$batch"):
        return False
    try:
        requests = json.loads(request.body)["requests"]
    except (ValueError, KeyError, TypeError):
        return False
    return all(isinstance(r, dict) and r.get("method") == "GET" for r in requests)


def when_cancels_go(fake: FakeGraph, then: Callable[[], object]) -> None:
    """Call `then()` once, as the first request that may cancel (a POST other than a batch
    of look-ups) reaches the fake, before the fake handles it: faults meant for the cancels,
    not for the look-ups before them."""
    real_dispatch = fake.dispatch
    lock = threading.Lock()
    called = False

    def dispatch(request: Any) -> Any:
        nonlocal called
        if request.method == "POST" and not looks_up(request):
            with lock:
                if not called:
                    called = True
                    then()
        return real_dispatch(request)

    fake.dispatch = dispatch  # type: ignore[method-assign]
