"""Decoding a big JSON object one array item at a time.

`json.loads` holds the interpreter lock for the whole document, so a multi-megabyte page of
events decoded in a worker thread still freezes the UI thread until it is done. Decoding the
items of its arrays one by one, and offering the lock every few items, keeps the UI thread
waiting a millisecond at most; the value is the same.

Every body from Graph is decoded here (`decode`, or `loads` for big pages), so what leaves
the Graph layer is plain text whatever the server sent: an escaped lone surrogate
(`"\\ud800"`) becomes U+FFFD (such a str cannot be encoded, printed or stored), bytes that
are not UTF-8 become U+FFFD, nesting too deep for the decoder and the non-JSON literals
NaN/Infinity are a ValueError like any other malformed body, and a number too long for an
int (Python refuses over 4300 digits) reads as null, so one odd field spoils only itself.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:  # too many digits to convert: an unreadable value, not a broken page
        return None


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


_DECODER = json.JSONDecoder(parse_int=_int, parse_constant=_constant)
# A JSON escape of a UTF-16 surrogate: only these can decode to a lone surrogate (raw
# surrogate bytes are not UTF-8 and are replaced when the bytes are read).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACE = " \t\n\r"
# Items decoded between two offers of the lock: about a millisecond of work for events.
YIELD_EVERY = 32


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
        if len(items) % YIELD_EVERY == 0:
            time.sleep(0)  # hand the lock to a waiting UI thread now, not in 5 ms
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        return items, _expect(text, pos, "]")


def text_of(data: bytes) -> str:
    """A body as text: the encoding JSON allows, bytes that do not decode as U+FFFD."""
    return data.decode(json.detect_encoding(data), "replace")


def decode(data: bytes | str) -> Any:
    """A JSON body from the server, as `json.loads` would give it but safe to pass on (see
    the module's docstring); ValueError for anything that is not one JSON value."""
    return _safely(data, _DECODER.decode)


def _safely(data: bytes | str, parse: Callable[[str], Any]) -> Any:
    """`parse` the body as text, with what the module's docstring promises around it."""
    text = text_of(data) if isinstance(data, bytes) else data
    try:
        value = parse(text)
    except RecursionError as exc:  # nested deeper than the decoder goes
        raise ValueError("JSON nested too deeply") from exc
    return clean(value) if _SURROGATE_ESCAPE.search(text) else value


def _clean_text(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def clean(value: Any) -> Any:
    """`value` with every lone surrogate in its strings (keys too) replaced, in place.

    Iterative: the decoder's own depth limit is the only one, whatever the nesting."""
    if isinstance(value, str):
        return _clean_text(value)
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if isinstance(item, str):
                    node[key] = _clean_text(item)
                elif isinstance(item, (dict, list)):
                    stack.append(item)
            if any(_SURROGATE.search(key) for key in node):
                fixed = {_clean_text(key): item for key, item in node.items()}
                node.clear()
                node.update(fixed)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = _clean_text(item)
                elif isinstance(item, (dict, list)):
                    stack.append(item)
    return value


def loads(data: bytes | str) -> Any:
    """Like `decode`; the top-level object's array members are decoded per item."""
    return _safely(data, _loads)


def _loads(text: str) -> Any:
    pos = _skip(text, 0)
    if pos >= len(text) or text[pos] != "{":
        return _DECODER.decode(text)
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


# A member named @odata.nextLink and the quote opening its value. Inside a JSON string a
# quote is escaped (\\"), so this can only match a key, though maybe one of a nested object:
# the caller checks the guess against the decoded page.
_NEXT_LINK = re.compile(rb'"@odata\.nextLink"\s*:\s*"')
_PEEK_BYTES = 16 * 1024


def peek_next_link(data: bytes) -> str | None:
    """The `@odata.nextLink` of a page, looked for in the last and first 16 KB of its raw
    body (Graph writes it after or before the items), without decoding the page: the next
    request can then leave before this page is decoded. None when not found there."""
    for window in (data[-_PEEK_BYTES:], data[:_PEEK_BYTES]):
        for match in reversed(list(_NEXT_LINK.finditer(window))):
            # A character cut by the window's edge decodes as U+FFFD, past the link.
            text = window[match.end() - 1 :].decode("utf-8", "replace")
            try:
                link, _ = _DECODER.raw_decode(text)
            except ValueError:
                continue  # the link itself is cut off by the window's edge
            if isinstance(link, str) and link:
                return _clean_text(link)
    return None
