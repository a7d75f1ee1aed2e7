"""Decoding a big JSON object one array item at a time.

`json.loads` holds the interpreter lock for the whole document, so a multi-megabyte page of
events decoded in a worker thread still freezes the UI thread until it is done. Decoding the
items of its arrays one by one, and offering the lock every few items, keeps the UI thread
waiting a millisecond at most; the value is the same.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

_DECODER = json.JSONDecoder()
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
                return link
    return None
