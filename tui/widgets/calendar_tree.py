"""The calendars pane: the user's calendar groups, other mailboxes opened, and groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.commands import bindings
from tui.graph import Calendar, CalendarGroup, CalendarRef
from tui.widgets.format import printable

# Calendar groups with their calendars; a None group puts its calendars straight under the
# section (Microsoft 365 groups have one calendar each and no calendar groups).
Section = Sequence[tuple[CalendarGroup | None, list[tuple[CalendarRef, Calendar]]]]


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
        self._sections: dict[str, tuple[str | None, Section]] = {}

    def section_title(self, key: str) -> str | None:
        """The heading of section `key` (another person's name, for a `user:` section)."""
        entry = self._sections.get(key)
        return entry[0] if entry is not None else None

    def set_section(self, key: str, title: str | None, section: Section) -> None:
        """Add or replace one part of the tree: `title=None` puts it at the top level."""
        self._sections[key] = (title, section)
        selected = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        # The user's own calendars stay on top whichever section loaded first.
        keys = sorted(self._sections, key=lambda k: k != "me")
        for section_title, groups in (self._sections[k] for k in keys):
            parent = self.root
            if section_title is not None:
                parent = self.root.add(
                    Text(printable(section_title, 200), style="bold"), data=None, expand=True
                )
            self._add_groups(parent, groups)
        if selected is not None:
            self.select_ref(selected.ref)

    def _add_groups(self, parent: TreeNode[CalendarNode | None], groups: Section) -> None:
        for group, calendars in groups:
            node = parent
            if group is not None:
                node = parent.add(Text(printable(group.name, 200)), data=None, expand=True)
                if not calendars:
                    node.add_leaf(Text("(no calendars)", style="dim"), data=None)
            for ref, calendar in calendars:
                label = Text(printable(calendar.name, 200))
                owner = calendar.owner_name
                if owner and owner != calendar.name and not calendar.can_edit:
                    label.append(f" ({printable(owner, 100)})", style="dim")
                node.add_leaf(label, data=CalendarNode(ref, calendar))

    def _leaves(self, node: TreeNode[CalendarNode | None]) -> list[TreeNode[CalendarNode | None]]:
        found = []
        for child in node.children:
            if child.data is not None:
                found.append(child)
            found.extend(self._leaves(child))
        return found

    def select_ref(self, ref: CalendarRef) -> bool:
        for leaf in self._leaves(self.root):
            assert leaf.data is not None
            if leaf.data.ref == ref:
                self.move_cursor(leaf)
                return True
        return False

    def select_default(self) -> bool:
        for leaf in self._leaves(self.root):
            assert leaf.data is not None
            if leaf.data.calendar.is_default and leaf.data.ref.mailbox.kind == "me":
                self.move_cursor(leaf)
                return True
        return False
