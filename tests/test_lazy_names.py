"""The packages whose names load on first use keep a table of where each name lives, beside
the `if TYPE_CHECKING:` imports that type checkers read. The two lists must say the same:
a name only in the table is invisible to mypy, and one only in the imports fails at run
time with an AttributeError. This proves they match, and that the script subcommands'
table names every subcommand the parser knows.

(The tables stay, rather than one helper that reads the imports back from the source, so
that a warm start's first frame costs no parsing; see tests/test_architecture.py.)
"""

from __future__ import annotations

import argparse
import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAZY = ["tui.graph", "tui.cache", "tui.fake", "tui.config"]


def _type_checking_imports(package: str) -> dict[str, str]:
    """Name -> the module the `if TYPE_CHECKING:` block imports it from."""
    path = ROOT / Path(*package.split(".")) / "__init__.py"
    names: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
                and node.test.id == "TYPE_CHECKING"):
            for each in node.body:
                if isinstance(each, ast.ImportFrom):
                    home = importlib.util.resolve_name("." * each.level + (each.module or ""),
                                                       package) if each.level else each.module
                    assert home is not None
                    names.update({alias.asname or alias.name: home for alias in each.names})
    return names


def _table_names(package: str) -> set[str]:
    """Every name a module-level table (a dict literal) of the package mentions, less the
    modules it names."""
    path = ROOT / Path(*package.split(".")) / "__init__.py"
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            found.update(c.value for c in ast.walk(node.value)
                         if isinstance(c, ast.Constant) and isinstance(c.value, str))
    folder = path.parent
    return {n for n in found if not n.startswith(".") and not (folder / f"{n}.py").exists()}


@pytest.mark.parametrize("package", LAZY)
def test_each_typed_name_loads_from_its_module(package: str) -> None:
    module = importlib.import_module(package)
    imports = _type_checking_imports(package)
    # Exported: a TYPE_CHECKING import for annotations of the package's own is not.
    exported = {name: home for name, home in imports.items() if name in module.__all__}
    assert exported, package
    for name, home in exported.items():
        assert getattr(module, name) is getattr(importlib.import_module(home), name), (
            f"{package}.{name} does not load from {home}: its table and its TYPE_CHECKING "
            "imports disagree")


@pytest.mark.parametrize("package", LAZY)
def test_the_table_serves_no_name_type_checkers_cannot_see(package: str) -> None:
    served = _table_names(package)
    typed = set(_type_checking_imports(package)) & set(importlib.import_module(package).__all__)
    assert served, package
    assert served == typed, (sorted(served - typed), sorted(typed - served))


@pytest.mark.parametrize("package", LAZY)
def test_everything_exported_is_there(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        getattr(module, name)


def test_every_script_subcommand_has_its_module() -> None:
    from tui import script
    from tui.script.parsers import add_all

    parser = argparse.ArgumentParser()
    add_all(parser.add_subparsers(dest="command"), [])
    named = set()
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        assert isinstance(action, argparse._SubParsersAction)
        for sub in action.choices.values():
            named.add(sub.get_default("script_command"))
    named.discard(None)
    assert named and named <= set(script._MODULES), sorted(named - set(script._MODULES))
    for module in script._MODULES.values():
        assert callable(importlib.import_module(module).run), module
