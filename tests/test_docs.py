"""The parts of the docs that the code writes (keys, exit codes, the benchmark table) are
current: a key added to the registry or a code's meaning changed in exits.py fails here until
`python -m tui.docs` has rewritten the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui import docs
from tui.bench.__main__ import SCENARIOS
from tui.bench.stats import Row, table
from tui.commands import COMMANDS
from tui.script.exits import Exit


@pytest.mark.parametrize("part", docs.PARTS, ids=lambda p: f"{p.path}:{p.name}")
def test_the_generated_part_is_current(part: docs.Part) -> None:
    committed = docs.region((docs.ROOT / part.path).read_text(encoding="utf-8"), part.name)
    assert committed == part.make(), (
        f"{part.path}: the part between <!-- {part.name}:start --> and "
        f"<!-- {part.name}:end --> is out of date; run `{docs.REGENERATE}` and commit it")


def test_every_command_and_exit_code_is_in_the_docs() -> None:
    written = "".join(docs.region((docs.ROOT / p.path).read_text(encoding="utf-8"), p.name)
                      for p in docs.PARTS)
    for command in COMMANDS:
        assert f"| {docs._cell(command.help)} |" in written, command.id
    for code in Exit:
        assert f"\n| {int(code)} | " in written, code


def test_check_mode_reports_a_stale_part_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for part in docs.PARTS:
        target = tmp_path / part.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((docs.ROOT / part.path).read_text(encoding="utf-8"), encoding="utf-8")
    stale = tmp_path / "docs" / "scripting.md"
    stale.write_text(stale.read_text(encoding="utf-8").replace("| 4 | not found", "| 4 | gone"),
                     encoding="utf-8")
    before = stale.read_text(encoding="utf-8")
    monkeypatch.setattr(docs, "ROOT", tmp_path)
    assert docs.main(["--check"]) == 1
    assert "out of date: docs/scripting.md" in capsys.readouterr().out
    assert stale.read_text(encoding="utf-8") == before
    assert docs.main([]) == 0
    assert "| 4 | not found" in stale.read_text(encoding="utf-8")
    assert docs.main(["--check"]) == 0


def test_a_file_without_its_markers_is_named() -> None:
    with pytest.raises(docs.MarkerError, match="keys:start"):
        docs.replace_region("# no markers here\n", "keys", "x\n")


def test_text_outside_the_markers_is_kept() -> None:
    text = "before\n<!-- k:start -->\nold\n<!-- k:end -->\nafter\n"
    assert docs.replace_region(text, "k", "new\n") == (
        "before\n<!-- k:start -->\nnew\n<!-- k:end -->\nafter\n")


def test_the_benchmark_table_has_the_shape_the_benchmark_prints() -> None:
    """Only the shape: the figures are whatever the last run measured."""
    part = docs.region((docs.ROOT / docs.BENCH_DOC).read_text(encoding="utf-8"), "bench")
    assert part.startswith("`python -m tui.bench"), "how and when the table was taken"
    blocks = re.findall(r"^```\n(.*?)^```$", part, re.S | re.M)
    assert len(blocks) == 1, "one table, in one code block"
    lines = blocks[0].splitlines()
    # The header and rule as tui.bench.stats.table prints them.
    expected = table([Row("1 x", "y", "s", [1.0, 2.0], "≤ 1 s", True)]).splitlines()
    assert lines[0].split() == expected[0].split()
    assert set(lines[1]) == {"-", " "}
    rows = lines[2:lines.index("")] if "" in lines else lines[2:]
    scenarios = {row.split()[0] for row in rows}
    assert scenarios == set(SCENARIOS), "every scenario has its rows"
    for row in rows:
        assert re.match(r"\d+ \S", row), row


def test_the_benchmark_writes_its_table_between_the_markers(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    page.write_text("# P\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\nAfter.\n",
                    encoding="utf-8")
    text = table([Row("1 cold start", "ratio", "×", [1.1, 1.2], "≤ 1.3", True)])
    assert docs.write_region(page, "bench", docs.bench_part(
        text, quick=False, when="2026-12-07 23:00 UTC", machine="on 2 cores"))
    written = page.read_text(encoding="utf-8")
    assert "`python -m tui.bench`, 2026-12-07 23:00 UTC, on 2 cores:\n\n```\nscenario" in written
    assert written.endswith("```\n<!-- bench:end -->\n\nAfter.\n")
