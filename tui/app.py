"""The cal365 Textual application."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import App

from tui.commands import bindings
from tui.graph import GraphClient
from tui.graph.timezones import zone
from tui.palette import Cal365Commands
from tui.screens.main import MainScreen


def stylesheet() -> Path:
    """The TCSS file: inside the package when installed from a wheel, beside it in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "styles", here.parent / "styles"):
        path = candidate / "cal365.tcss"
        if path.is_file():
            return path
    raise FileNotFoundError("cal365.tcss is missing from this installation")


class Cal365App(App[None]):
    CSS_PATH = stylesheet()
    TITLE = "cal365"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {Cal365Commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]

    def __init__(
        self,
        client: GraphClient,
        *,
        today: dt.date | None = None,
        timezone: str = "UTC",
        days: int = 14,
    ) -> None:
        super().__init__()
        # Every repaint crosses an SSH link: no animations unless the user asks for them.
        self.animation_level = "none"
        self.client = client
        tz = zone(timezone) or dt.UTC
        self.main = MainScreen(client, today=today or dt.datetime.now(tz).date(), tz=tz, days=days)

    def on_mount(self) -> None:
        self.push_screen(self.main)

    async def on_unmount(self) -> None:
        await self.client.aclose()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # on first use: off the start-up path

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
