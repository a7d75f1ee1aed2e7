"""The exit-code table: documented once, in step with the codes the commands return."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Cal365
from tui.script.exits import EXIT_CODE_HELP, SEVERITY, Exit, worst


def test_every_code_is_documented() -> None:
    documented = {int(m) for m in re.findall(r"^  (\d+) ", EXIT_CODE_HELP, re.MULTILINE)}
    assert documented == {int(code) for code in Exit}
    assert len({int(code) for code in Exit}) == len(Exit)  # distinct


def test_documented_order_is_the_severity_order() -> None:
    line = next(x for x in EXIT_CODE_HELP.splitlines() if "worst outcome wins" in x)
    order = [int(n) for n in line.split(":", 1)[1].rstrip(".").split(">")]
    ranked = [int(code) for code in reversed(SEVERITY) if code in order]
    assert order == ranked


def test_worst() -> None:
    assert worst([]) == Exit.OK
    assert worst([Exit.OK, Exit.NOT_FOUND, Exit.NOT_ORGANIZER]) == Exit.NOT_ORGANIZER
    assert worst([Exit.AUTH, Exit.UNREACHABLE, Exit.ERROR]) == Exit.AUTH


def test_help_shows_the_table(run_cli: Cal365) -> None:
    for command in ("calendars", "events", "cancel", "audit"):
        run = run_cli(command, "--help")
        assert run.code == 0
        assert "exit codes:" in run.out
        assert "not the organizer" in run.out


def test_unknown_subcommand_is_a_usage_error(run_cli: Cal365) -> None:
    run = run_cli("frobnicate")
    assert run.code == 2
    assert "invalid choice" in run.err


def test_without_a_subcommand_the_app_starts_as_before(
    run_cli: Cal365, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app import Cal365App

    started: list[Cal365App] = []
    monkeypatch.setattr(Cal365App, "run", lambda self, *a, **k: started.append(self))
    run = run_cli("--demo", "--date", "2026-11-23", "--days", "7")
    assert run.code == 0
    assert len(started) == 1
    monkeypatch.delenv("CAL365_ACCESS_TOKEN", raising=False)
    run = run_cli()
    assert run.code == 2
    assert "no app registration is configured" in run.err


def test_script_commands_never_load_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "rc = main(['--demo', 'events', '--mine'])\n"
        "print(rc, any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, "CAL365_HOME": str(tmp_path)})
    assert result.stdout.splitlines()[-1] == "0 False"


def test_an_unexpected_failure_is_one_line(run_cli: Cal365, home: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(args: object) -> list[object]:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "token")
    monkeypatch.setattr("tui.script.cancel.event_refs", broken)
    run = run_cli("cancel", "E1", "--yes")
    assert run.code == Exit.ERROR
    assert run.err == "cal365: unexpected error (RuntimeError: the disk is on fire)\n"


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    # `cal365 … | head -1`: the reader goes away; no traceback, no complaint. 3000 dry-run
    # lines are far more than a pipe holds, so the writer certainly meets the closed pipe.
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "ids = [f'AAMkEvent{i:05d}=' for i in range(3000)]\n"
        "sys.exit(main(['cancel', '--dry-run', *ids, '--comment', 'x' * 100]))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE,
                               env={**os.environ, "CAL365_HOME": str(tmp_path)})
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=30) == 0
    assert first.startswith(b"POST /me/events/AAMkEvent00000=/cancel ")
    assert "Traceback" not in err
    assert "Broken pipe" not in err


def test_the_demo_app_keeps_its_files_apart(
    run_cli: Cal365, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tui.actions import audit
    from tui.app import Cal365App

    monkeypatch.setenv("CAL365_HOME", str(tmp_path))
    seen: list[Path] = []
    monkeypatch.setattr(Cal365App, "run", lambda self, *a, **k: seen.append(audit.audit_path()))
    assert run_cli("--demo", "--date", "2026-11-23").code == 0
    assert seen == [tmp_path / "state" / "demo" / "audit.jsonl"]
    assert audit.audit_path() == tmp_path / "state" / "audit.jsonl"
