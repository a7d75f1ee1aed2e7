"""Layering rules that keep the Graph layer reusable and the UI free of HTTP."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI_PATHS = [ROOT / "tui" / "screens", ROOT / "tui" / "widgets", ROOT / "tui" / "app.py",
            ROOT / "tui" / "palette.py", ROOT / "tui" / "messages.py"]


@pytest.mark.parametrize("package", ["tui.graph", "tui.fake", "tui.cache"])
def test_layer_imports_without_textual(package: str) -> None:
    code = (
        f"import sys, {package}\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_ui_never_speaks_http_or_builds_urls() -> None:
    files = [p for base in UI_PATHS for p in ([base] if base.is_file() else base.rglob("*.py"))]
    assert files
    for path in files:
        imported = _imports(path)
        assert not {"httpx", "urllib.parse", "tui.graph.urls", "tui.graph.client"} & imported, path


def test_styles_live_only_in_the_stylesheet() -> None:
    for path in (ROOT / "tui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
                assert not {"CSS", "DEFAULT_CSS"} & set(targets), path


def test_what_paints_a_sealed_frame_loads_no_http_cache_store_or_main_screen() -> None:
    """A warm start paints its sealed frame before the rest of cal365 is imported: the HTTP
    stack, SQLite and the Graph models, the main screen and the stylesheet's widgets come
    after it. An import added to this path costs every warm start its time."""
    import subprocess
    import sys

    first_frame = ("tui.cli", "tui.app", "tui.startup.early", "tui.startup.opening", "tui.cache",
                   "tui.startup.frame", "tui.startup.sealed_frame", "tui.startup.forking",
                   "tui.fake.child", "tui.paths", "tui.startup")
    code = (f"import sys\nfor m in {first_frame!r}: __import__(m)\n"
            "print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True, cwd=ROOT).stdout.split())
    later = {"httpx", "sqlite3", "tui.graph.models", "tui.graph.client", "tui.sync",
             "tui.cache.store", "tui.screens.main", "tui.widgets.event_table", "msal", "keyring"}
    assert not later & loaded, sorted(later & loaded)


def test_the_forking_helper_imports_nothing_of_cal365() -> None:
    """The fake Graph forks through it, and the fake never imports the client it checks."""
    imported = _imports(ROOT / "tui" / "startup" / "forking.py")
    assert not {name for name in imported if name == "tui" or name.startswith("tui.")}
    init = ast.parse((ROOT / "tui" / "startup" / "__init__.py").read_text(encoding="utf-8"))
    assert not [n for n in init.body if isinstance(n, ast.Import | ast.ImportFrom)]
