"""The keys that work where the focus is, on one line at the bottom of a screen.

Textual's Footer builds a widget per key and recomposes them all whenever the focus moves; on
the main screen that was a fifth of the start-up time and a repaint of many small regions per
focus change. This bar is one widget that draws one line, and redraws only when the keys it
shows change. The keys come from the screen's active bindings, which `tui/commands.py` makes,
so the bar cannot drift from the bindings, the help screen or the palette.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

_DIM = Style(dim=True)
# Kept in a narrow bar before the others (ids in tui/commands.py).
_FIRST = ("help", "clear-kept-filter")


class _Key(NamedTuple):
    key: str
    shown: str
    label: str
    enabled: bool
    command: str | None = None  # its id in tui/commands.py


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--label", "key-bar--palette"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[_Key] = []
        self._palette: _Key | None = None
        # Cells [start, end) of each key on the line, for a click.
        self._spans: list[tuple[int, int, str]] = []
        self._watched: Screen[object] | None = None  # whose keys are shown

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self._watch(self.app.screen)

    def on_unmount(self) -> None:
        self.app.screen_change_signal.unsubscribe(self)
        self._watch(None)

    def _screen_changed(self, screen: Screen[object]) -> None:
        if self.is_attached:
            self._watch(self.app.screen)

    def _watch(self, screen: Screen[object] | None) -> None:
        """Show `screen`'s keys, and follow its focus from now on."""
        if screen is self._watched:
            return
        if self._watched is not None:
            self._watched.bindings_updated_signal.unsubscribe(self)
        self._watched = screen
        if screen is not None:
            screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
            self._read_bindings()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self._watched:
            self._read_bindings()

    def _read_bindings(self) -> None:
        screen = self._watched
        if screen is None:
            return
        keys: list[_Key] = []
        actions: set[str] = set()
        palette: _Key | None = None
        for _key, (_node, binding, enabled, _tip) in screen.active_bindings.items():
            # By its id: the user may have given the palette another key (tui/commands.py).
            if binding.id == "palette" and self.app.ENABLE_COMMAND_PALETTE:
                palette = _Key(binding.key, self.app.get_key_display(binding), "", enabled)
            if not binding.show or binding.action in actions:
                continue  # one entry per action, as its first key
            actions.add(binding.action)
            keys.append(_Key(binding.key, self.app.get_key_display(binding),
                             binding.description, enabled, binding.id))
        if keys != self._keys or palette != self._palette:
            self._keys, self._palette = keys, palette
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        label_style = self.get_component_rich_style("key-bar--label")
        width = self.size.width
        right = None
        if self._palette is not None:
            right = Text(f"▏{self._palette.shown} ",
                         self.get_component_rich_style("key-bar--palette"), end="")
        room = width - (right.cell_len if right is not None else 0)
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for item in self._fitting(room):
            start = line.cell_len
            line.append(f" {item.shown} ", key_style if item.enabled else key_style + _DIM)
            line.append(item.label, label_style)
            line.append(" ")
            self._spans.append((start, line.cell_len, item.key))
        if right is not None and room > 0:
            line.pad_right(room - line.cell_len)
            self._spans.append((room, width, self._palette.key if self._palette else ""))
            line.append_text(right)
        return line

    def _fitting(self, room: int) -> list[_Key]:
        """The keys that fit in `room` cells, whole: in their order, but help (it lists all
        the others) and the way out of a state the user is in (a kept filter) first of the
        ones given up for."""
        def cells(item: _Key) -> int:
            return Text(f" {item.shown} {item.label} ").cell_len

        if sum(cells(item) for item in self._keys) <= room:
            return self._keys
        kept: set[int] = set()
        used = 0
        helps = [i for i, item in enumerate(self._keys) if item.command in _FIRST]
        for index in helps + list(range(len(self._keys))):
            if index in kept:
                continue
            if used + cells(self._keys[index]) <= room:
                kept.add(index)
                used += cells(self._keys[index])
        return [item for i, item in enumerate(self._keys) if i in kept]

    async def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
