"""The events pane's frame: its title names the calendar and the window, fitted to its width."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.containers import Vertical
from textual.content import Content

from tui.widgets.format import fit_title

# Textual draws a title between "╭─ " and " ─╮": six cells of the pane's outer width.
_FRAME_CELLS = 6


class EventsPane(Vertical):
    """A Vertical whose border title is refitted whenever its width changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._calendar = ""
        self._window_forms: Sequence[str] = ("",)
        self._shown = ""

    def set_title(self, name: str, window_forms: Sequence[str]) -> None:
        """The calendar's name and the window's descriptions, longest first."""
        self._calendar, self._window_forms = name, window_forms
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        width = self.outer_size.width - _FRAME_CELLS
        if width <= 0:  # not laid out yet: the first resize fits it
            title = f"{self._calendar} · {self._window_forms[0]}"
        else:
            title = fit_title(self._calendar, self._window_forms, width)
        if self._shown != title:
            # Plain content: a str title would be read as markup, and a calendar's name is
            # the server's text ("[@click=…]" would be an action).
            self._shown = title
            self.border_title = Content(title)
