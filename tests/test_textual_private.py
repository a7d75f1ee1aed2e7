"""The private names of Textual that cal365 uses: all in tui/startup/textual_private.py, and
all still there in the installed Textual. A Textual upgrade that removes or renames one
fails here, naming it and what cal365 uses it for."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest
import textual
from rich.console import RenderableType
from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.startup import textual_private
from tui.startup.textual_private import USED, CrashReportApp, frame_lines

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "tui" / "startup" / "textual_private.py"


def _missing(name: str) -> bool:
    module_name, _, path = name.partition(":")
    owner, _, attribute = path.rpartition(".")
    module = importlib.import_module(module_name)
    if not owner:
        return not hasattr(module, attribute)
    cls = getattr(module, owner.removesuffix("()"), None)
    if cls is None:
        return True
    if owner.endswith("()"):  # set on each instance by the constructor
        return not hasattr(cls(), attribute)
    return not hasattr(cls, attribute)


@pytest.mark.parametrize("name", sorted(USED))
def test_each_private_name_is_still_in_textual(name: str) -> None:
    assert not _missing(name), (
        f"Textual {textual.__version__} has no {name} any more; cal365 uses it for: "
        f"{USED[name]}. Find what replaced it and change tui/startup/textual_private.py "
        "(only that module reaches into Textual)."
    )


def _privates_of_textual() -> set[str]:
    """The private names of the Textual classes cal365 builds on, methods and attributes."""
    names: set[str] = set()
    for cls in (App, Screen, ModalScreen, Widget, ScrollView, Static, Input):
        for klass in cls.__mro__:
            if klass.__module__.startswith("textual"):
                names.update(vars(klass))
    for instance in (App(), Screen(), Widget()):
        names.update(vars(instance))
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


STDLIB_MODULES = frozenset(sys.stdlib_module_names)


def test_only_one_module_reaches_into_textual() -> None:
    private = _privates_of_textual()
    trees = {path: ast.parse(path.read_text(encoding="utf-8"))
             for path in (ROOT / "tui").rglob("*.py")}
    # Names cal365 defines itself (a `_lines` of its own widget) are its own business.
    own: set[str] = set()
    for path, tree in trees.items():
        if path == HOME:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                own.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                own.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                own.update(t.id for t in targets if isinstance(t, ast.Name))
    used = {attribute.rpartition(".")[2] for attribute in USED}
    found = []
    for path, tree in trees.items():
        if path == HOME:
            continue
        for node in ast.walk(tree):
            # A standard module's own private-looking names (os._exit) are not Textual's.
            on_module = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in STDLIB_MODULES
            if (isinstance(node, ast.Attribute) and node.attr in private and not on_module
                    and (node.attr in used or node.attr not in own)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not found, ("Textual's private names belong in tui/startup/textual_private.py: "
                       + ", ".join(found))


class _Crashing(CrashReportApp):
    reports = 0

    def on_mount(self) -> None:
        raise RuntimeError("boom, as a bug would")

    def crash_report(self) -> RenderableType:
        self.reports += 1
        return super().crash_report()


async def test_the_crash_report_is_the_apps_own() -> None:
    app = _Crashing()
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test():
            pass
    assert app.return_code == 1 and app.reports == 1


class _Plain(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("first line\nsecond line")


async def test_the_frame_comes_out_whole_and_batches_are_seen() -> None:
    app = _Plain()
    async with app.run_test(size=(30, 5)) as pilot:
        await pilot.pause()
        lines = frame_lines(app.screen)
        assert len(lines) == 5
        assert "".join(s.text for s in lines[0]).startswith("first line")
        assert "".join(s.text for s in lines[1]).startswith("second line")
        assert not textual_private.in_batch(app)
        with app.batch_update():
            assert textual_private.in_batch(app)
        assert not textual_private.in_batch(app)
