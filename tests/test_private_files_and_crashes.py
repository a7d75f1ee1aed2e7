"""Files cal365 writes are private (0600 in 0700 folders) whatever the umask, and a crash
report never shows the access token."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.helpers import loaded, make_app, select, wait_for
from tui.fake import FakeGraph
from tui.screens.cancel import CancelScreen
from tui.screens.main import MainScreen


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask a user could have: nothing masked."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


async def test_drafts_and_audit_log_are_private_under_an_open_umask(
    fake_graph: FakeGraph, private_home: Path, open_umask: None
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        # One comment kept as a draft (backed out), one cancel sent (audited).
        for keys in (("escape",), ("ctrl+s",)):
            await select(pilot, lambda e: e.is_organizer and not e.is_cancelled
                         and bool(e.attendees))
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
            await pilot.press(*"private note", *keys)
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: app.main.status.kind == "success")
    written = [p for p in private_home.rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert "drafts.json" in names and any("audit" in n for n in names), names
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path.parent


async def test_a_crash_report_holds_no_token(
    fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def crash(self: MainScreen) -> None:
        # A frame holding the token, as in a request.
        headers = await self.client.transport.headers()
        raise RuntimeError(f"boom after building {len(headers)} headers")

    monkeypatch.setattr(MainScreen, "action_refresh", crash)
    app = make_app(fake_graph)
    reports: list[str] = []
    printed = app._print_error_renderables

    def keep() -> None:  # what would be printed on the terminal as the app exits
        reports.extend(
            segment.text for renderable in app._exit_renderables
            for segment in renderable.segments  # type: ignore[attr-defined]
        )
        printed()

    monkeypatch.setattr(app, "_print_error_renderables", keep)
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("r")
            await pilot.pause()
    report = "".join(reports)
    assert "RuntimeError" in report and "boom" in report
    assert "Bearer" not in report and fake_graph.token[:20] not in report
