"""The screen as the user sees it: every line of the top screen over the ones under it; and
what one renderable shows, as text."""

from __future__ import annotations

import io

from rich.console import Console

from tui.app import Cal365App
from tui.startup.textual_private import terminal_frame


def screen_lines(app: Cal365App) -> list[str]:
    """The terminal's lines as text: a dialog and what shows of the screens beneath it."""
    width, height = app.size
    update = terminal_frame(app)
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False)
    console.print(update)
    return console.export_text(styles=False).splitlines()[:height]


def rendered_text(renderable: object, width: int = 200) -> str:
    """What `renderable` (a widget's content, a table) shows, as text, `width` cells wide."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()
