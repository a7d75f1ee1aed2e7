"""What a terminal sends arrives: a comment typed with an em dash, an emoji, accents or CJK
is shown and sent as typed (the screenshots once showed "Sorry  moving": that was the
screenshot script's way of typing, not the app)."""

from __future__ import annotations

import json

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from tests.app.helpers import cancel_posts, make_app, open_cancel_dialog, wait_for
from tests.app.screen_text import screen_lines
from tui.fake import FakeGraph
from tui.fake.server import RecordedRequest

TYPED = "Sorry — moving ☕ to Fri, café 会議 «ok»"


async def type_as_a_terminal(pilot: Pilot[None], text: str) -> None:
    """One key event per character, carrying it, as Textual's terminal driver makes them."""
    for character in text:
        pilot.app.post_message(events.Key(_character_to_key(character), character))
        await pilot.pause()


async def test_a_comment_with_any_characters_is_shown_and_sent_as_typed(
    fake_graph: FakeGraph,
) -> None:

    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app, _, _ = await open_cancel_dialog(
            pilot, lambda e: e.is_organizer and not e.is_cancelled)
        await type_as_a_terminal(pilot, TYPED)
        await wait_for(pilot, lambda: any(TYPED in line for line in screen_lines(app)))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.main.status.kind == "success")
        [post] = cancel_posts(fake_graph)
        assert isinstance(post, RecordedRequest)
        assert json.loads(post.body) == {"Comment": TYPED}
