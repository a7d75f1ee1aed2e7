"""What the single and the bulk cancel dialogs share: a comment box, send and back."""

from __future__ import annotations

from abc import abstractmethod
from typing import Generic, TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button, TextArea

from tui.widgets.format import comment_problem

Decision = TypeVar("Decision")


class CommentDialog(ModalScreen[Decision], Generic[Decision]):
    """A dialog around one TextArea, with buttons `#cancel-send` and `#cancel-back`.

    Subclasses compose it and say what a decision holds (`decision`); sending or backing
    out dismisses with that decision, whose comment is kept by the caller either way.
    """

    # A terminal of 24 rows or so gets a compact dialog (styles: `.-short`), so the comment
    # box and the buttons still fit on the screen.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self) -> None:
        super().__init__()
        self._decided = False
        self.problem: str | None = None  # why the last send was refused, if it was

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        # A blinking cursor repaints twice a second: costly over SSH, noisy in screenshots.
        area.cursor_blink = False
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def comment(self) -> str:
        return self.query_one(TextArea).text

    @abstractmethod
    def decision(self, send: bool) -> Decision:
        """What dismissing the dialog hands back (each dialog says what it holds)."""

    def _decide(self, send: bool) -> None:
        # A second Ctrl+S before the dialog has closed must not send twice.
        if self._decided:
            return
        self.problem = comment_problem(self.comment) if send else None
        if self.problem is not None:
            # Not sent, and the dialog stays open with the text as typed.
            self.notify(self.problem + ".", title="Not sent", severity="error")
            return
        self._decided = True
        self.dismiss(self.decision(send))

    def action_send(self) -> None:
        self._decide(True)

    def action_back(self) -> None:
        self._decide(False)

    @on(Button.Pressed, "#cancel-send")
    def _send_pressed(self) -> None:
        self._decide(True)

    @on(Button.Pressed, "#cancel-back")
    def _back_pressed(self) -> None:
        self._decide(False)
