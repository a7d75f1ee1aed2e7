"""The app, run as `cal365 --demo` on a terminal, exits non-zero when it crashes and zero
when the user quits."""

from __future__ import annotations

import re
from pathlib import Path

from tests.ptyapp import PtyApp


def test_a_crash_exits_non_zero(tmp_path: Path) -> None:
    app = PtyApp(tmp_path, "crash")
    try:
        app.wait_for(b"Calendar:")  # the status line, once events show
        app.settle(0.3)
        app.type(b"?")
        code = app.ended()
    finally:
        app.close()
    assert code != 0
    assert "forced crash for the test" in app.output
    assert "the app stopped on an unexpected error" in app.output


def test_quitting_exits_zero(tmp_path: Path) -> None:
    app = PtyApp(tmp_path)
    try:
        app.wait_for(b"Calendar:")
        app.settle(0.3)
        app.type(b"q")
        code = app.ended()
    finally:
        app.close()
    assert code == 0, app.output[-2000:]
    assert "unexpected error" not in app.output


def test_a_state_and_cache_folder_that_cannot_be_made_is_said_not_crashed_on(
        tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file where CAL365_HOME's folders should go")
    app = PtyApp(blocker / "home")
    try:
        app.wait_for(b"Calendar:")
        app.settle(0.5)
        app.type(b"q")
        code = app.ended()
    finally:
        app.close()
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\r\n│▌ ]+", " ", app.output)
    assert code == 0
    assert "unexpected error" not in screen and "Traceback" not in screen
    assert "comment drafts cannot be saved" in screen
