"""Whether the interactive (browser) sign-in may be offered.

Only where a graphical session is local: over SSH the browser would open on the wrong
machine, and with no display Python's webbrowser picks console browsers (lynx, w3m…)
that would take over the terminal cal365 is drawing on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

CONSOLE_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m", "links2"})


def local_gui(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
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
