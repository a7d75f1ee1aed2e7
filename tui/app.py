"""The cal365 Textual application."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from tui.commands import bindings
from tui.graph import ME, GraphClient, Mailbox
from tui.graph.timezones import zone
from tui.palette import Cal365Commands
from tui.screens.main import MainScreen

if TYPE_CHECKING:
    from tui.auth.provider import MsalProvider, SignInNeeded
    from tui.headstart import HeadStart
    from tui.screens.cached import CacheOpener


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
        sign_in: MsalProvider | None = None,
        mailbox: Mailbox = ME,
        cache: CacheOpener | None = None,
        sync_every: float = 0.0,
        cache_warning: str = "",
        restore_view: bool = True,
        head_start: HeadStart | None = None,
    ) -> None:
        super().__init__()
        self.sign_in = sign_in
        self.cache_warning = cache_warning
        if sign_in is not None:
            sign_in.on_sign_in_needed = self.ask_to_sign_in
        # Every repaint crosses an SSH link: no animations unless the user asks for them.
        self.animation_level = "none"
        self.client = client
        tz = zone(timezone) or dt.UTC
        self.main = MainScreen(
            client, today=today or dt.datetime.now(tz).date(), tz=tz, days=days, mailbox=mailbox,
            cache=cache, sync_every=sync_every,
            head_start=head_start,
        )
        # An explicit start day (--date) wins over the view the cache remembers.
        self.main.restore_view = restore_view

    def on_mount(self) -> None:
        self.push_screen(self.main)
        warning = getattr(self.sign_in.store, "warning", "") if self.sign_in else ""
        if warning:
            # The user chose unencrypted token storage: say so for as long as the app runs.
            self.notify(warning, title="Tokens on disk, unencrypted", severity="warning",
                        timeout=24 * 3600)
        if self.cache_warning:  # plaintext cache: as persistent as the tokens' warning
            self.notify(self.cache_warning, title="Calendar cache unencrypted",
                        severity="warning", timeout=24 * 3600)

    async def on_unmount(self) -> None:
        await self.client.aclose()

    async def ask_to_sign_in(self, need: SignInNeeded) -> bool:
        """Put the sign-in screen on top of whatever is showing (a half-typed cancel comment
        included) and wait; the Graph call that needed a token then carries on."""
        from tui.desktop import gui_browser_available
        from tui.screens.signin import SignInScreen

        assert self.sign_in is not None
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def done(signed_in: bool | None) -> None:
            if not answer.done():
                answer.set_result(bool(signed_in))

        # Finding a browser may run a helper program: not on the UI thread.
        gui = await asyncio.to_thread(gui_browser_available)
        self.push_screen(SignInScreen(self.sign_in, need, gui=gui), done)
        return await answer

    def _fatal_error(self) -> None:
        """Textual's crash report, without local variables: Textual shows them by default,
        and the frames of a Graph request hold the bearer token in its headers."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    async def action_quit(self) -> None:
        if self.main.may_quit():
            self.exit()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # on first use: off the start-up path

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.main.owner_name()))
