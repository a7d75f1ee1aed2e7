"""The first screen of a warm start: the sealed last frame, until the main screen is built."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.strip import Strip

from tui.startup.painting import PaintWatcher
from tui.startup.sealed_frame import SealedFrame


class FrameScreen(PaintWatcher):
    """Shows the frame, then hands over to the main screen (`then`, once it is painted).
    Keys typed meanwhile are held by the app for the main screen (see `Cal365App`)."""

    def __init__(self, strips: list[Strip], then: Callable[[], object]) -> None:
        super().__init__()
        self._strips = strips
        self._then = then

    def compose(self) -> ComposeResult:
        yield SealedFrame(self._strips)

    def on_mount(self) -> None:
        self.after_paint(self._then)  # the main screen's imports and layout wait for this
