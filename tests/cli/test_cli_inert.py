"""Server and file text reaches no script command's output raw: stdout, stderr and --json.

Graph's error code and message, subjects, names and audit lines carry escape sequences (a
cleared screen, an OSC 52 clipboard write), BEL, C1 controls and bidi overrides; what the
commands print must carry none of them, while --json keeps the data exact for a parser.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Cal365, FakeTerminal, when_cancels_go
from tests.unsafe import raw_controls
from tui.actions import audit
from tui.fake import FakeGraph, Fault
from tui.fake.bulk import add_meetings
from tui.graph import ME, EventRef, GraphError
from tui.script.exits import Exit

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # would put "rm -rf ~" on the clipboard
HOSTILE = f"Lunch\x1b[2J{OSC52}\x9b31m\x9d0;pwned\x9c \u202egnp.exe\u2066 x\u200by\u2028z\x7f"
CODE = "ErrorAccessDenied\x1b[5m\u202e"
WINDOW = ("--from", "2026-11-23", "--to", "2026-11-24")  # the fake's today (conftest)


def assert_inert(*outputs: str) -> None:
    for output in outputs:  # tabs and line breaks are the format of the output itself
        assert raw_controls(output, "\t\n") == [], output
        assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output


def refuse_everything(fake: FakeGraph) -> None:
    fake.faults.add(Fault("refuse", status=403, code=CODE, message=HOSTILE, times=None))


@pytest.mark.parametrize("argv", [
    ("events",), ("events", "--json"), ("calendars",), ("calendars", "--json"),
    ("events", "--user", "someone@example.test"),
])
def test_graph_error_text_is_inert_on_stderr(
    cal365: Cal365, fake_graph: FakeGraph, argv: tuple[str, ...]
) -> None:
    refuse_everything(fake_graph)
    run = cal365(*argv)
    assert run.code != Exit.OK
    assert_inert(run.out, run.err)
    # The words stay readable: the user can still quote them to an administrator.
    assert "Lunch" in run.err and "pwned" in run.err and "ErrorAccessDenied" in run.err
    assert "Traceback" not in run.err


def test_a_refused_cancel_says_why_inertly(
    cal365: Cal365, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    (event_id,) = add_meetings(fake_graph.store, 1, subject=HOSTILE)
    monkeypatch.setattr("sys.stdin", FakeTerminal("y\n"))
    when_cancels_go(fake_graph, lambda: fake_graph.faults.add(Fault(
        "refuse", method="POST", status=403, code=CODE, message=HOSTILE, times=None)))
    run = cal365("cancel", event_id, "--comment", "Sorry")
    assert run.code != Exit.OK
    assert_inert(run.out, run.err)
    assert "About to cancel 1 meeting" in run.err and "gnp.exe" in run.err


def test_a_hostile_subject_is_inert_in_the_prompt_and_the_result(
    cal365: Cal365, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    (event_id,) = add_meetings(fake_graph.store, 1, subject=HOSTILE)
    monkeypatch.setattr("sys.stdin", FakeTerminal("y\n"))
    run = cal365("cancel", event_id, "--comment", "Sorry")
    assert run.code == Exit.OK, run.err
    assert_inert(run.out, run.err)
    [row] = run.rows
    assert row[0] == "cancelled" and row[-1] == event_id


def test_listing_text_is_inert_and_keeps_its_columns(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    add_meetings(fake_graph.store, 2, subject=HOSTILE + "\tand\na tab")
    run = cal365("events", *WINDOW)
    assert run.code == Exit.OK, run.err
    assert_inert(run.out, run.err)
    rows = [row for row in run.rows if "Lunch" in row[2]]
    assert len(rows) == 2 and {len(row) for row in run.rows} == {5}


def test_json_escapes_every_unsafe_character_and_keeps_the_data(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    add_meetings(fake_graph.store, 1, subject=HOSTILE)
    run = cal365("events", "--json", *WINDOW)
    assert run.code == Exit.OK, run.err
    assert_inert(run.out, run.err)
    for escape in ("\\u001b", "\\u0007", "\\u009b", "\\u009d", "\\u202e", "\\u2066",
                   "\\u200b", "\\u2028", "\\u007f"):
        assert escape in run.out, escape
    subjects = [e["subject"] for e in run.json["events"]]
    assert f"{HOSTILE} 1" in subjects  # exact, for a parser


@pytest.fixture
def hostile_log(home: Path) -> Iterator[None]:
    """An audit log whose lines carry hostile text, as an edited or planted file could."""
    error = GraphError(403, CODE, HOSTILE, f"req{OSC52}")
    audit.append(audit.entry_for(EventRef(f"E{OSC52}", ME), subject=HOSTILE, start=None,
                                 comment=HOSTILE, error=error, source="cli"))
    yield


@pytest.mark.usefixtures("hostile_log")
def test_audit_lines_from_the_file_are_inert(run_cli: Cal365) -> None:
    text = run_cli("audit")
    assert text.code == Exit.OK, text.err
    assert_inert(text.out, text.err)
    assert "gnp.exe" in text.out
    as_json = run_cli("audit", "--json")
    assert_inert(as_json.out, as_json.err)
    [entry] = as_json.json
    assert entry["subject"] == HOSTILE and entry["error"] == HOSTILE


def test_dry_run_of_a_hostile_comment_is_inert_and_exact(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    (event_id,) = add_meetings(fake_graph.store, 1)
    comment = "Moved\u202e to\u200b Friday"
    for argv in (("--dry-run",), ("--dry-run", "--json")):
        run = cal365("cancel", event_id, "--comment", comment, *argv)
        assert run.code == Exit.OK, run.err
        assert_inert(run.out, run.err)
    assert json.loads(run.out)["requests"][0]["body"] == {"Comment": comment}


@pytest.fixture
def hostile_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's in-process fake Graph, refusing every request with hostile text."""
    start = FakeGraph.start

    def refusing(self: FakeGraph) -> FakeGraph:
        started = start(self)
        refuse_everything(started)
        return started

    monkeypatch.setattr(FakeGraph, "start", refusing)


@pytest.mark.usefixtures("hostile_demo")
@pytest.mark.parametrize("argv", [
    ("sync", "--from", "2026-11-23", "--to", "2026-11-29"),
    ("sync", "--from", "2026-11-23", "--to", "2026-11-29", "--json"),
    ("events",), ("calendars", "--json"),
])
def test_demo_commands_against_a_hostile_graph_are_inert(
    run_cli: Cal365, home: Path, argv: tuple[str, ...]
) -> None:
    run = run_cli("--demo", "--date", "2026-11-23", "--cache", "plaintext", *argv)
    assert run.code != Exit.OK
    assert_inert(run.out, run.err)
    assert "pwned" in run.err


def test_cache_info_shows_a_hostile_state_folder_inertly(
    run_cli: Cal365, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / f"home{OSC52}\u202e"
    monkeypatch.setenv("CAL365_HOME", str(folder))
    for argv in (("cache", "info"), ("cache", "info", "--json")):
        run = run_cli("--demo", "--cache", "plaintext", *argv)
        assert run.code == Exit.OK, run.err
        assert_inert(run.out, run.err)
    assert json.loads(run.out)["path"].startswith(str(folder))


def test_a_broken_settings_file_under_a_hostile_folder_is_named_inertly(
    run_cli: Cal365, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app with a bare token reads the settings too (for its account's cache): their
    error names the file, whose path is the environment's text, inert as everywhere else."""
    folder = tmp_path / f"home{OSC52}\u202e"
    (folder / "config").mkdir(parents=True)
    (folder / "config" / "config.toml").write_text("not = = toml\n", encoding="utf-8")
    monkeypatch.setenv("CAL365_HOME", str(folder))
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "a-token")
    run = run_cli("--timezone", "UTC")
    assert run.code == Exit.USAGE
    assert_inert(run.out, run.err)
    assert "cannot read" in run.err and "config.toml" in run.err


@pytest.mark.parametrize("argv", [("events",), ("events", "--json"), ("calendars",)])
def test_the_bytes_a_real_process_writes_carry_no_raw_control(
    fake_graph: FakeGraph, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    """The same, as bytes on the pipes of a real `cal365` process: nothing raw, in UTF-8
    (C2 9B is U+009B) or as a bare 8-bit byte."""
    import os
    import subprocess
    import sys

    refuse_everything(fake_graph)
    env = {**os.environ, "CAL365_HOME": str(tmp_path / "home"),
           "CAL365_ACCESS_TOKEN": fake_graph.token, "CAL365_TIMEZONE": "Europe/Berlin",
           "PYTHONIOENCODING": "utf-8"}
    env.pop("CAL365_GRAPH_URL", None)
    done = subprocess.run([sys.executable, "-m", "tui", *argv, "--graph-url",
                           fake_graph.base_url], capture_output=True, env=env, timeout=120)
    assert done.returncode not in (0, None)
    for stream in (done.stdout, done.stderr):
        for raw in (b"\x1b", b"\x07", b"\x7f", b"\xc2\x9b", b"\xc2\x9d", b"\xe2\x80\xae",
                    b"\xe2\x81\xa6", b"\xe2\x80\x8b", b"\xe2\x80\xa8"):
            assert raw not in stream, (raw, stream)
        stream.decode("utf-8")  # well-formed: no stray 8-bit byte
    assert b"pwned" in done.stderr and b"Traceback" not in done.stderr


def test_script_commands_write_only_through_the_inert_writers() -> None:
    """Only tui/script/common.py writes to stdout or stderr; every other command module uses
    its writers (warn, tell, prompt, emit_line, emit_json), which make text inert. A new
    `print` elsewhere would be a path that could forget."""
    import ast

    root = Path(__file__).resolve().parents[2] / "tui" / "script"
    offenders = []
    for path in sorted(root.glob("*.py")):
        if path.name == "common.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "print":
                offenders.append(f"{path.name}:{node.lineno} print")
            elif (isinstance(func, ast.Attribute) and func.attr == "write"
                  and isinstance(func.value, ast.Attribute)
                  and func.value.attr in ("stdout", "stderr")):
                offenders.append(f"{path.name}:{node.lineno} {func.value.attr}.write")
    assert offenders == []
