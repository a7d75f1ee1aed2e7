"""Layering rules that keep the Graph layer reusable and the UI free of HTTP."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI_PATHS = [ROOT / "tui" / "screens", ROOT / "tui" / "widgets", ROOT / "tui" / "app.py",
            ROOT / "tui" / "palette.py", ROOT / "tui" / "messages.py"]


@pytest.mark.parametrize("package", ["tui.graph", "tui.fake", "tui.cache", "tui.feed"])
def test_layer_imports_without_textual(package: str) -> None:
    code = (
        f"import sys, pkgutil, importlib, {package}\n"
        f"for m in pkgutil.iter_modules({package}.__path__): "
        f"importlib.import_module('{package}.' + m.name)\n"
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
             "tui.cache.store", "tui.cache.session", "tui.screens.main",
             "tui.widgets.event_table", "msal", "keyring"}
    assert not later & loaded, sorted(later & loaded)


def _package_imports(package: str) -> dict[Path, set[str]]:
    """Every module each file of `package` imports, at its top or inside a function."""
    base = ROOT.joinpath(*package.split("."))
    files = sorted(base.rglob("*.py"))
    assert files, package
    found: dict[Path, set[str]] = {}
    for path in files:
        names: set[str] = set()
        here = path.parent.relative_to(ROOT).parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                # `from .x import y` in tui/fake/a.py is tui.fake.x; `from .. import y` is tui.
                parts = [*here[:len(here) - node.level + 1]] if node.level else []
                module = ".".join([*parts, *([node.module] if node.module else [])])
                names.add(module)
                names.update(f"{module}.{alias.name}" for alias in node.names)
        found[path] = names
    return found


def _reaches(names: set[str], package: str) -> set[str]:
    return {n for n in names if n == package or n.startswith(package + ".")}


# Settings are config, shared by every layer.
_CONFIG = {"tui.config", "tui.config.Settings"}


@pytest.mark.parametrize(("package", "forbidden"), [("tui.cache", "tui.auth"),
                                                    ("tui.auth", "tui.cache")])
def test_the_calendar_cache_and_sign_in_never_import_each_other(
        package: str, forbidden: str) -> None:
    for path, names in _package_imports(package).items():
        assert not _reaches(names, forbidden) - _CONFIG, path


def test_secrets_build_on_nothing_above_them() -> None:
    """The keyring, its key envelope and the file lock serve sign-in and the cache alike."""
    above = ("tui.auth", "tui.cache", "tui.graph", "tui.script", "tui.screens", "tui.widgets",
             "tui.app", "tui.cli", "textual")
    for path, names in _package_imports("tui.secrets").items():
        for package in above:
            assert not _reaches(names, package), (path, package)


def test_the_fake_graph_is_written_apart_from_the_client() -> None:
    """The fake checks the client: sharing its code (a zone table, a URL form) would make a
    mistake in one a mistake in both, and no test would notice."""
    for path, names in _package_imports("tui.fake").items():
        assert not _reaches(names, "tui.graph"), path


# -- the layering contracts (pyproject.toml's [tool.importlinter]) and import cycles ------------

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the tui package under `root`, with the project's contracts."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo",
                           str(ROOT / "pyproject.toml")],
                          capture_output=True, text=True, cwd=root, timeout=300)


def test_the_layering_contracts_hold() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "upward"), [
    ("graph/urls.py", "tui.cache"),      # the Graph layer reaching up to the cache
    ("config/keys.py", "tui.graph"),     # the bottom layer reaching up
    ("script/events.py", "tui.screens.help"),  # a script command importing a screen
    ("cache/schema.py", "tui.auth.provider"),  # cache and auth are siblings: no import
    ("words.py", "textual"),             # below the UI: no Textual
])
def test_an_import_against_the_layers_breaks_a_contract(tmp_path: Path, module: str,
                                                        upward: str) -> None:
    """The contracts catch what they are for: in a copy of tui with one such import added,
    lint-imports fails and names it."""
    copy = tmp_path / "tui"
    shutil.copytree(ROOT / "tui", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\nimport {upward}  # noqa\n",
                      encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    source = "tui." + module.removesuffix(".py").replace("/", ".")
    assert f"{source} -> {upward}" in result.stdout, result.stdout


# Import cycles allowed: none. A new one is a design question, not an entry here.
KNOWN_CYCLES: list[set[str]] = []


def _cycles() -> list[set[str]]:
    """The import cycles among tui's modules (type-checking imports included): each
    strongly connected part of the import graph with more than one module."""
    import grimp

    graph = grimp.build_graph("tui", cache_dir=None)  # no cache: it would outlive an edit
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(start: str) -> None:  # Tarjan's, without recursion
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(
                        graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                part: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.add(member)
                    if member == module:
                        break
                if len(part) > 1:
                    found.append(part)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_in_a_cycle() -> None:
    unknown = [sorted(cycle) for cycle in _cycles() if cycle not in KNOWN_CYCLES]
    assert not unknown, f"modules that import each other: {unknown}"


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    copy = tmp_path / "tui"
    shutil.copytree(ROOT / "tui", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "text.py").write_text((copy / "text.py").read_text(encoding="utf-8")
                                  + "\nimport tui.words  # noqa\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "tui" or m.startswith("tui.")]:
        monkeypatch.delitem(sys.modules, name)
    assert any({"tui.text", "tui.words"} <= cycle for cycle in _cycles())


def test_the_forking_helper_imports_nothing_of_cal365() -> None:
    """The fake Graph forks through it, and the fake never imports the client it checks."""
    imported = _imports(ROOT / "tui" / "startup" / "forking.py")
    assert not {name for name in imported if name == "tui" or name.startswith("tui.")}
    init = ast.parse((ROOT / "tui" / "startup" / "__init__.py").read_text(encoding="utf-8"))
    assert not [n for n in init.body if isinstance(n, ast.Import | ast.ImportFrom)]
