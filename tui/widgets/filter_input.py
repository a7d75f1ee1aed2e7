"""The filter line above the events: narrows the list as the user types."""

from __future__ import annotations

from textual.widgets import Input

from tui.commands import bindings


class FilterInput(Input):
    BINDINGS = bindings("filter")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="filter: subject, organizer, attendee, location", id=id)
        # A blinking cursor repaints twice a second, which costs bytes over SSH.
        self.cursor_blink = False
