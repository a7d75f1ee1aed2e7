"""Odd input to the script commands: refused with a clear usage error before anything is sent."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Cal365
from tui.fake import FakeGraph
from tui.fake.bulk import add_meetings
from tui.script.exits import Exit


def test_a_control_character_in_the_comment_is_a_usage_error(
    cal365: Cal365, fake_graph: FakeGraph, tmp_path: Path
) -> None:
    (event_id,) = add_meetings(fake_graph.store, 1)
    fake_graph.clear_requests()
    run = cal365("cancel", event_id, "--yes", "--comment", "bye\x1b[2J now")
    assert run.code == Exit.USAGE
    assert "control character (U+001B at character 4)" in run.err and "nothing was sent" in run.err
    assert fake_graph.requests == [] and fake_graph.store.cancel_log == []
    # Windows line endings in a comment file are text, not control characters.
    path = tmp_path / "comment.txt"
    path.write_text("Sorry,\r\nmoved to Friday.\r\n", encoding="utf-8")
    done = cal365("cancel", event_id, "--yes", "--comment-file", str(path))
    assert done.code == Exit.OK, done.err
    assert len(fake_graph.store.cancel_log) == 1


def test_a_window_beyond_the_calendar_is_a_usage_error(cal365: Cal365) -> None:
    run = cal365("events", "--from", "9999-12-30", "--to", "9999-12-31")
    assert run.code == Exit.USAGE and "cal365 shows dates from 1900 to 2999" in run.err
    assert "unexpected" not in run.err
