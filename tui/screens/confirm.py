"""A yes/no question before something that cannot be taken back (a delete)."""

from __future__ import annotations

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
