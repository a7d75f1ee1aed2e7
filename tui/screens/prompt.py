"""A one-line question in a small dialog: a date to jump to, a mailbox to open."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.commands import bindings
from tui.widgets.key_bar import KeyBar

_ANSWER = "prompt-answer"


def _is_answer(binding: BindingType) -> bool:
    return isinstance(binding, Binding) and binding.id == _ANSWER


class AnswerLine(Input):
    """The answer's line. Enter is bound here, not on the screen: a key for the focused
    line waits in the line's queue behind the characters typed before it, while a binding
    on the screen would run first and read the line without them."""

    BINDINGS = [b for b in bindings("prompt") if _is_answer(b)]


class PromptScreen(ModalScreen[str | None]):
    """Asks for one value; `check` returns an error message for a value it refuses."""

    BINDINGS = [b for b in bindings("prompt") if not _is_answer(b)]

    def __init__(
        self,
        title: str,
        hint: str,
        *,
        value: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._hint = hint
        self._value = value
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog"):
            yield Static(self._title, id="prompt-title", markup=False)
            yield AnswerLine(self._value, placeholder=self._hint, id="prompt-input")
            yield Static("", id="prompt-error", markup=False)
            yield Static("Enter to confirm · Esc to close", id="prompt-hint", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False

    def action_answer(self) -> None:
        value = self.query_one(Input).value.strip()
        problem = self._check(value) if self._check else None
        if problem:
            self.query_one("#prompt-error", Static).update(problem)
            return
        self.dismiss(value)

    def action_close(self) -> None:
        self.dismiss(None)
