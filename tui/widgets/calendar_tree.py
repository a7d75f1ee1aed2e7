"""The calendars pane: calendar groups, each holding its calendars."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.commands import bindings
from tui.graph import Calendar, CalendarGroup, CalendarRef
from tui.widgets.format import printable


@dataclass(frozen=True, slots=True)
class CalendarNode:
    """What a tree leaf stands for: a calendar and the URL form it was found through."""

    ref: CalendarRef
    calendar: Calendar


class CalendarTree(Tree[CalendarNode | None]):
    BINDINGS = bindings("tree")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Calendars", id=id)
        self.show_root = False
        self.guide_depth = 2

    def populate(
        self, groups: list[tuple[CalendarGroup, list[tuple[CalendarRef, Calendar]]]]
    ) -> None:
        self.clear()
        for group, calendars in groups:
            node = self.root.add(Text(printable(group.name, 200)), data=None, expand=True)
            if not calendars:
                node.add_leaf(Text("(no calendars)", style="dim"), data=None)
            for ref, calendar in calendars:
                label = Text(printable(calendar.name, 200))
                if (
                    calendar.owner_name
                    and calendar.owner_name != calendar.name
                    and not calendar.can_edit
                ):
                    label.append(f" ({printable(calendar.owner_name, 100)})", style="dim")
                node.add_leaf(label, data=CalendarNode(ref, calendar))

    def find(self, calendar_id: str) -> TreeNode[CalendarNode | None] | None:
        for group in self.root.children:
            for leaf in group.children:
                if leaf.data is not None and leaf.data.calendar.id == calendar_id:
                    return leaf
        return None
