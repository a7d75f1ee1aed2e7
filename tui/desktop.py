"""What the machine cal365 runs on offers beyond the terminal: a local graphical session.

Only where a graphical session is local may cal365 open a browser (for the Outlook link, or
the interactive sign-in): over SSH the browser would open on the wrong machine, and with no
display Python's `webbrowser` picks console browsers (lynx, w3m…) that would take over the
terminal cal365 is drawing on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

CONSOLE_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m", "links2"})


def local_gui(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a browser would open in front of the user, not on a remote machine."""
    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    if environ.get("SSH_CONNECTION") or environ.get("SSH_CLIENT") or environ.get("SSH_TTY"):
        return False
    if platform in ("darwin", "win32"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def gui_browser_available() -> bool:
    """A local GUI and a browser that is not a console one (imports webbrowser: call lazily)."""
    if not local_gui():
        return False
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    name = os.path.basename(str(getattr(browser, "name", "") or "")).lower()
    return name not in CONSOLE_BROWSERS


def open_in_browser(url: str) -> bool:
    """Open `url` in a graphical browser; False (nothing opened) when there is none.

    Only an http(s) link goes to a browser's command line, so a link can never be read as
    one of its options ("-…") or name a local file: callers check links from a server with
    tui.links first, and this holds whatever a caller forgot.
    """
    if not url.lower().startswith(("https://", "http://")):
        raise ValueError("only http(s) links are opened in a browser")
    if not gui_browser_available():
        return False
    import webbrowser

    return webbrowser.open(url)
