"""Every private name of Textual that cal365 relies on, in this one module.

Textual promises nothing about these across releases. Each one is reached only through a
function here named for what cal365 wants of it, and `USED` says where it lives and why;
tests/test_textual_private.py checks all of them against the installed Textual, so an upgrade
that removes or renames one fails there, by name, instead of a start that silently stops
painting its sealed frame or a crash report that shows local variables again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.segment import Segment
    from textual.geometry import Size
    from textual.screen import Screen
    from textual.scroll_view import ScrollView

# "module:Class.name" (an instance's attribute when "()" follows the class) -> what for.
USED: dict[str, str] = {
    "textual.app:App()._batch_count":
        "whether Textual is holding frames back in a batch of updates (after_paint)",
    "textual.app:App._fatal_error":
        "the hook for an unhandled exception: cal365's report has no local variables",
    "textual.app:App()._exit_renderables": "where that report is put to be printed at exit",
    "textual.app:App._close_messages_no_wait": "how the hook ends the app, as Textual's does",
    "textual.app:App._print_error_renderables": "tests: what is printed at exit",
    "textual.app:App._background_screens": "tests: the screens showing under a dialog",
    "textual.app:App._display": "the benchmark: each frame's terminal bytes",
    "textual.app:App()._driver": "the benchmark: keys sent as a terminal sends them",
    "textual.screen:Screen()._compositor": "the frame on the terminal, to seal or read it",
    "textual._compositor:Compositor.render_full_update": "the whole frame, as lines",
    "textual._compositor:Compositor.render_update": "tests: the frame with the screens under it",
    "textual._compositor:CompositorUpdate": "the benchmark: a frame about to be written",
    "textual.screen:Screen._compositor_refresh": "the benchmark: the moment a frame is made",
    "textual.scroll_view:ScrollView._scroll_update":
        "a longer event table: only its scrollbar changes, no new layout",
}


def in_batch(app: App[Any]) -> bool:
    """Textual is inside a batch of updates: it writes no frame until the batch ends."""
    return bool(app._batch_count)


def frame_lines(screen: Screen[Any]) -> list[list[Segment]]:
    """The screen's whole frame, a list of segments for each line, as it goes out."""
    update = screen._compositor.render_full_update(simplify=True)
    return [[segment for strip in line for segment in strip] for line in update.strips]


def terminal_frame(app: App[Any]) -> RenderableType | None:
    """The whole terminal as it shows now: the top screen over the ones under it (tests)."""
    return app.screen._compositor.render_update(full=True,
                                                screen_stack=app._background_screens)


def scroll_update(view: ScrollView, size: Size) -> None:
    """Tell `view` its virtual size is now `size`, without laying the screen out again (as
    Textual's own resize does)."""
    view._scroll_update(size)


class CrashReportApp(App[None]):
    """An app that shows `crash_report()` when an exception ends it, instead of Textual's
    own report (which shows every frame's local variables)."""

    def crash_report(self) -> RenderableType:
        from rich.traceback import Traceback

        return Traceback(show_locals=False)

    def _fatal_error(self) -> None:
        self.bell()
        self._exit_renderables.append(self.crash_report())
        self._close_messages_no_wait()


# -- for the benchmark (tui/bench/window.py) ------------------------------------------------

def after_each_frame(screen_class: type[Screen[Any]],
                     seen: Callable[[Screen[Any]], None]) -> None:
    """Call `seen(screen)` each time a screen of `screen_class` has made a frame."""
    refresh = screen_class._compositor_refresh

    def compositor_refresh(screen: Screen[Any]) -> None:
        refresh(screen)
        seen(screen)

    setattr(screen_class, "_compositor_refresh", compositor_refresh)  # noqa: B010


def produce_frame_bytes(app_class: type[App[Any]]) -> None:
    """Make each frame's terminal bytes, which the headless driver skips: the work a real
    terminal session does for every frame."""
    from textual._compositor import CompositorUpdate

    display = app_class._display

    def app_display(app: App[Any], screen: Screen[Any], renderable: object) -> None:
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(app.console)
        display(app, screen, renderable)  # type: ignore[arg-type]

    setattr(app_class, "_display", app_display)  # noqa: B010


def send_key(app: App[Any], key: str) -> None:
    """A key as the terminal's driver hands one over (not through a pilot's shortcuts)."""
    from textual import events

    driver = app._driver
    assert driver is not None, "the app is not running"
    message = events.Key(key, None)
    message.set_sender(app)
    driver.send_message(message)
