"""Regenerate the SVG screenshots in this folder from the demo mailbox.

    .venv/bin/python screenshots/make_screenshots.py

Each scene drives the real app with the keyboard against the fake Graph, on a fixed day and
zone so that the pictures only change when the app does. Text is typed as a terminal sends
it (see `type_text`), and each picture is read back: the script fails if what was typed, or
another line a scene is meant to show, is not in the SVG.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import os
import re
import sys
import tempfile
from pathlib import Path

from rich.cells import cell_len
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from tui.app import Cal365App
from tui.fake import FakeGraph
from tui.fake.faults import Fault
from tui.graph import GraphClient

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 23)
ZONE = "Europe/Berlin"
SIZE = (120, 36)
ORGANIZER_MESSAGE = (
    "Your request can't be completed. You need to be an organizer to cancel a meeting."
)


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type `text` as a terminal delivers it: one key event per character, carrying that
    character. `pilot.press(*text)` cannot: it names a key by its character and looks the
    character up again from that name, which only works for the few names Textual knows,
    so an em dash ("em_dash") or an emoji arrives with no character and is dropped."""
    for character in text:
        pilot.app.post_message(events.Key(_character_to_key(character), character))
        await pilot.pause()


# Rich writes a picture's text as <text x=… y=…> runs, with spaces as &#160;.
_TEXT = re.compile(r'<text[^>]*?\bx="([\d.]+)"[^>]*?\by="([\d.]+)"[^>]*>(.*?)</text>', re.S)
_CELL = 12.2  # the width of one cell in Rich's SVG (0.61 × its 20-pixel font)


def svg_lines(path: Path) -> list[str]:
    """The lines of text a screenshot shows, each run placed at its cell."""
    rows: dict[float, list[str]] = {}
    for x, y, raw in _TEXT.findall(path.read_text(encoding="utf-8")):
        row = rows.setdefault(float(y), [])
        column = round(float(x) / _CELL)
        text = html.unescape(raw).replace("\xa0", " ")
        row.extend(" " * (column - len(row)))  # a run starts at its own cell
        for character in text:
            row.append(character)
            row.extend("" for _ in range(cell_len(character) - 1))  # a wide one takes two
    return ["".join(cells) for _, cells in sorted(rows.items())]


def check(path: Path, shown: list[str]) -> None:
    """Fail loudly unless every text in `shown` is on one line of the picture."""
    lines = svg_lines(path)
    missing = [text for text in shown if not any(text in line for line in lines)]
    if missing:
        sys.exit(f"{path.name}: not in the picture: {missing!r}. It shows:\n"
                 + "\n".join(lines))


def _title(app: Cal365App) -> str:
    """The title bar as shown: its freshness says whether the window is synced."""
    return str(app.main.query_one("#title-bar").render())


async def settle(pilot: Pilot[None], app: Cal365App, kind: str | None = None) -> None:
    for _ in range(500):
        if app.main.table.all_events and app.main.status.kind == (kind or "info"):
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)


async def to_event(pilot: Pilot[None], app: Cal365App, organizer: bool) -> None:
    events = app.main.table.all_events
    index = next(
        i for i, e in enumerate(events)
        if e.is_organizer == organizer and not e.is_cancelled and e.attendees
    )
    for _ in range(index):
        await pilot.press("j")


async def scene(name: str, fake: FakeGraph) -> None:
    client = GraphClient(fake.base_url, fake.token, timezone=ZONE)
    app = Cal365App(client, today=TODAY, timezone=ZONE)
    shown: list[str] = []  # what the picture must show
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        if name == "main":
            await pilot.press("j", "j")
        elif name == "cancel-modal":
            await to_event(pilot, app, organizer=True)
            await pilot.press("c")
            await pilot.pause(0.2)
            shown.append("Sorry — moving this to Friday, details to follow.")
            await type_text(pilot, shown[-1])
        elif name == "organizer-rejection":
            # Graph refuses the cancel as it refuses one from a non-organizer: what a user
            # meets when the meeting changed hands since cal365 last looked.
            fake.faults.add(Fault("refuse", method="POST", path="/cancel$", status=400,
                                  code="ErrorInvalidRequest", message=ORGANIZER_MESSAGE))
            await to_event(pilot, app, organizer=True)
            await pilot.press("c")
            await pilot.pause(0.2)
            await type_text(pilot, "Could we skip this week?")
            await pilot.press("ctrl+s")
            await settle(pilot, app, "error")
            shown.append("✗ Not cancelled: “")
        elif name == "reply-modal":
            await to_event(pilot, app, organizer=False)
            await pilot.press("D")
            await pilot.pause(0.2)
            shown.append("Clashes with a customer call; could we do Thursday?")
            await type_text(pilot, shown[-1])
            await pilot.press("shift+tab")
            await type_text(pilot, "thursday 15:00-16:00")
            shown.append("Decline invitation")
        elif name == "week":
            await pilot.press("3")
            await settle(pilot, app)
            shown.append("Calendar · Week · Mon 23 Nov – Sun 29 Nov 2026")
        elif name == "bulk-modal":
            await pilot.press("space", "space", "space", "j", "space", "c")
            await pilot.pause(0.3)
            shown.append("The project is stopped; these meetings are off.")
            await type_text(pilot, shown[-1])
        elif name == "bulk-results":
            for index in range(12):  # Space marks and moves down; j passes one by
                await pilot.press("j" if index % 3 == 1 else "space")
            await pilot.press("c")
            await pilot.pause(0.3)
            await type_text(pilot, "Cancelled: project stopped.")
            await pilot.press("ctrl+s")
            for _ in range(500):
                if app.screen.__class__.__name__ == "BulkResultsScreen":
                    break
                await pilot.pause(0.02)
            shown.append("✓ Bulk cancel:")
        await pilot.pause(0.2)
        app.save_screenshot(f"{name}.svg", str(HERE))
    check(HERE / f"{name}.svg", shown)
    print(HERE / f"{name}.svg")


async def cache_scenes() -> None:
    """A warm start (rows from the cache, a sync on its way) and the offline marker."""
    from tui.cache import Owner
    from tui.config import Settings
    from tui.screens.main import MainScreen
    from tui.wiring import opener

    cache = opener(Settings(profile="shots", cache="plaintext"),
                   lambda: Owner("shots"))

    def app_for(fake: FakeGraph) -> Cal365App:
        client = GraphClient(fake.base_url, fake.token, timezone=ZONE)
        return Cal365App(client, today=TODAY, timezone=ZONE, cache=cache)

    MainScreen.offline_retry = 3600.0  # one offline message in the picture, no retry
    with FakeGraph(today=TODAY) as fake:
        app = app_for(fake)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            await pilot.press("3")
            for _ in range(500):
                if "as of" in _title(app) and "syncing" not in _title(app):
                    break
                await pilot.pause(0.02)
        from tui.fake.faults import Fault

        # A slow sync, so that the picture shows the cached rows while it is on its way.
        fake.faults.add(Fault("latency", path="delta", seconds=2.0, times=None))
        app = app_for(fake)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(500):
                if app.main.table.all_events and "syncing…" in _title(app):
                    break
                await pilot.pause(0.005)
            await pilot.pause(0.3)  # the details pane follows the first rows; the sync takes 2 s
            app.save_screenshot("warm-start.svg", str(HERE))
            check(HERE / "warm-start.svg", ["· syncing…"])
            print(HERE / "warm-start.svg")
            await settle(pilot, app)
        fake.stop()
        app = app_for(fake)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(500):
                if "offline —" in _title(app) and app.main.table.all_events:
                    break
                await pilot.pause(0.02)
            await pilot.press("j", "j")
            await pilot.pause(0.2)
            app.save_screenshot("offline.svg", str(HERE))
            check(HERE / "offline.svg", ["· offline — as of", "✗ Offline:"])
            print(HERE / "offline.svg")


async def main() -> None:
    # Drafts and audit lines of the scenes go to a throwaway folder, not the user's own.
    os.environ["CAL365_HOME"] = tempfile.mkdtemp(prefix="cal365-shots-")
    for name in (
        "main", "cancel-modal", "organizer-rejection", "reply-modal", "week", "bulk-modal",
        "bulk-results",
    ):
        with FakeGraph(today=TODAY) as fake:
            await scene(name, fake)
    await cache_scenes()


if __name__ == "__main__":
    asyncio.run(main())
