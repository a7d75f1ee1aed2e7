"""The first screen of a warm start: the sealed last frame, until the main screen is built."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.strip import Strip

from tui.screens.painting import PaintWatcher
from tui.widgets.sealed_frame import SealedFrame


class FrameScreen(PaintWatcher):
    """Shows the frame and keeps the keys typed meanwhile (a user who types ahead as the
    app starts), for the main screen to receive in order once it is up."""

    def __init__(self, strips: list[Strip], then: Callable[[], object]) -> None:
        super().__init__()
        self._strips = strips
        self._then = then
        self.typed: list[events.Key] = []

    def compose(self) -> ComposeResult:
        yield SealedFrame(self._strips)

    def on_mount(self) -> None:
        self.after_paint(self._then)  # the main screen's imports and layout wait for this

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.typed.append(events.Key(event.key, event.character))
