"""The check of the user's own keys (the config file's `[keys]`, applied through Textual's
keymap) against the command registry: every id a command, every key a key, and no key doing
two things at once. tui/config/keys.py reads the table's shape; this knows the registry and
Textual's key names, so it sits just above the registry.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping

from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from tui.commands import COMMANDS, SCOPE_TITLES, Command, Scope, key_label


class KeymapError(ValueError):
    """The [keys] table names a command or a key that is not one, or gives one key to two
    commands; the message says which, one problem a line."""


_MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")
# Key names besides characters: Textual's named keys, and its short names of some
# characters ("slash", "minus"; key_to_character knows the rest by their Unicode names).
_NAMED = frozenset(key.value for key in Keys if "+" not in key.value) | frozenset(
    KEY_NAME_REPLACEMENTS.values())
# Scopes whose keys are live together, where a key of one hides the other's: each scope
# alone, and on the main screen its focused pane's, its own and the app's (one binding
# chain). The dialogs are modal: the app's keys do not reach them.
_PANES: tuple[Scope, ...] = ("tree", "events", "filter", "details")
_TOGETHER: tuple[frozenset[Scope], ...] = tuple(
    frozenset({"app", "main", pane}) for pane in _PANES)


def key_name(text: str) -> str:
    """`text` as the key name Textual matches ("?" → "question_mark"); ValueError, in
    words, when it names no key."""
    text = text.strip()
    if not text:
        raise ValueError("an empty key (a stray comma?)")
    if len(text) == 1:
        return _character(text)
    mods, plus, base = text.rpartition("+")
    if text.endswith("++"):  # "ctrl++": the plus key with a modifier
        mods, base = text[:-2], "+"
    # Names are lower case ("F5", "Ctrl+R" read as f5, ctrl+r); a lone letter keeps its case.
    modifiers = mods.lower().split("+") if plus else []
    if len(base) > 1 or modifiers:
        base = base.lower()
    for modifier in modifiers:
        if modifier not in _MODIFIERS:
            raise ValueError(f"{text!r}: {modifier!r} is not a modifier "
                             f"(use {', '.join(_MODIFIERS)})")
    if len(set(modifiers)) != len(modifiers):
        raise ValueError(f"{text!r}: a modifier given twice")
    if len(base) == 1:
        base = _character(base)
    elif base not in _NAMED and key_to_character(base) is None:
        raise ValueError(f"{text!r} is not a key (a character, or a name such as f5, "
                         "escape, space, pageup, ctrl+r)")
    return "+".join([*modifiers, base])


def _character(char: str) -> str:
    if not char.isprintable() or char.isspace():
        raise ValueError(f"{char!r} is not a key to bind (a space is written 'space')")
    if char.isalnum():
        return char
    name = unicodedata.name(char, "").lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name) or char


def check_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """The user's keymap (command id → comma-separated keys), checked and in Textual's key
    names, for `App.set_keymap`. KeymapError lists every problem: an id that is no
    command, a key that is no key, or a key that would then do two things at once."""
    by_id = {c.id: c for c in COMMANDS}
    problems: list[str] = []
    checked: dict[str, str] = {}
    for command_id, keys in keymap.items():
        if command_id not in by_id:
            close = difflib.get_close_matches(command_id, by_id, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"{command_id!r} is not a command{hint}; the ids are listed in "
                            "docs/using.md")
            continue
        names: list[str] = []
        for key in keys.split(","):
            try:
                name = key_name(key)
            except ValueError as error:
                problems.append(f"{command_id}: {error}")
                continue
            if name not in names:
                names.append(name)
        if names:
            checked[command_id] = ",".join(names)
    if not problems:
        problems = _clashes(checked)
    if problems:
        raise KeymapError("\n".join(problems))
    return checked


def _clashes(keymap: Mapping[str, str]) -> list[str]:
    """Keys that commands live at the same time would share once `keymap` applies: for each
    command given a key it does not have by default, the others that key belongs to."""
    groups = [frozenset({scope}) for scope in SCOPE_TITLES] + list(_TOGETHER)
    shared: dict[tuple[str, str], dict[str, None]] = {}  # (id, key) → the others, in order
    for group in groups:
        owners: dict[str, list[Command]] = {}
        for command in COMMANDS:
            if command.scope in group:
                for key in keymap.get(command.id, command.keys).split(","):
                    owners.setdefault(key, []).append(command)
        for key, commands in owners.items():
            for command in commands:
                # A key the command has by default shares nothing new (the registry's own
                # overlaps, such as Esc in a pane and on the main screen, are by design).
                moved = command.id in keymap and key not in command.keys.split(",")
                if moved and len(commands) > 1:
                    others = shared.setdefault((command.id, key), {})
                    others.update((c.id, None) for c in commands if c is not command)
    problems: list[str] = []
    done: set[frozenset[str]] = set()
    for (command_id, key), others in shared.items():
        ids = frozenset({command_id, *others})
        if ids in done:  # two remapped onto one key: said once
            continue
        done.add(ids)
        names = [repr(o) for o in others]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        problems.append(f"{command_id}: {key_label(key)} is already the key of {listed}; give "
                        "one of them another key")
    return problems
