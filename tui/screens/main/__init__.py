"""The main screen (screen.py) and the parts it owns: each part is a plain controller the
screen's handlers and actions call, so no part imports the screen."""

from tui.screens.main.screen import MainScreen
from tui.screens.status_lines import short as _short

__all__ = ["MainScreen", "_short"]
