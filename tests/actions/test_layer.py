"""The action layer is UI-free: importing all of it (and the status words) loads no Textual
and nothing from the screens, widgets, scripts or CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(f"tui.actions.{p.stem}" for p in (ROOT / "tui" / "actions").glob("*.py")
                 if p.stem != "__init__")


def test_the_action_layer_imports_nothing_above_it() -> None:
    assert {"tui.actions.cancel", "tui.actions.outcome", "tui.actions.triage"} <= set(MODULES)
    code = (f"import sys\nfor m in {MODULES!r}: __import__(m)\n"
            "print(' '.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.split()
    above = [m for m in loaded if m.split(".")[0] == "textual"
             or m.startswith(("tui.screens", "tui.widgets", "tui.script", "tui.cli", "tui.app"))]
    assert above == []


def test_the_status_words_load_no_textual() -> None:
    code = "import sys, tui.screens.status_lines\nprint(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.split()
    assert [m for m in loaded if m.split(".")[0] == "textual"] == []
