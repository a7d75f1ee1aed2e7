"""`o` and `y` with the server's webLink: only a checked Outlook link is opened or copied;
a refused one says why in the status bar; with no browser here the link is shown whole."""

from __future__ import annotations

import webbrowser

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from tests.app.helpers import loaded, make_app, select, wait_for
from tests.app.screen_text import rendered_text
from tui.fake import FakeGraph, Fault
from tui.screens.link import LinkScreen


class RecordingBrowser(webbrowser.BaseBrowser):
    """Stands in for a graphical browser: records what it was asked to open."""

    def __init__(self) -> None:
        super().__init__("firefox")
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        return True


@pytest.fixture
def firefox(monkeypatch: pytest.MonkeyPatch) -> RecordingBrowser:
    """A local graphical session whose one browser records instead of opening."""
    monkeypatch.delenv("BROWSER", raising=False)
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "_tryorder", [])
    monkeypatch.setattr(webbrowser, "_browsers", {})
    monkeypatch.setattr("sys.platform", "linux")
    browser = RecordingBrowser()
    webbrowser.register("firefox", None, browser, preferred=True)
    return browser


def shown(widget: Widget, width: int = 120) -> str:
    """What a widget shows, as text."""
    assert isinstance(widget, Static)
    return rendered_text(widget.content, width)


def serve_links(fake: FakeGraph, link: str) -> None:
    """Every event the fake lists carries `link` as its webLink."""
    fake.faults.add(Fault("odd_fields", method="GET", path="calendarView", times=None,
                          items=10_000, fields={"webLink": link}))


BAD_LINKS = [
    ("file:///etc/passwd", "file link"),
    ("javascript:alert(1)", "javascript link"),
    ("data:text/html,<script>x</script>", "data link"),
    ("--remote-debugging-port=9222", "starts with '-'"),
    ("https://outlook.office.com@evil.example/owa", "user name"),
    ("https://outlook.office.com:8443/owa", "port 8443"),
    ("https://xn--outlok-7ve.office.com/owa", "is not Outlook on the web"),
    ("https://outl\u043eok.office.com/owa", "non-ASCII"),
    ("https://outlook.office.com/o wa\x1b[2J", "spaces, control"),
    ("https://outlook.office.com/" + "a" * 5000, "characters long"),
]


@pytest.mark.parametrize(("link", "why"), BAD_LINKS, ids=[why for _, why in BAD_LINKS])
@pytest.mark.parametrize("key", ["o", "y"])
async def test_a_bad_link_is_refused_with_the_reason_in_the_status_bar(
    fake_graph: FakeGraph, firefox: RecordingBrowser, link: str, why: str, key: str
) -> None:
    serve_links(fake_graph, link)
    async with make_app(fake_graph).run_test(size=(160, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: bool(e.web_link))
        assert event.web_link == link
        await pilot.press(key)
        status = app.main.status
        text = shown(status, 400)
        verb = "Not opened" if key == "o" else "Not copied"
        assert status.kind == "error"
        assert verb in text and "is refused" in text and why in text, text
        assert "\x1b" not in text
        assert firefox.opened == []
        assert app.clipboard != link
        assert not isinstance(app.screen, LinkScreen)


async def test_a_good_link_is_opened(fake_graph: FakeGraph, firefox: RecordingBrowser) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: bool(e.web_link))
        await pilot.press("o")
        assert firefox.opened == [event.web_link]
        assert "in the browser" in shown(app.main.status)


async def test_the_demo_servers_own_loopback_link_is_opened(
    fake_graph: FakeGraph, firefox: RecordingBrowser
) -> None:
    link = f"{fake_graph.base_url.split('/v1.0')[0]}/owa/?itemid=X"
    serve_links(fake_graph, link)
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await select(pilot, lambda e: bool(e.web_link))
        await pilot.press("o")
        assert firefox.opened == [link]


async def test_over_ssh_o_shows_the_link_whole_and_says_the_copy_may_not_arrive(
    fake_graph: FakeGraph, firefox: RecordingBrowser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 51000 10.0.0.1 22")
    async with make_app(fake_graph).run_test(size=(80, 24)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: bool(e.web_link))
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkScreen))
        await pilot.pause()
        assert firefox.opened == []
        assert app.clipboard == event.web_link
        status = shown(app.main.status, 400)
        assert "shown to select by hand" in status and "set-clipboard on" in status
        dialog = app.screen
        url = dialog.query_one("#link-url")
        drawn = url.render_lines(Region(0, 0, url.size.width, url.size.height))
        assert len(event.web_link) > 80 and len(drawn) > 1
        assert "".join(s.text.rstrip() for s in drawn) == event.web_link  # folded, not cut
        # Edge to edge, with no frame beside it: the terminal's own selection across its
        # lines picks up the link and line breaks only.
        assert url.region.x == 0 and url.region.width == app.size.width
        assert "tmux" in shown(dialog.query_one("#link-explain"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LinkScreen))


async def test_over_ssh_the_longest_link_o_accepts_is_shown_whole(
    fake_graph: FakeGraph, firefox: RecordingBrowser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link as long as the check lets through (MAX_LINK) is drawn to its last character:
    selected by hand, a cut link would open the wrong page or none."""
    from tui.links import MAX_LINK

    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 51000 10.0.0.1 22")
    prefix = "https://outlook.office365.com/owa/?itemid="
    link = prefix + "A" * (MAX_LINK - len(prefix) - 1) + "Z"
    serve_links(fake_graph, link)
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        await select(pilot, lambda e: e.web_link == link)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkScreen))
        await pilot.pause()
        assert app.clipboard == link
        url = app.screen.query_one("#link-url")
        drawn = url.render_lines(Region(0, 0, url.size.width, url.size.height))
        assert "".join(s.text.rstrip() for s in drawn) == link


async def test_y_says_how_to_get_the_copy_through_tmux(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(160, 40)) as pilot:
        app = await loaded(pilot)
        event = await select(pilot, lambda e: bool(e.web_link))
        await pilot.press("y")
        assert app.clipboard == event.web_link
        text = shown(app.main.status, 400)
        assert text.startswith("Copied the Outlook link") and "set-clipboard on" in text


async def test_every_toast_is_inert_text_whatever_screen_sends_it(
    fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A toast's words may carry a path, a keyring's or a server's text: what reaches
    Textual has no control, bidi or invisible characters and is never read as markup."""
    from textual.app import App

    from tests.app.helpers import ZONE
    from tests.conftest import DEMO_TODAY
    from tui.app import Cal365App
    from tui.graph import GraphClient

    sent: list[tuple[str, str, bool]] = []

    def record(self: App[None], message: str, *, title: str = "", severity: str = "",
               timeout: float | None = None, markup: bool = True) -> None:
        sent.append((message, title, markup))

    monkeypatch.setattr(App, "notify", record)
    hostile = "/home/x\x1b]52;c;eA==\x07 [bold]not markup[/bold] \u202eevil\x9b"
    client = GraphClient(fake_graph.base_url, fake_graph.token, timezone=ZONE)
    app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE, cache_warning=hostile)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.main.notify("title too", title="T\x1b[2J\u2066")
    assert sent and all(markup is False for _, _, markup in sent)
    for message, title, _ in sent:
        for char in "\x1b\x07\x9b\u202e\u2066":
            assert char not in message and char not in title
    assert "[bold]not markup[/bold]" in sent[0][0]


async def test_a_crash_report_shows_the_exceptions_words_inert(
    fake_graph: FakeGraph, capfd: pytest.CaptureFixture[str]
) -> None:
    """An exception's message may be a server's text; the crash report printed at exit
    carries it inert like every other output."""
    app = make_app(fake_graph)

    def boom() -> None:
        raise ValueError("server said \x1b]52;c;eA==\x07 \u202eevil \x9b2J done")

    with pytest.raises(ValueError):
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            app.call_later(boom)
            await pilot.pause(0.3)
    err = capfd.readouterr().err
    assert "server said" in err and "evil" in err and "done" in err
    for char in "\x1b\x07\x9b\u202e":
        assert char not in err
