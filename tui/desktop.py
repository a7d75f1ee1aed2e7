"""What the machine cal365 runs on offers beyond the terminal: a local graphical session."""

from __future__ import annotations

import os
import sys


def has_local_gui() -> bool:
    """True when a browser would open in front of the user, not on a remote machine.

    Over SSH, or on a Linux console without DISPLAY/WAYLAND_DISPLAY, Python's `webbrowser`
    would pick a console browser (lynx, w3m) and take over the terminal the TUI is drawn on.
    """
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> bool:
    """Open `url` in a graphical browser; False (nothing opened) when there is none."""
    if not has_local_gui():
        return False
    import webbrowser

    # Only graphical browsers: console ones would draw over the TUI.
    for name in ("xdg-open", "gio", "macosx", "windows-default", "firefox", "chromium"):
        try:
            browser = webbrowser.get(name)
        except webbrowser.Error:
            continue
        if browser.open(url):
            return True
    return False
