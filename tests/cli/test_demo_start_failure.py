"""`cal365 --demo` whose fake Graph cannot start: one clear line and a non-zero exit before
the app starts, never a traceback, never a screen of refused connections."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Cal365

linux = pytest.mark.skipif(not sys.platform.startswith("linux"),
                           reason="the demo forks its fake Graph on Linux and the BSDs")

# Run as `cal365 --demo` in a fresh interpreter (one thread: the demo forks its fake Graph),
# with a failure injected first. Textual is never reached when the failure is caught: the app
# is replaced by one that says it ran, so a missed failure shows instead of hanging.
_DEMO = """
import sys
from tui.app import Cal365App
Cal365App.run = lambda self, *a, **k: print("THE APP RAN")
{inject}
from tui.cli import main
sys.exit(main(["--demo", "--date", "2026-11-23"]))
"""


def _demo_with(inject: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _DEMO.format(inject=inject)],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "CAL365_HOME": str(home)})


def _one_clear_line(done: subprocess.CompletedProcess[str], reason: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "THE APP RAN" not in done.stdout
    assert done.stderr == f"cal365: the demo service did not start: {reason}\n"


@linux
def test_a_child_whose_server_fails_says_why(tmp_path: Path) -> None:
    done = _demo_with(
        "from tui.fake import server\n"
        "def broken(self, listening=None):\n"
        "    raise OSError(24, 'Too many open files')\n"
        "server.FakeGraph.start = broken\n",
        tmp_path,
    )
    _one_clear_line(done, "Too many open files")


@linux
def test_a_child_whose_demo_mailbox_fails_to_build_says_why(tmp_path: Path) -> None:
    done = _demo_with(
        "import tui.fake.seed as seed\n"
        "def broken(today, data=None):\n"
        "    raise ValueError('no demo mailbox for this date\\nsecond line')\n"
        "seed.build = broken\n",
        tmp_path,
    )
    _one_clear_line(done, "ValueError: no demo mailbox for this date second line")


@linux
def test_a_child_that_dies_silently_is_noticed(tmp_path: Path) -> None:
    done = _demo_with(
        "import os\n"
        "from tui.fake import server\n"
        "server.FakeGraph.start = lambda self, listening=None: os._exit(9)\n",
        tmp_path,
    )
    _one_clear_line(done, "it ended before it was ready")


@linux
def test_no_loopback_socket_is_said_before_any_child(tmp_path: Path) -> None:
    done = _demo_with(
        "import tui.fake.child as child\n"
        "def refused():\n"
        "    raise OSError(97, 'Address family not supported by protocol')\n"
        "child._listening_socket = refused\n",
        tmp_path,
    )
    _one_clear_line(done, "no loopback socket for it: Address family not supported by protocol")


@linux
def test_no_pipe_for_the_child_is_said_too(tmp_path: Path) -> None:
    done = _demo_with(
        "import tui.fake.child as child\n"
        "def exhausted():\n"
        "    raise OSError(24, 'Too many open files')\n"
        "child.os.pipe = exhausted\n",
        tmp_path,
    )
    _one_clear_line(done, "Too many open files")


@linux
def test_a_healthy_child_lets_the_app_start(tmp_path: Path) -> None:
    done = _demo_with("", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "THE APP RAN" in done.stdout and done.stderr == ""


def test_the_in_process_fake_failing_is_said_too(
    run_cli: Cal365, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Where forking is not safe the fake runs in a thread of the app's own process.
    from tui.app import Cal365App
    from tui.fake import server

    ran: list[bool] = []
    monkeypatch.setenv("CAL365_HOME", str(tmp_path))
    monkeypatch.setattr("tui.fake.child.can_fork", lambda: False)
    monkeypatch.setattr(Cal365App, "run", lambda self, *a, **k: ran.append(True))

    def broken(self: object, listening: object = None) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(server.FakeGraph, "start", broken)
    run = run_cli("--demo", "--date", "2026-11-23")
    assert run.code == 1 and not ran
    assert run.err == "cal365: the demo service did not start: Address already in use\n"
