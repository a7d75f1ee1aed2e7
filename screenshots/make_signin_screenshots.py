"""Regenerate signin.svg, signin-keyring.svg and signin-permission.svg: the sign-in screen
over the demo mailbox (the last one asking for a group calendar's extra permission).

    .venv/bin/python screenshots/make_signin_screenshots.py

The identity provider is the test suite's fake (HTTPS on loopback, a throwaway CA), so this
needs the `test` extra. The code is fixed; the countdown shows whatever time is left.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.auth.fake_idp import FakeIdP  # noqa: E402
from tui.app import Cal365App  # noqa: E402
from tui.auth.cache import KeyringStore, MemoryStore  # noqa: E402
from tui.auth.provider import MsalProvider  # noqa: E402
from tui.config import load_settings  # noqa: E402
from tui.fake import FakeGraph  # noqa: E402
from tui.graph import GraphClient  # noqa: E402
from tui.screens.signin import SignInScreen  # noqa: E402

TODAY = dt.date(2026, 11, 23)
ZONE = "Europe/Berlin"
SIZE = (120, 36)


async def scene(name: str, idp: FakeIdP, keyring_missing: bool) -> None:
    import keyring
    from keyring.backends import fail

    settings = load_settings(
        {"client_id": idp.client_id, "authority_host": idp.host, "ca_bundle": idp.ca_path},
        environ={}, path=Path("/nonexistent"),
    )
    store = KeyringStore("screenshot") if keyring_missing else MemoryStore()
    if keyring_missing:
        keyring.set_keyring(fail.Keyring())
    provider = MsalProvider(settings, store)
    with FakeGraph(today=TODAY) as fake:
        client = GraphClient(fake.base_url, provider, timezone=ZONE)
        app = Cal365App(client, today=TODAY, timezone=ZONE, sign_in=provider)
        async with app.run_test(size=SIZE) as pilot:
            want = "keyring" if keyring_missing else "waiting"
            for _ in range(500):
                screen = app.screen
                if isinstance(screen, SignInScreen) and screen.state == want:
                    break
                await pilot.pause(0.02)
            else:
                raise SystemExit(f"{name}: the sign-in screen never showed ({app.screen!r}, "
                                 f"{app.main.status.message})")
            await pilot.pause(0.2)
            app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
            await pilot.press("escape")


async def permission_scene(name: str, idp: FakeIdP) -> None:
    """Signed in with the base permissions, the user opens a Microsoft 365 group's calendar."""
    from tui.widgets.calendar_tree import CalendarTree

    settings = load_settings(
        {"client_id": idp.client_id, "authority_host": idp.host, "ca_bundle": idp.ca_path},
        environ={}, path=Path("/nonexistent"),
    )
    provider = MsalProvider(settings, MemoryStore())
    with FakeGraph(today=TODAY) as fake:
        idp.on_access_token = fake.grant
        idp.pending_polls = 0
        await asyncio.to_thread(lambda: provider.start_device_flow().wait())
        idp.pending_polls = 10_000
        client = GraphClient(fake.base_url, provider, timezone=ZONE)
        app = Cal365App(client, today=TODAY, timezone=ZONE, sign_in=provider)
        async with app.run_test(size=SIZE) as pilot:
            tree = app.main.query_one(CalendarTree)
            for _ in range(500):
                kinds = {leaf.data.ref.mailbox.kind for leaf in tree._leaves(tree.root)
                         if leaf.data is not None}
                if kinds >= {"me", "group"} and app.main.status.kind == "info":
                    break
                await pilot.pause(0.02)
            leaf = next(leaf for leaf in tree._leaves(tree.root)
                        if leaf.data is not None and leaf.data.ref.mailbox.kind == "group")
            tree.focus()
            tree.move_cursor(leaf)
            await pilot.press("enter")
            for _ in range(500):
                screen = app.screen
                if isinstance(screen, SignInScreen) and screen.state == "waiting":
                    break
                await pilot.pause(0.02)
            else:
                raise SystemExit(f"{name}: the sign-in screen never showed")
            await pilot.pause(0.2)
            app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
            await pilot.press("escape")


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        import os

        os.environ["CAL365_HOME"] = scratch
        os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        idp = FakeIdP(pending_polls=10_000, user_code="HX7KQ2PLM").start(Path(scratch))
        try:
            await scene("signin", idp, keyring_missing=False)
            await scene("signin-keyring", idp, keyring_missing=True)
            await permission_scene("signin-permission", idp)
        finally:
            idp.stop()


if __name__ == "__main__":
    asyncio.run(main())
