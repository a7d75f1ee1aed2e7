"""A warm start paints the sealed last frame first, then the main screen takes its place."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip

from tests.app.helpers import ZONE, wait_for
from tests.conftest import DEMO_TODAY
from tests.offline.test_offline_app import OWNER, SETTINGS, synced
from tui.app import Cal365App
from tui.cache import CacheStore, open_cache
from tui.fake import FakeGraph
from tui.graph import ME, CalendarRef, GraphClient
from tui.screens.main import MainScreen
from tui.startup.frame import FrameScreen
from tui.startup.opening import StartedOpen, frame_fit, frame_peek, frame_reader
from tui.startup.sealed_frame import FrameUnreadable, decode, encode
from tui.startup.textual_private import frame_lines
from tui.wiring import opener

SIZE = (120, 40)


def fit(size: tuple[int, int] = SIZE) -> str:
    return frame_fit(size[0], size[1], DEMO_TODAY, ZONE, 14)


def app_for(fake: FakeGraph, size: tuple[int, int] = SIZE, **options: object) -> Cal365App:
    client = GraphClient(fake.base_url, fake.token, timezone=ZONE)
    frame = frame_reader(frame_peek(SETTINGS, lambda: OWNER, fit(size)))
    cache = StartedOpen(opener(SETTINGS, lambda: OWNER), frame=frame, now=False)
    return Cal365App(client, today=DEMO_TODAY, timezone=ZONE, cache=cache, **options)  # type: ignore[arg-type]


def the_store() -> CacheStore:
    store = open_cache(SETTINGS, OWNER)
    assert store is not None
    return store


async def run_and_quit(fake: FakeGraph, size: tuple[int, int] = SIZE) -> None:
    """A session that ends with q, which seals its screen."""
    async with app_for(fake, size).run_test(size=size) as pilot:
        await synced(pilot)
        await pilot.press("q")


def _lines(app: Cal365App) -> list[str]:
    return [Strip(line).text for line in frame_lines(app.screen)]


class FrameSpy:
    """Records the frames shown, holding the main screen back until the test lets it go."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, hold: bool = False) -> None:
        self.shown: list[FrameScreen] = []
        spy = self
        original = FrameScreen.on_mount

        def on_mount(screen: FrameScreen) -> None:
            spy.shown.append(screen)
            if not hold:
                original(screen)

        monkeypatch.setattr(FrameScreen, "on_mount", on_mount)


def frame_text(screen: FrameScreen) -> list[str]:
    return [strip.text for strip in screen._strips]


async def test_a_quit_seals_the_screen_and_the_next_start_paints_it_first(
        fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    at_quit: list[str] = []
    seal = MainScreen.seal_frame

    def seal_spy(screen: MainScreen, fit: str) -> None:
        at_quit.extend(_lines(screen.app))  # type: ignore[arg-type]
        seal(screen, fit)

    with monkeypatch.context() as patch:
        patch.setattr(MainScreen, "seal_frame", seal_spy)
        await run_and_quit(fake_graph)
    assert len(at_quit) == SIZE[1]
    store = the_store()
    assert store.frame(fit()) is not None
    store.close()
    spy = FrameSpy(monkeypatch)
    async with app_for(fake_graph).run_test(size=SIZE) as pilot:
        app = await synced(pilot)
        assert len(spy.shown) == 1
        assert frame_text(spy.shown[0]) == at_quit  # the cells as they were, to the letter
        assert isinstance(app.screen, type(app.main)) and app.frame is None
        subjects = [e.subject for e in app.main.table.visible_events[:5]]
        assert all(any(s in line for line in at_quit) for s in subjects)
        # The live screen, built from the same cache, shows the same panes and rows. (The
        # title's freshness marker, the details of the selected event and the status line
        # are passing things that may differ.)
        live = _lines(app)
        end = next(i for i, line in enumerate(at_quit) if "events ─╯" in line)
        assert live[1:end + 1] == at_quit[1:end + 1]


async def test_keys_typed_while_the_frame_shows_reach_the_main_screen_in_order(
        fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    await run_and_quit(fake_graph)
    spy = FrameSpy(monkeypatch, hold=True)
    async with app_for(fake_graph).run_test(size=SIZE) as pilot:
        app = pilot.app
        assert isinstance(app, Cal365App)
        await wait_for(pilot, lambda: spy.shown)
        assert app.screen is spy.shown[0] and app._main is None  # nothing built yet
        await pilot.press("j", "j", "j", "home", "j")  # the order decides: row 1, not 0 or 3
        assert app._main is None
        app.call_later(spy.shown[0]._then)  # the hand-over, as the frame's paint starts it
        await pilot.press("j")  # typed while the main screen is being built: after the rest
        main = app.main
        await synced(pilot)
        await wait_for(pilot, lambda: main.table.cursor == 2)


async def test_the_next_start_selects_the_event_the_cursor_was_on(
        fake_graph: FakeGraph) -> None:
    async with app_for(fake_graph).run_test(size=SIZE) as pilot:
        app = await synced(pilot)
        await pilot.press("j", "j", "j")
        chosen = app.main.table.current
        assert chosen is not None
        await pilot.press("q")
    async with app_for(fake_graph).run_test(size=SIZE) as pilot:
        app = await synced(pilot)
        current = app.main.table.current
        assert current is not None and current.id == chosen.id


@pytest.mark.parametrize("keys", [("space",), ("/", "s"), ("m",)],
                         ids=["a mark", "a filter", "a toggle"])
async def test_no_frame_of_a_screen_the_next_start_would_not_show(
        fake_graph: FakeGraph, keys: tuple[str, ...]) -> None:
    async with app_for(fake_graph).run_test(size=SIZE) as pilot:
        app = await synced(pilot)
        await pilot.press(*keys)
        app.main.seal_frame(fit())
    store = the_store()
    assert store.frame(fit()) is None
    store.close()


async def test_no_frame_when_another_program_wrote_since_the_screen_read(
        fake_graph: FakeGraph) -> None:
    async with app_for(fake_graph).run_test(size=SIZE) as pilot:
        app = await synced(pilot)
        other = the_store()  # a `cal365 sync` from cron, say: a connection of its own
        other.save_signed_in("Someone Else <someone@contoso.test>")
        other.close()
        app.main.seal_frame(fit())
    store = the_store()
    assert store.frame(fit()) is None
    store.close()


@pytest.mark.parametrize("case", ["another terminal size", "the cache changed since",
                                  "a start day given", "a damaged frame"])
async def test_no_frame_when_it_might_not_be_what_the_screen_would_show(
        fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    await run_and_quit(fake_graph)
    size, options = SIZE, {}
    if case == "another terminal size":
        size = (100, 30)
    elif case == "the cache changed since":  # as `cal365 sync` from cron would
        store = the_store()
        store.remove_event(store.events(CalendarRef(ME), *_window(), dt_utc())[0].id)
        store.close()
    elif case == "a start day given":
        options = {"restore_view": False}
    else:
        store = the_store()
        store.save_frame(fit(), b"not a frame")
        store.close()
    spy = FrameSpy(monkeypatch)
    async with app_for(fake_graph, size, **options).run_test(size=size) as pilot:
        app = await synced(pilot)
        assert spy.shown == [], case
        assert app.main.table.all_events


def _window():  # type: ignore[no-untyped-def]
    import datetime as dt

    start = dt.datetime.combine(DEMO_TODAY, dt.time(), dt.UTC) - dt.timedelta(days=2)
    return start, start + dt.timedelta(days=20)


def dt_utc():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.UTC


async def test_nothing_is_sealed_while_a_dialog_is_on_top(fake_graph: FakeGraph) -> None:
    async with app_for(fake_graph).run_test(size=SIZE) as pilot:
        app = await synced(pilot)
        await pilot.press("?")
        await wait_for(pilot, lambda: app.screen is not app.main)
        app.main.seal_frame(fit())
    store = the_store()
    assert store.frame(fit()) is None
    store.close()


def test_a_frame_decodes_to_the_same_cells_and_styles() -> None:
    bold = Style.parse("bold #ff8800 on #101010")
    lines = [[Segment("Weekly sync", bold), Segment(" · ", None), Segment("Zoë 🚀", Style())],
             [Segment("x" * 12)]]  # a short line is filled to the width
    strips = decode(encode(lines, Size(20, 2)), Size(20, 2))
    assert [s.text for s in strips] == ["Weekly sync · Zoë 🚀", "x" * 12 + " " * 8]
    assert [s.cell_length for s in strips] == [20, 20]
    assert next(iter(strips[0])).style == bold


@pytest.mark.parametrize("data", [b"", b"[]", b"{}", b'{"v":1,"w":20,"h":2,"styles":[],'
                                  b'"lines":[["a",3]]}', b"\xff\xfe"])
def test_anything_else_is_refused_not_shown(data: bytes) -> None:
    with pytest.raises(FrameUnreadable):
        decode(data, Size(20, 2))


def test_a_frame_of_another_size_is_refused() -> None:
    frame = encode([[Segment("a")]] * 2, Size(20, 2))
    with pytest.raises(FrameUnreadable):
        decode(frame, Size(21, 2))


def test_a_frame_with_control_characters_is_refused() -> None:
    frame = encode([[Segment("a\x1b]52;c;bad\x07")], [Segment("b")]], Size(20, 2))
    with pytest.raises(FrameUnreadable):
        decode(frame, Size(20, 2))


async def test_no_frame_in_a_theme_picked_for_this_run_only(fake_graph: FakeGraph) -> None:
    async with app_for(fake_graph).run_test(size=SIZE) as pilot:
        app = await synced(pilot)
        app.theme = next(name for name in app.available_themes if name != app.theme)
        await pilot.press("q")
    store = the_store()
    assert store.frame(fit()) is None
    store.close()


async def test_a_key_typed_over_the_frame_is_answered_before_the_screen_asks_graph(
        fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    """The requests and the sync that follow the main screen's first frame wait for the keys
    held during the start: the user's `?` is not queued behind them."""
    from tui.screens.help import HelpScreen

    await run_and_quit(fake_graph)
    spy = FrameSpy(monkeypatch, hold=True)
    asked_at_help: list[int] = []
    push = Cal365App.push_screen

    def push_spy(app: Cal365App, screen: object, *args: object, **kwargs: object) -> object:
        if isinstance(screen, HelpScreen):
            asked_at_help.append(len(fake_graph.requests))
        return push(app, screen, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Cal365App, "push_screen", push_spy)
    async with app_for(fake_graph).run_test(size=SIZE) as pilot:
        app = pilot.app
        assert isinstance(app, Cal365App)
        await wait_for(pilot, lambda: spy.shown)
        await pilot.press("?")
        before = len(fake_graph.requests)
        app.call_later(spy.shown[0]._then)
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert asked_at_help == [before], fake_graph.requests[before:]  # nothing asked before
        await synced(pilot)  # then the screen's requests and its sync go as usual
        assert len(fake_graph.requests) > before
