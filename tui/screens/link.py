"""The Outlook link shown whole, for a session where cal365 cannot open a browser.

Over SSH the browser would open on the wrong machine, and the OSC 52 copy may never arrive
(some terminals ignore it; tmux passes it on only with `set -g set-clipboard on`). The
link is shown so it can be selected by hand; it was checked (tui.links) and is made inert
again here, as all text from the server is.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.commands import bindings
from tui.links import MAX_LINK
from tui.widgets.format import printable
from tui.widgets.key_bar import KeyBar

EXPLAIN = (
    "There is no browser cal365 can open here (a remote session, or no display): open the "
    "link on your own machine. It was also sent to your clipboard with OSC 52, which some "
    "terminals ignore and tmux passes on only with `set -g set-clipboard on`. To copy it by "
    "hand, select it below (Shift+drag in most terminals)."
)


class LinkScreen(ModalScreen[None]):
    BINDINGS = bindings("link")

    def __init__(self, link: str, what: str) -> None:
        super().__init__()
        self._link = link
        self._what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="link-dialog"):
            yield Static(f"Outlook link of {printable(self._what, 120)}", id="link-title",
                         markup=False)
            yield Static(EXPLAIN, id="link-explain", markup=False)
            # Whole: the check lets links through up to MAX_LINK, longer than a line's bound.
            yield Static(printable(self._link, MAX_LINK), id="link-url", markup=False)
            yield Static("Esc closes", id="link-hint", markup=False)
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
