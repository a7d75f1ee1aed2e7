"""Command palette entries, made from the command registry."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.commands import Command, palette_commands


class Cal365Commands(Provider):
    async def _run(self, command: Command) -> None:
        # The palette is a screen of its own: run screen commands on the screen beneath it.
        if command.scope == "app":
            await self.app.run_action(command.action)
        else:
            target = getattr(self.app, "main", None) or self.app.screen
            await self.app.run_action(command.action.removeprefix("screen."), target)

    def _owner(self) -> str | None:
        """Whose calendar is open, if another person's: the lines about roles name them."""
        main = getattr(self.app, "main", None)
        return main.owner_name() if main is not None else None

    async def discover(self) -> Hits:
        owner = self._owner()
        for command in palette_commands():
            yield DiscoveryHit(command.help_for(owner), partial(self._run, command),
                               help=command.shown_keys)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        owner = self._owner()
        for command in palette_commands():
            text = command.help_for(owner)
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self._run, command),
                    help=command.shown_keys,
                )
