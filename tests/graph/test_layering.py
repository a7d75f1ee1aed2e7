"""The Graph layer's own structure: modules use each other through public names only, import
one another without a cycle, import nothing from cal365 but the bottom layer, and every
Graph URL and query string is built in `tui.graph.urls`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GRAPH = ROOT / "tui" / "graph"
MODULES = {f"tui.graph.{p.stem}": p for p in sorted(GRAPH.glob("*.py")) if p.stem != "__init__"}
MODULES["tui.graph"] = GRAPH / "__init__.py"
# What the Graph layer may import from the rest of cal365: the UI-free bottom layer.
ALLOWED_OUTSIDE = ("tui.text", "tui.paths", "tui.window")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _edges(module: str, tree: ast.Module) -> set[str]:
    """The tui modules `module` imports anywhere (type-checking and function-level imports
    too), a name imported from the package counted as its submodule when it is one."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("tui"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("tui"):
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    found.discard(module)
    return found


def test_the_modules_are_found() -> None:
    assert {"tui.graph.transport", "tui.graph.urls", "tui.graph.client"} <= set(MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_crosses_a_module_boundary(module: str) -> None:
    """Neither `from tui.graph.x import _y` nor `something._y` on anything but `self` or
    `cls`: operations use the transport (and each other) through public names only."""
    tree = _tree(MODULES[module])
    problems: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tui"):
            problems += [f"imports {node.module}.{a.name}" for a in node.names
                         if _private(a.name)]
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                problems.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert not problems, problems


def test_the_checks_see_a_private_crossing() -> None:
    """The check above fails on what it is meant to catch."""
    tree = ast.parse("from tui.graph.client import _x\nasync def f(c):\n    await c._send()\n")
    attributes = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)]
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                for a in n.names]
    assert any(_private(a) for a in attributes) and any(_private(i) for i in imported)


def _graph() -> dict[str, set[str]]:
    return {m: {e for e in _edges(m, _tree(p)) if e in MODULES} for m, p in MODULES.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph`, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_graph_layer_imports_without_a_cycle() -> None:
    graph = _graph()
    assert graph["tui.graph.client"] >= {"tui.graph.transport", "tui.graph.batch"}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


# The layers of `tui.graph` (see its docstring), lowest first: a module imports only from
# its own layer and those below.
LAYERS = [
    {"urls", "models", "errors", "jsonpages", "policy", "permissions", "timezones",
     "recurrence", "replies"},
    {"threads", "paging", "transport", "wire"},
    {"events", "calendars", "writes", "cancel", "delta", "batching", "batch", "lookups"},
    {"client"},
]


def _rank(module: str) -> int:
    if module == "tui.graph":
        return len(LAYERS)
    name = module.rsplit(".", 1)[1]
    return next(i for i, layer in enumerate(LAYERS) if name in layer)


def test_every_graph_module_has_a_layer_and_imports_none_above_it() -> None:
    for module, edges in _graph().items():
        assert all(_rank(e) <= _rank(module) for e in edges), (module, sorted(edges))


def test_operations_reach_the_network_only_through_the_transport() -> None:
    """httpx is the transport's (and its helpers'): an operation that sent requests of its
    own would bypass the policy, the mailbox limit and the token's origin check."""
    may = {"tui.graph.transport", "tui.graph.threads", "tui.graph.policy", "tui.graph.client"}
    for module, path in MODULES.items():
        names = {a.name for n in ast.walk(_tree(path)) if isinstance(n, ast.Import)
                 for a in n.names}
        names |= {n.module for n in ast.walk(_tree(path))
                  if isinstance(n, ast.ImportFrom) and n.module}
        if module not in may:
            assert not {n for n in names if n.split(".")[0] == "httpx"}, module


def test_the_graph_layer_imports_only_the_bottom_layer_of_cal365() -> None:
    for module, path in MODULES.items():
        outside = {e for e in _edges(module, _tree(path))
                   if e != "tui.graph" and not e.startswith("tui.graph.")}
        assert all(e.startswith(ALLOWED_OUTSIDE) for e in outside), (module, outside)


def test_no_graph_module_is_over_500_lines() -> None:
    lengths = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    assert max(lengths.values()) <= 500, lengths


# A Graph path or query in a string: `/me`, `/users/…`, `/groups/…`, `/$batch`, `$top=`…
_URL_LIKE = re.compile(r"^/(me|users|groups|\$batch)(/|\?|$)|[?&]\$|\$(select|top|orderby|filter|"
                       r"expand|skip|count|search)=|(start|end)DateTime=")
# Builders and checkers of URLs by design: the URL module, and the fake Graph service (a
# server: it parses requests) and the benchmark's stand-in for it.
_URL_HOMES = (GRAPH / "urls.py", ROOT / "tui" / "fake", ROOT / "tui" / "bench")


def _strings(tree: ast.Module) -> list[tuple[int, str]]:
    """The string constants of `tree` other than docstrings (f-string parts included)."""
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_the_url_check_sees_a_url_built_elsewhere() -> None:
    tree = ast.parse('url = f"{base}/calendars?$top=100"\nme = "/me"\nok = "/me is here"\n')
    assert sorted(s for _, s in _strings(tree) if _URL_LIKE.search(s)) == [
        "/calendars?$top=100", "/me"]


def test_every_graph_url_and_query_string_is_built_in_the_url_module() -> None:
    found: list[str] = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        if any(path == home or home in path.parents for home in _URL_HOMES):
            continue
        for line, text in _strings(_tree(path)):
            if _URL_LIKE.search(text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert not found, found
