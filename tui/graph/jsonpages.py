"""Decoding a big JSON object one array item at a time.

`json.loads` holds the interpreter lock for the whole document, so a multi-megabyte page of
events decoded in a worker thread still freezes the UI thread until it is done. Decoding the
items of its arrays one by one gives the lock back between items, and yields the same value.
"""

from __future__ import annotations

import json
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _expect(text: str, pos: int, char: str) -> int:
    pos = _skip(text, pos)
    if pos >= len(text) or text[pos] != char:
        raise json.JSONDecodeError(f"Expecting {char!r}", text, pos)
    return pos + 1


def _array(text: str, pos: int) -> tuple[list[Any], int]:
    """The array starting at text[pos] == "[", decoded item by item."""
    items: list[Any] = []
    pos = _skip(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        return items, pos + 1
    while True:
        item, pos = _DECODER.raw_decode(text, _skip(text, pos))
        items.append(item)
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        return items, _expect(text, pos, "]")


def loads(data: bytes | str) -> Any:
    """Like `json.loads`; the top-level object's array members are decoded per item."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    pos = _skip(text, 0)
    if pos >= len(text) or text[pos] != "{":
        return json.loads(text)
    result: dict[str, Any] = {}
    pos = _skip(text, pos + 1)
    if pos < len(text) and text[pos] == "}":
        pos += 1
    else:
        while True:
            key, pos = _DECODER.raw_decode(text, _skip(text, pos))
            if not isinstance(key, str):
                raise json.JSONDecodeError("Expecting property name", text, pos)
            pos = _skip(text, _expect(text, pos, ":"))
            if pos < len(text) and text[pos] == "[":
                result[key], pos = _array(text, pos)
            else:
                result[key], pos = _DECODER.raw_decode(text, pos)
            pos = _skip(text, pos)
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            pos = _expect(text, pos, "}")
            break
    if _skip(text, pos) != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)
    return result
