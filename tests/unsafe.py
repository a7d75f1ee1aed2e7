"""What the tests of inert output look for: characters a terminal could obey, or that hide
or reorder text (Unicode's Cc, Cf, Cs, Zl and Zp), left raw in what cal365 writes."""

from __future__ import annotations

import unicodedata

UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def raw_controls(text: str, allowed: str = "") -> list[str]:
    """Every such character of `text` (as U+XXXX) but those in `allowed` (the output's own
    format: its line breaks, a listing's tabs)."""
    return [f"U+{ord(c):04X}" for c in text
            if unicodedata.category(c) in UNSAFE_CATEGORIES and c not in allowed]
