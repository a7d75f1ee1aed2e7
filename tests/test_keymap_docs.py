"""docs/using.md lists every command id a [keys] table can name, as the registry has them.

Run `python -m tests.test_keymap_docs` to print the table to paste there."""

from __future__ import annotations

from pathlib import Path

from tui.commands import COMMANDS, SCOPE_TITLES

USING = Path(__file__).resolve().parent.parent / "docs" / "using.md"


def id_table() -> str:
    """The rows of the ids table in docs/using.md, one a scope of the registry."""
    rows = []
    for scope, title in SCOPE_TITLES.items():
        ids = ", ".join(f"`{c.id}` ({c.shown_keys})" for c in COMMANDS if c.scope == scope)
        rows.append(f"| {title} | {ids} |\n")
    return "".join(rows)


def test_the_docs_list_every_command_id_with_its_keys() -> None:
    assert id_table() in USING.read_text(encoding="utf-8"), (
        "docs/using.md's [keys] ids table is out of date: python -m tests.test_keymap_docs")


if __name__ == "__main__":
    print(id_table(), end="")
