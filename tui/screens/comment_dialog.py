"""What the single and the bulk cancel dialogs share: a comment box, send and back.

Typing belongs to the comment box: keys typed while another control has focus (a button
reached by a stray Tab, the scope choice) go to the comment, never dropped and never taken
as a press. Enter and Space included: they are what follows a stray Tab mid-sentence, so
the irreversible send takes Ctrl+S or a mouse click on Send, never a key meant as text.

The comment is saved as a draft while it is typed (at most SAVE_AFTER seconds after a change,
in a thread, atomically), so a killed terminal or process loses at most that much of it.
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import abstractmethod
from collections.abc import Callable
from functools import partial
from typing import Generic, TypeVar

from rich.text import Text
from textual import events, on
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, RadioButton, RadioSet, Static, TextArea
from textual.worker import Worker, WorkerFailed

from tui.actions.drafts import DraftsError
from tui.graph import Event
from tui.widgets.format import comment_problem

Decision = TypeVar("Decision")

# Seconds from a change to its save while typing goes on: a kill loses at most this much.
SAVE_AFTER = 0.5
# Longest wait, on closing, for a save in flight (a hung disk).
SAVE_WAIT_MOST = 5.0


class CommentDialog(ModalScreen[Decision], Generic[Decision]):
    """A dialog around one TextArea, with buttons `#cancel-send` and `#cancel-back`.

    Subclasses compose it and say what a decision holds (`decision`); sending or backing
    out dismisses with that decision, whose comment is kept by the caller either way.
    """

    # A terminal of 24 rows or so gets a compact dialog (styles: `.-short`), so the comment
    # box and the buttons still fit on the screen.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self, keep: Callable[[str], None] | None = None) -> None:
        """`keep(text)` saves the comment as a draft (raising DraftsError if it cannot); it
        runs in a thread while the user types."""
        super().__init__()
        self._decided = False
        self.problem: str | None = None  # why the last send was refused, if it was
        self._keep = keep
        self._save_timer: Timer | None = None
        self._saving: Worker[None] | None = None
        self._saved: str | None = None  # the text last saved from this dialog
        self._save_failed = False

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        # A blinking cursor repaints twice a second: costly over SSH, noisy in screenshots.
        area.cursor_blink = False
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def comment(self) -> str:
        return self.query_one(TextArea).text

    def on_key(self, event: events.Key) -> None:
        # Here before the focused control's own bindings (a button's Enter, a radio's Space)
        # are looked at: those run only for a key that is not stopped on its way up.
        area = self.query_one(TextArea)
        if self.focused is area or self.focused is None or isinstance(self.focused, Input):
            return  # a line of its own (the reply dialog's new time) takes its own typing
        if event.key == "enter":
            text = "\n"
        elif event.is_printable and event.character is not None:
            text = event.character
        elif event.key in ("backspace", "delete"):
            text = ""
        else:
            return  # Tab, arrows, Esc and Ctrl keys keep their meaning
        event.stop()
        event.prevent_default()
        area.focus()  # the cursor goes back where it was, and the key acts there
        if text:
            area.insert(text)
        elif event.key == "backspace":
            area.action_delete_left()
        else:
            area.action_delete_right()

    def on_paste(self, event: events.Paste) -> None:
        # Pasted text is typing too: into the comment, whatever has focus.
        area = self.query_one(TextArea)
        if self.focused is not area and not isinstance(self.focused, Input) and event.text:
            event.stop()
            area.focus()
            area.insert(event.text)

    @abstractmethod
    def decision(self, send: bool) -> Decision:
        """What dismissing the dialog hands back (each dialog says what it holds)."""

    def refusal(self) -> str | None:
        """Why what the dialog holds besides the comment cannot be sent (None: it can)."""
        return None

    @on(TextArea.Changed)
    def _typed(self) -> None:
        # Saved at most SAVE_AFTER after the first unsaved change, even while typing goes on.
        if self._keep is not None and not self._decided and self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_AFTER, self._save_typed)

    def _save_typed(self) -> None:
        self._save_timer = None
        if self._decided or self._keep is None:
            return
        if self._saving is not None and not self._saving.is_finished:
            self._save_timer = self.set_timer(SAVE_AFTER, self._save_typed)  # after that one
            return
        text = self.comment
        if text != self._saved:
            self._saving = self.run_worker(
                partial(self._write_draft, self._keep, text), thread=True,
                group="draft-save", exit_on_error=False, description="Saving the comment")

    def _write_draft(self, keep: Callable[[str], None], text: str) -> None:
        """In a thread: the draft file is rewritten atomically, off the UI thread."""
        try:
            keep(text)
        except DraftsError as error:
            if not self._save_failed:  # said once, not at every pause in typing
                self._save_failed = True
                self.app.call_from_thread(
                    self.notify, str(error), title="Draft not saved", severity="warning")
            return
        self._saved = text

    async def _decide(self, send: bool) -> None:
        # A second Ctrl+S before the dialog has closed must not send twice.
        if self._decided:
            return
        self.problem = (comment_problem(self.comment) or self.refusal()) if send else None
        if self.problem is not None:
            # Not sent, and the dialog stays open with the text as typed.
            self.notify(self.problem + ".", title="Not sent", severity="error")
            return
        self._decided = True
        # What was checked is what goes: read now, not after the wait for a save below.
        decision = self.decision(send)
        # No save of the typed text may land after the caller keeps or drops the draft.
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self._saving is not None and not self._saving.is_finished:
            # Bounded: a hung disk must not hold the dialog (the late save is this text).
            with contextlib.suppress(TimeoutError, WorkerFailed):
                await asyncio.wait_for(self._saving.wait(), SAVE_WAIT_MOST)
        self.dismiss(decision)

    async def action_send(self) -> None:
        await self._decide(True)

    async def action_back(self) -> None:
        await self._decide(False)

    @on(Button.Pressed, "#cancel-send")
    async def _send_pressed(self) -> None:
        await self._decide(True)

    @on(Button.Pressed, "#cancel-back")
    async def _back_pressed(self) -> None:
        await self._decide(False)


class SeriesDialog(CommentDialog[Decision], Generic[Decision]):
    """A comment dialog about one event that, for an occurrence, offers this occurrence or
    the whole series (`#scope-occurrence` / `#scope-series`, Ctrl+O); the summary
    (`#cancel-summary`) says which, in the words of `scope_summary`."""

    event: Event

    @abstractmethod
    def scope_summary(self, whole_series: bool) -> Text:
        """The summary for this occurrence only (False) or the whole series (True)."""

    @property
    def _offers_series(self) -> bool:
        return self.event.is_occurrence and self.event.series_master_id is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Occurrence/series is offered only for an occurrence.
        return self._offers_series if action == "toggle_scope" else True

    @property
    def whole_series(self) -> bool:
        if not self._offers_series:
            return False
        return self.query_one("#scope-series", RadioButton).value

    def action_toggle_scope(self) -> None:
        if self._offers_series:
            series = self.query_one("#scope-series", RadioButton)
            occurrence = self.query_one("#scope-occurrence", RadioButton)
            (occurrence if series.value else series).value = True
            self._describe_scope()

    @on(RadioSet.Changed, "#cancel-scope")
    def _describe_scope(self) -> None:
        self.query_one("#cancel-summary", Static).update(self.scope_summary(self.whole_series))
