"""The feed's words for the status line, the same whichever way the rows came."""

from __future__ import annotations

from collections.abc import Iterable

from tui.cache import Applied
from tui.graph.models import Event


def odd_note(events: Iterable[Event]) -> str:
    """A word on events Graph sent partly unreadable: shown, but not all of them ("" when
    none is). The field names are the model's own, never the server's text."""
    odd = [e for e in events if e.unreadable]
    if not odd:
        return ""
    fields = sorted({name for e in odd for name in e.unreadable})
    many = "s" if len(odd) != 1 else ""
    return (f" {len(odd)} event{many} came with fields that could not be read"
            f" ({', '.join(fields)}): shown as far as possible.")


def changes_note(counts: Applied | None) -> str:
    """What a sync changed, " (2 new, 1 changed, 0 removed)"; "" when nothing did."""
    if counts is None or not (counts.added or counts.changed or counts.removed):
        return ""
    return f" ({counts.added} new, {counts.changed} changed, {counts.removed} removed)"
