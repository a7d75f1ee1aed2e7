"""The one function that makes untrusted text inert, class by class of character."""

from __future__ import annotations

import io
import json
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unsafe import UNSAFE_CATEGORIES, raw_controls
from tui.text import REPLACEMENT, has_unsafe, inert, inert_json, inert_stream, raw_stream


def every_unsafe_character() -> list[str]:
    return [chr(cp) for cp in range(sys.maxunicode + 1)
            if unicodedata.category(chr(cp)) in UNSAFE_CATEGORIES]


@pytest.mark.parametrize(("hostile", "shown"), [
    ("\x1b[2Jwiped", "�[2Jwiped"),  # ESC: clear screen
    ("\x1b]52;c;cm0gLXJmIH4=\x07x", "�]52;c;cm0gLXJmIH4=�x"),  # OSC 52 clipboard write, BEL
    ("a\x00b\x08c\x7fd", "a�b�c�d"),  # NUL, backspace, DEL
    ("paid\rnot paid", "paid not paid"),  # CR would overwrite the line
    ("a\x9b2Jb\x9d0;t\x9cc", "a�2Jb�0;t�c"),  # C1: 8-bit CSI, OSC, ST
    ("x\x85y", "x y"),  # NEL, a C1 line break
    ("evil\u202etxt.exe", "evil�txt.exe"),  # right-to-left override
    ("a\u2066b\u2067c\u2068d\u2069e", "a�b�c�d�e"),  # isolates
    ("a\u200eb\u200fc\u061cd", "a�b�c�d"),  # LRM, RLM, Arabic letter mark
    ("a\u202ab\u202bc\u202cd\u202de", "a�b�c�d�e"),  # embeddings and pop
    ("pay\u200bpal\u2060\ufeff\u00ad", "paypal"),  # zero-width, word joiner, BOM, soft hyphen
    ("a\U000e0041\U000e0001b\ufff9c\u180ed\u2061e", "a��b�c�d�e"),  # tags, annotations, ...
    ("line\u2028sep\u2029para", "line sep para"),  # line and paragraph separators
    ("lone \ud800 surrogate \udfff", "lone � surrogate �"),
    ("tab\there\nnext", "tab here next"),
])
def test_each_class_of_character_is_made_inert(hostile: str, shown: str) -> None:
    assert inert(hostile) == shown
    assert raw_controls(inert(hostile)) == []


def test_every_unsafe_character_of_unicode_is_covered() -> None:
    """The class is written out (cheap to import); this checks it against the running
    Python's Unicode database, so a newer Unicode's format character cannot slip by."""
    everything = "".join(every_unsafe_character())
    assert len(everything) > 2000  # surrogates alone are 2048: the scan did run
    assert raw_controls(inert(everything, None)) == []
    assert raw_controls(inert(everything, None, lines=True).replace("\n", "")) == []


def test_the_quick_check_finds_every_unsafe_character_in_any_company() -> None:
    """The fast path (ASCII, then the BMP, then beyond it) misses none: each unsafe
    character alone, after ASCII, after other scripts and after an emoji is found."""
    for char in every_unsafe_character():
        for text in (char, f"plain {char}", f"Zürich {char}", f"🚀{char}x", f"{char}🚀"):
            assert has_unsafe(text), f"U+{ord(char):04X} in {text!r}"
    for text in ("plain", "Zürich 会議 🚀 שלום", "👨‍👩‍👧"[0] + "🏴", ""):
        assert not has_unsafe(text)


@pytest.mark.parametrize("plain", [
    "Quarterly review — Zürich 🎉", "会議 (東京)", "שלום עולם", "مرحبا بالعالم",
    "[bold]not markup[/] $x", "👍🏽 café", "",
])
def test_plain_text_of_any_script_is_left_alone(plain: str) -> None:
    assert inert(plain) == plain
    assert inert(plain, lines=True) == plain


def test_lines_keep_their_breaks_and_lose_the_rest() -> None:
    text = "one\r\ntwo\rthree\u2028four\nfive\x1b[31m\tsix"
    assert inert(text, lines=True) == "one\ntwo\nthree\nfour\nfive�[31m six"
    assert inert(text) == "one two three four five�[31m six"


def test_long_text_is_cut_to_the_limit_with_a_mark() -> None:
    assert inert("x" * 50, 10) == "x" * 9 + "…"
    assert len(inert("\x1b" * 5000)) == 2000
    assert inert("x" * 50, None) == "x" * 50


@given(st.text(), st.integers(min_value=1, max_value=60), st.booleans())
def test_inert_is_idempotent_and_leaves_nothing_unsafe(text: str, limit: int,
                                                       lines: bool) -> None:
    once = inert(text, limit, lines=lines)
    assert inert(once, limit, lines=lines) == once
    assert len(once) <= limit
    assert raw_controls(once.replace("\n", "") if lines else once) == []


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12))
def test_json_keeps_the_data_and_escapes_every_unsafe_character(document: object) -> None:
    written = inert_json(json.dumps(document, ensure_ascii=False, indent=2))
    assert json.loads(written) == document
    assert raw_controls(written.replace("\n", "")) == []
    written.encode("utf-8")  # no lone surrogate left raw to fail the write


def test_json_writes_c1_bidi_format_and_astral_characters_as_escapes() -> None:
    value = "a\x1b[2J\x9b\u202e\u200b\x7f\u2028\U000e0041\ud800"
    written = inert_json(json.dumps({"subject": value}, ensure_ascii=False))
    assert written == ('{"subject": "a\\u001b[2J\\u009b\\u202e\\u200b\\u007f\\u2028'
                       '\\udb40\\udc41\\ud800"}')
    assert json.loads(written) == {"subject": value}


def test_an_inert_stream_writes_only_inert_text_and_the_raw_one_is_reachable() -> None:
    target = io.StringIO()
    stream = inert_stream(target)
    assert inert_stream(stream) is stream
    print("user \x1b]52;c;eA==\x07 \u202eok", file=stream)
    raw_stream(stream).write("\r")
    assert target.getvalue() == f"user {REPLACEMENT}]52;c;eA=={REPLACEMENT} {REPLACEMENT}ok\n\r"


@pytest.mark.parametrize("hostile", ["a\x9b2J", "evil\u202etxt", "a\u200bb", "x\ud800",
                                     "p\u2028q", "\x1b[2J"])
def test_a_sealed_frame_from_the_cache_file_with_unsafe_text_is_refused(hostile: str) -> None:
    """The cached last frame is a file's text painted as it is: anything `inert` would
    change keeps the whole frame from the terminal."""
    from rich.segment import Segment
    from textual.geometry import Size

    from tui.startup.sealed_frame import FrameUnreadable, decode, encode

    frame = encode([[Segment(hostile)], [Segment("b")]], Size(20, 2))
    with pytest.raises(FrameUnreadable):
        decode(frame, Size(20, 2))
    assert len(decode(encode([[Segment("Zoë 🚀 ok")], [Segment("b")]], Size(20, 2)),
                      Size(20, 2))) == 2


def test_an_error_line_is_one_bounded_inert_line_that_keeps_its_request_id() -> None:
    from tui.auth.errors import SignInFailed
    from tui.graph.errors import GraphError
    from tui.problems import LINE_LIMIT, describe

    huge = GraphError(500, "Err\x1b[2J" * 1000, "line one\nline two\u202e " * 100_000,
                      "req-\x9b-42")
    line = describe(huge)
    assert len(line) <= LINE_LIMIT and "\n" not in line and raw_controls(line) == []
    assert line.endswith("(request-id req-�-42)")
    aadsts = SignInFailed("AADSTS70000: The grant was refused.\r\nTrace ID: t-1\r\n"
                          "Correlation ID: c-2\r\nTimestamp: 2026-12-07 " + "x" * 600)
    assert "Correlation ID: c-2 Timestamp" in describe(aadsts)
