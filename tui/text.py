"""Untrusted text made inert before any output: the one function every output path uses.

Text from the server, a file or the environment may carry what a terminal obeys rather
than shows: C0 controls (ESC starts CSI/OSC sequences — a clipboard write, a cleared
screen — BEL rings, CR and BS overwrite), DEL, C1 controls (U+009B is an 8-bit CSI on
terminals that honour them, U+0085 a line break), bidi overrides and isolates that reorder
the rest of the line, invisible format characters (category Cf) that hide what is there,
line and paragraph separators, and lone surrogates that cannot even be encoded. `inert`
leaves none of them: what it returns can only be shown, never obeyed.

No Textual here: the Graph, script and UI layers all import it.
"""

from __future__ import annotations

import functools
import io
import re
from typing import TextIO, cast

REPLACEMENT = "\ufffd"  # what an unsafe character becomes: visible, so a trick shows
DEFAULT_LIMIT = 2000

# Every code point a terminal could act on or that hides or reorders text: all of Unicode's
# Cc (C0, DEL, C1), Cf (bidi marks, overrides and isolates, zero-width characters, the
# Arabic and Syriac signs, tags, ...; up to Unicode 16), Zl, Zp and Cs (surrogates).
# Written out rather than computed from `unicodedata` so importing this costs nothing;
# tests/test_text.py checks it covers every such character of the running Python.
_BMP_CLASS = (
    "\x00-\x1f\x7f-\x9f"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff"
)
_ASTRAL_CLASS = (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
UNSAFE_CLASS = _BMP_CLASS + _ASTRAL_CLASS
# Finding nothing is the common case and runs for every line shown: plain ASCII is checked
# for its few controls only, and the astral ranges (slow in a character class) only when
# the text has a character beyond the BMP.
_ASCII = re.compile(r"[\x00-\x1f\x7f]")
_BMP = re.compile(f"[{_BMP_CLASS}]")
_ASTRAL = re.compile(f"[{_ASTRAL_CLASS}]")


def has_unsafe(text: str) -> bool:
    """Whether `text` holds anything `inert` would change but its length."""
    if text.isascii():
        return _ASCII.search(text) is not None
    if _BMP.search(text) is not None:
        return True
    return max(text) > "\uffff" and _ASTRAL.search(text) is not None


@functools.cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(f"[{UNSAFE_CLASS}]")


# Breaks and tabs are spacing, not garbage: one line reads them as a space.
_SPACING = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")
# Zero-width joiners and spaces, the word joiner, the BOM and the soft hyphen only join or
# break: dropped, so an emoji sequence or a Persian word stays legible as its parts.
_DROPPED = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _one_line(found: re.Match[str]) -> str:
    char = found.group()
    if char in _SPACING:
        return " "
    return "" if char in _DROPPED else REPLACEMENT


def _lines(found: re.Match[str]) -> str:
    char = found.group()
    if char == "\n":
        return "\n"
    return _one_line(found)


def inert(text: str, limit: int | None = DEFAULT_LIMIT, *, lines: bool = False) -> str:
    """`text` with nothing a terminal could obey: safe for any output, of any layer.

    Controls, bidi and invisible format characters and surrogates become U+FFFD (zero-width
    joiners and spaces are dropped); tabs, line breaks and separators become a space, or
    with `lines` a line break stays one ("\\r\\n" and the rest become "\\n"). Longer than
    `limit` characters (None: no bound), it is cut to `limit`, ending in "…". Idempotent.
    """
    if limit is not None and len(text) > limit:  # cut to `limit` in all, "…" included
        text = text[:max(limit - 1, 0)] + "…"
    if not has_unsafe(text):  # the common case: nothing to do
        return text
    if lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
        text = text.replace("\u2029", "\n").replace("\x85", "\n")
        return _unsafe().sub(_lines, text)
    return _unsafe().sub(_one_line, text.replace("\r\n", " "))


def _json_escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code > 0xFFFF:  # JSON writes a character beyond the BMP as its UTF-16 pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def inert_json(serialized: str) -> str:
    """A JSON document (as `json.dumps(..., ensure_ascii=False)` writes it) with every unsafe
    character written as a \\uXXXX escape: the same data for a parser, no raw control,
    bidi or invisible character for a terminal. Outside strings JSON is plain ASCII, so
    every such character is inside a string, where an escape means the same — but for the
    line breaks of its indentation, which `json.dumps` never leaves raw inside a string."""
    return _json_unsafe().sub(_json_escape, serialized)


@functools.cache
def _json_unsafe() -> re.Pattern[str]:
    """UNSAFE but for "\n", compiled on first use: only --json needs it, not a start."""
    return re.compile(f"(?!\n)[{UNSAFE_CLASS}]")


class _InertStream(io.TextIOBase):
    """A text stream whose every write is made inert (line breaks kept) on its way out."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.raw_stream = stream

    def write(self, text: str) -> int:
        self.raw_stream.write(inert(text, None, lines=True))
        return len(text)

    def flush(self) -> None:
        self.raw_stream.flush()

    def isatty(self) -> bool:
        return self.raw_stream.isatty()

    def writable(self) -> bool:
        return True


def inert_stream(stream: TextIO) -> TextIO:
    """`stream` with every write made inert: for code that prints people's messages (sign-in,
    settings) with server and file text inside, so no print there can forget."""
    if isinstance(stream, _InertStream):
        return cast(TextIO, stream)
    return cast(TextIO, _InertStream(stream))


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under `inert_stream`, for cal365's own deliberate terminal codes only (an
    OSC 52 copy, a countdown's carriage return): never for text from elsewhere."""
    return stream.raw_stream if isinstance(stream, _InertStream) else stream
