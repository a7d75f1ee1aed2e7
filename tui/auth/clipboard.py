"""Copy text to the user's local clipboard with OSC 52, which travels over SSH.

Terminals that support it (and tmux with `set-clipboard on`) put the text on the clipboard
of the machine the user sits at; others ignore the sequence.
"""

from __future__ import annotations

import base64
import os


def osc52(text: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    sequence = f"\x1b]52;c;{payload}\x07"
    if os.environ.get("TMUX"):
        # tmux passes an escape through to the outer terminal only when wrapped (DCS).
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence
