"""A yes/no question before something that cannot be taken back (a delete).

Only keys typed once the question is on screen answer it: a key typed ahead (held while a
key like `c` waited to see whether a text box would come, then handed on) was meant for
something else, and Enter or y among them must not answer a question never seen.
"""

from __future__ import annotations

from textual import events
from textual._time import get_time
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.commands import bindings
from tui.widgets.key_bar import KeyBar


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses True on Enter or y, False on Esc or n. `text` is printable already."""

    BINDINGS = bindings("confirm")

    def __init__(self, title: str, text: str, yes: str) -> None:
        super().__init__()
        self._title, self._text, self._yes = title, text, yes
        self._shown_at = float("inf")  # nothing answers before the first frame

    def on_mount(self) -> None:
        self.call_after_refresh(self._shown)

    def _shown(self) -> None:
        self._shown_at = get_time()

    def on_key(self, event: events.Key) -> None:
        if event.time < self._shown_at:  # typed before the question could be read
            event.stop()
            event.prevent_default()

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self._title, id="confirm-title", markup=False)
            yield Static(self._text, id="confirm-text", markup=False)
            yield Static(f"Enter or y: {self._yes} · Esc or n: go back", id="confirm-hint",
                         markup=False)
        yield KeyBar()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
