"""`python -m tui.docs`: rewrite the parts of the docs that the code can say for itself.

Each generated part sits between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a Markdown
file of the repository; everything outside the markers is written by hand. The keys come
from the command registry (tui/commands.py), the exit codes from tui/script/exits.py, and
the benchmark table from `python -m tui.bench --write-docs`. tests/test_docs.py fails when
a committed part differs from what this module makes, and names the command that fixes it.

It lives in the package, beside `tui.bench`, so that it is type-checked with the code it
reads and runs as a module; it writes only into a source checkout (an installed cal365 has
no README to rewrite).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tui.commands import COMMANDS, SCOPE_TITLES, Command, Scope

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = ".venv/bin/python -m tui.docs"

# The main screen's keys go in the README; the keys of the dialogs and the other screens
# in docs/using.md.
MAIN_SCOPES: tuple[Scope, ...] = ("app", "main", "tree", "events", "filter", "details")
DIALOG_SCOPES: tuple[Scope, ...] = tuple(s for s in SCOPE_TITLES if s not in MAIN_SCOPES)


class MarkerError(ValueError):
    """A file lacks the markers of a generated part, or has them out of order."""


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def region(text: str, name: str) -> str:
    """What stands between the markers of part `name` (without the markers' lines)."""
    start, end = _markers(name)
    match = re.search(f"^{re.escape(start)}\n(.*?)^{re.escape(end)}$", text, re.S | re.M)
    if match is None:
        raise MarkerError(f"no {start} … {end} pair, each on a line of its own")
    return match.group(1)


def replace_region(text: str, name: str, body: str) -> str:
    """`text` with part `name` replaced by `body` (which ends in a newline)."""
    region(text, name)  # the markers must be there
    start, end = _markers(name)
    pattern = f"^{re.escape(start)}\n.*?^{re.escape(end)}$"
    return re.sub(pattern, lambda _: f"{start}\n{body}{end}", text, count=1, flags=re.S | re.M)


def write_region(path: Path, name: str, body: str) -> bool:
    """Rewrite part `name` of `path`; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    new = replace_region(text, name, body)
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


# -- the parts ------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _keys(command: Command) -> str:
    return " / ".join(f"`{key}`" for key in command.shown_keys.split(" / "))


def keys_table(scopes: Iterable[Scope]) -> str:
    """One table per scope, in the help screen's order and words."""
    parts: list[str] = []
    for scope in scopes:
        rows = [c for c in COMMANDS if c.scope == scope]
        if not rows:
            continue
        parts.append(f"**{SCOPE_TITLES[scope]}**\n\n| Key | Does |\n|---|---|\n"
                     + "".join(f"| {_keys(c)} | {_cell(c.help)} |\n" for c in rows))
    return "\n".join(parts)


def key_ids_table() -> str:
    """The command ids a `[keys]` table can name, per place, with their default keys."""
    rows = ["| Where | Command ids (default keys) |\n", "|---|---|\n"]
    for scope, title in SCOPE_TITLES.items():
        ids = ", ".join(f"`{c.id}` ({c.shown_keys})" for c in COMMANDS if c.scope == scope)
        rows.append(f"| {title} | {_cell(ids)} |\n")
    return "".join(rows)


def exit_codes_table() -> str:
    from tui.script.exits import MEANINGS, WORST_WINS

    rows = "".join(f"| {int(code)} | {_cell(meaning)} |\n" for code, meaning in MEANINGS.items())
    return f"| Code | Meaning |\n|---|---|\n{rows}\n{WORST_WINS}\n"


BENCH_DOC = "docs/performance.md"


def bench_part(table: str, *, quick: bool, when: str, machine: str) -> str:
    """The latest benchmark table for docs/performance.md: how and when it was taken, then
    the table as `python -m tui.bench` prints it."""
    command = "python -m tui.bench" + (" --quick" if quick else "")
    return f"`{command}`, {when}, {machine}:\n\n```\n{table}\n```\n"


@dataclass(frozen=True)
class Part:
    path: str
    """Relative to the repository's root."""
    name: str
    make: Callable[[], str]


PARTS: tuple[Part, ...] = (
    Part("README.md", "keys", lambda: keys_table(MAIN_SCOPES)),
    Part("docs/using.md", "dialog-keys", lambda: keys_table(DIALOG_SCOPES)),
    Part("docs/using.md", "key-ids", key_ids_table),
    Part("docs/scripting.md", "exit-codes", exit_codes_table),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.docs", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a generated part is out of date")
    args = parser.parse_args(argv)
    stale = []
    for part in PARTS:
        path = ROOT / part.path
        if not path.is_file():
            print(f"tui.docs: {part.path} not found: run this in a source checkout",
                  file=sys.stderr)
            return 2
        try:
            text = path.read_text(encoding="utf-8")
            new = replace_region(text, part.name, part.make())
        except MarkerError as error:
            print(f"tui.docs: {part.path}: {error}", file=sys.stderr)
            return 2
        if new != text:
            stale.append(part.path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for name in stale:
        print(f"{'out of date' if args.check else 'rewrote'}: {name}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
