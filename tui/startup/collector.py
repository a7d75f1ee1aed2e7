"""The cyclic garbage collector, paused while the app starts.

Starting the app allocates some hundreds of thousands of objects (modules, classes, Textual's
styles and widgets) and none of them is garbage, yet each few hundred allocations set off a
collection that walks the young ones: a good part of the start, spent finding nothing. The
collector is paused from the moment the app is chosen (not for script commands) until its
first rows are on the terminal; then everything made so far is frozen out of the
collector's way (it would only walk it again and again) and collection resumes.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collection() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """Once, after the first paint (or when the app ends without one)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
