"""Where cal365's one stylesheet is."""

from __future__ import annotations

from pathlib import Path


def stylesheet() -> Path:
    """The TCSS file: inside the package when installed from a wheel, beside it in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "styles", here.parent / "styles"):
        path = candidate / "cal365.tcss"
        if path.is_file():
            return path
    raise FileNotFoundError("cal365.tcss is missing from this installation")
