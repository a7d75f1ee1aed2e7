"""The cal365 Textual application."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import App
from textual.notifications import SeverityLevel

from tui.commands import bindings, holding_keys
from tui.graph import ME, Mailbox
from tui.graph.timezones import zone
from tui.palette import Cal365Commands
from tui.startup.early import EarlyStart
from tui.startup.textual_private import CrashReportApp
from tui.text import inert

if TYPE_CHECKING:
    from rich.console import RenderableType

    from tui.auth.provider import MsalProvider, SignInNeeded
    from tui.cache import CacheOpener
    from tui.graph import GraphClient
    from tui.screens.main import MainScreen
    from tui.startup.frame import FrameScreen
    from tui.startup.headstart import HeadStart


class _ClientOnFirstUse:
    """The Graph client as the main screen holds it, made on its first use: the HTTP stack
    (httpx, TLS: a tenth of a second or more) is then imported once the first request goes
    out, after the main screen's first frame, not while that screen is built. Attributes
    set before (the screen's `on_wait`) are handed to the client when it is made."""

    def __init__(self, make: Callable[[], GraphClient]) -> None:
        object.__setattr__(self, "_make", make)
        object.__setattr__(self, "_made", None)
        object.__setattr__(self, "_pending", {})

    def _client(self) -> GraphClient:
        made: GraphClient | None = object.__getattribute__(self, "_made")
        if made is None:
            made = object.__getattribute__(self, "_make")()
            for name, value in object.__getattribute__(self, "_pending").items():
                setattr(made, name, value)
            object.__setattr__(self, "_made", made)
        return made

    def __getattr__(self, name: str) -> Any:
        pending = object.__getattribute__(self, "_pending")
        if object.__getattribute__(self, "_made") is None and name in pending:
            return pending[name]
        return getattr(self._client(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        made = object.__getattribute__(self, "_made")
        if made is None:
            object.__getattribute__(self, "_pending")[name] = value
        else:
            setattr(made, name, value)


class Cal365App(CrashReportApp):
    TITLE = "cal365"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {Cal365Commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]

    def __init__(
        self,
        client: GraphClient | None = None,
        *,
        connect: Callable[[], GraphClient] | None = None,
        today: dt.date | None = None,
        timezone: str = "UTC",
        days: int = 14,
        sign_in: MsalProvider | None = None,
        mailbox: Mailbox = ME,
        cache: CacheOpener | None = None,
        sync_every: float = 0.0,
        cache_warning: str = "",
        keys_warning: str = "",
        restore_view: bool = True,
        head_start: HeadStart | None = None,
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        # The user's own keys (the config file's [keys], checked by tui.keymap.check_keymap):
        # Textual's keymap rebinds them everywhere; the help screen and palette show them.
        self.keymap: dict[str, str] = dict(keymap or {})
        if self.keymap:
            self.set_keymap(self.keymap)
        self.sign_in = sign_in
        self._timezone = timezone
        self.cache_warning = cache_warning
        self.keys_warning = keys_warning
        if sign_in is not None:
            sign_in.on_sign_in_needed = self.ask_to_sign_in
        # Every repaint crosses an SSH link: no animations unless the user asks for them.
        self.animation_level = "none"
        self._client, self._connect = client, connect
        tz = zone(timezone) or dt.UTC
        self._today = today or dt.datetime.now(tz).date()
        self._tz, self._days, self._mailbox = tz, days, mailbox
        # Whatever the command began before Textual was imported (tui/startup/early.py).
        self._early = EarlyStart(cache, head_start)
        self._sync_every = sync_every
        self._main: MainScreen | None = None
        # An explicit start day (--date) wins over the view the cache remembers.
        self.restore_view = restore_view
        self.frame: FrameScreen | None = None
        self._held_keys: list[events.Key | events.Paste] | None = None
        self._start_theme = ""
        self._opener: events.Key | None = None  # the key that opens a text box, held for
        self._opener_ran = False  # it has reached this app, so its binding has run
        self._opener_wait = 0.0  # when the keys behind it are let go, box or not
        self._start_keys_answered = False
        self._last_start_key: events.Key | None = None  # the last key held during the start

    @property
    def client(self) -> GraphClient:
        """Given ready, or made on first use from `connect` (the main screen holds it as a
        `_ClientOnFirstUse`): the HTTP stack (httpx, TLS) is then imported once the first
        request goes out, after the main screen's first frame."""
        if self._client is None:
            assert self._connect is not None, "Cal365App needs a client or a way to make one"
            self._client = self._connect()
        return self._client

    @property
    def main(self) -> MainScreen:
        """The main screen, built on first use: with a sealed frame to show first, its
        imports and layout come after that frame is painted."""
        if self._main is None:
            from tui.screens.main import MainScreen

            # Given ready (tests, tools), the client is used as it is.
            client = (self._client if self._client is not None
                      else cast("GraphClient", _ClientOnFirstUse(lambda: self.client)))
            self._main = MainScreen(
                client, today=self._today, tz=self._tz, days=self._days,
                mailbox=self._mailbox, cache=self._early.cache, sync_every=self._sync_every,
                head_start=self._early.head_start)
            self._main.restore_view = self.restore_view
        return self._main

    def on_mount(self) -> None:
        self._start_theme = self.theme
        # The last frame kept in the cache, when this start may show it: not with a start
        # day of the user's own, which the frame does not show.
        frame = (self._early.frame_screen(self.size, then=self._show_main)
                 if self.restore_view else None)
        if frame is None:
            self._show_main()
            return
        self.frame = frame
        self._held_keys = []  # typed from now on, until the main screen is up
        self.push_screen(frame)

    @property
    def keys_on_hold(self) -> bool:
        """Keys typed from the sealed frame on are held for the main screen (none may have
        come): its requests wait for their answer (`PaintWatcher.after_paint_and_keys`)."""
        return self._held_keys is not None and self._opener is None

    def _show_main(self) -> None:
        frame, self.frame = self.frame, None
        self._early.begin_cache()  # opening while the main screen's modules load
        main = self.main
        self._early.wait_for_cache(behind_frame=frame is not None)
        if frame is None:
            self.push_screen(main)
        else:
            self.switch_screen(main)
            # Once it is up and its first frame (the cached rows, the cursor on the event
            # the frame showed) is painted: keys act on what the user saw.
            main.call_later(main.after_paint, self._release_soon)
        warning = getattr(self.sign_in.store, "warning", "") if self.sign_in else ""
        if warning:
            # The user chose unencrypted token storage: say so for as long as the app runs.
            self.notify(warning, title="Tokens on disk, unencrypted", severity="warning",
                        timeout=24 * 3600)
        if self.cache_warning:  # plaintext cache: as persistent as the tokens' warning
            self.notify(self.cache_warning, title="Calendar cache unencrypted",
                        severity="warning", timeout=24 * 3600)
        if self.keys_warning:  # the demo starts with the default keys rather than not at all
            self.notify(self.keys_warning, title="Your keys are not in use", severity="warning",
                        timeout=30)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast, from any screen, is inert text: its words may carry a path, a
        keyring's or a server's text, so no markup and no control characters are read.
        (`markup` is accepted for Textual's signature and ignored.)"""
        super().notify(inert(message, 2000, lines=True), title=inert(title, 200),
                       severity=severity, timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        # Keys typed while the sealed frame shows, and while the main screen is built
        # behind it, are held here and handed to that screen in the order they came.
        held = self._held_keys
        if (held is not None and isinstance(event, events.Key) and not event.is_forwarded
                and event.key not in ("ctrl+q", "ctrl+c")):
            held.append(events.Key(event.key, event.character))
            return
        if (held is not None and isinstance(event, events.Paste) and not event.is_forwarded
                and self._opener is not None):
            held.append(event)  # a paste keeps its place too
            return
        opens = (held is None and isinstance(event, events.Key) and not event.is_forwarded
                 and self._opens_text_box(event.key))
        await super().on_event(event)
        if opens:
            assert isinstance(event, events.Key)
            self._hold_for_text_box(event)

    # Keys whose command puts a text box in front (the filter line, a question, a cancel
    # dialog, the palette: `holds_keys` in the registry). The keys typed right behind one, in
    # the same terminal read or before the box is up, are the box's text: handed on, they
    # would run as commands ("/standup" hid declined events at its "d" and opened a mailbox
    # at its "u"). They are held until the box has focus, or until it is clear that none is
    # coming.
    _OPENERS = holding_keys()
    _OPENER_WAIT = 2.0  # at most, for a box that is slow to come (a bound on the hold)

    def _opens_text_box(self, key: str) -> bool:
        try:
            active = self.active_bindings.get(key)
        except Exception:  # no screen yet, or one being torn down: nothing to hold for
            return False
        return (active is not None and active.enabled
                and active.binding.id in self._OPENERS)

    def _hold_for_text_box(self, opener: events.Key) -> None:
        self._opener, self._opener_ran = opener, False
        self._opener_wait = asyncio.get_running_loop().time() + self._OPENER_WAIT
        self._held_keys = []
        self.set_timer(0.01, self._release_when_box_is_up)

    def on_key(self, event: events.Key) -> None:
        # Runs as a key comes back up to the app, just before its binding.
        if event is self._last_start_key and self._main is not None:
            self._last_start_key = None  # its answer is on its way: the requests follow it
            self.call_after_refresh(self._main.keys_handed_on)
        if event is self._opener:
            self._opener_ran = True
            self.call_after_refresh(self._release_when_box_is_up, True)

    def _release_when_box_is_up(self, settled: bool = False) -> None:
        if self._opener is None:
            return
        from textual.widgets import Input, TextArea

        main = self._main
        boxed = isinstance(self.focused, (Input, TextArea))
        # Its binding has run, a repaint later no box and no new screen: none is coming.
        none_coming = settled and self._opener_ran and self.screen is main
        if not (boxed or none_coming
                or asyncio.get_running_loop().time() > self._opener_wait):
            if not settled:
                self.set_timer(0.01, self._release_when_box_is_up)
            return
        self._opener = None
        self._release_soon()

    def _release_soon(self) -> None:
        # Through this app's own queue: a key already in it is held like the rest.
        self.call_later(self._release_keys)

    def _release_keys(self) -> None:
        keys, self._held_keys = self._held_keys or [], None
        for key in keys:  # ahead of any key still to come: the queue keeps the order
            self.post_message(key)
        main = self._main
        if main is None or self._start_keys_answered:
            return
        # The main screen's requests wait until the keys typed during the start are
        # answered (see on_key), at the latest half a second from now.
        self._start_keys_answered = True
        if keys and isinstance(keys[-1], events.Key):
            self._last_start_key = keys[-1]
            self.set_timer(0.5, main.keys_handed_on)
        else:
            self.call_later(main.keys_handed_on)

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()

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

    def crash_report(self) -> RenderableType:
        """Textual's crash report, without local variables: Textual shows them by default,
        and the frames of a Graph request hold the bearer token in its headers."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        # An exception's words may be a server's text: inert, as everything printed is.
        return Segments(
            segment if segment.control else segment._replace(text=inert(segment.text, None,
                                                                          lines=True))
            for segment in self.console.render(traceback, self.console.options))

    async def action_quit(self) -> None:
        if self._main is None or self.screen is self.frame:
            self.exit()  # quit while the sealed frame showed: nothing started yet
        elif self.main.may_quit():
            # A theme picked from the palette lasts for this run only: a frame in its
            # colours would not be what the next start shows.
            if self.theme == self._start_theme:
                self.main.seal_frame(self.frame_fit())
            self.exit()

    def frame_fit(self) -> str:
        from tui.startup.opening import frame_fit

        return frame_fit(self.size.width, self.size.height, self._today, self._timezone,
                         self._days)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # on first use: off the start-up path

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.main.owner_name(), keymap=self.keymap))
