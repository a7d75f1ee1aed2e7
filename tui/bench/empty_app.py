"""The yardstick for start-up: a Textual app with one label and nothing else."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

MARK = "first-paint-mark"


class EmptyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(MARK)


if __name__ == "__main__":
    EmptyApp().run()
