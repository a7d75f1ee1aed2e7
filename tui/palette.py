"""Command palette entries, made from the command registry."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from tui.commands import Command, palette_commands


def _highlight(matcher: Matcher, text: str) -> Content:
    """`text` with the letters the query matched highlighted, as plain content: Textual's
    own highlight reads it as markup, and a line may name a calendar's owner (server text,
    where "[@click=…]" would be an action)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets if score else ():
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class Cal365Commands(Provider):
    async def _run(self, command: Command) -> None:
        # The palette is a screen of its own: run screen commands on the screen beneath it.
        if command.scope == "app":
            await self.app.run_action(command.action)
        else:
            target = getattr(self.app, "main", None) or self.app.screen
            await self.app.run_action(command.action.removeprefix("screen."), target)

    def _keys(self, command: Command) -> str:
        """The command's keys, the user's own where the config file gives them."""
        return command.keys_shown(getattr(self.app, "keymap", None))

    def _owner(self) -> str | None:
        """Whose calendar is open, if another person's: the lines about roles name them."""
        main = getattr(self.app, "main", None)
        return main.owner_name() if main is not None else None

    async def discover(self) -> Hits:
        owner = self._owner()
        for command in palette_commands():
            yield DiscoveryHit(Content(command.help_for(owner)), partial(self._run, command),
                               help=self._keys(command))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        owner = self._owner()
        for command in palette_commands():
            text = command.help_for(owner)
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, text),
                    partial(self._run, command),
                    help=self._keys(command),
                )
