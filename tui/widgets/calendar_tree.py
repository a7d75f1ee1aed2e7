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
# What a node stands for, whatever line it is on: ("section", key), ("group", key, group id),
# ("empty", key, group id) or ("calendar", key, ref).
NodeKey = tuple[object, ...]
Node = TreeNode["CalendarNode | None"]


def shown_name(ref: CalendarRef, calendar: Calendar) -> str:
    """The name for titles and the status line: with its owner's when it is someone else's
    calendar, as a bare "Calendar" would not say whose it is."""
    owner = calendar.owner_name
    if owner and owner != calendar.name and (not calendar.can_edit or ref.mailbox.kind == "user"):
        return f"{calendar.name} ({owner})"
    return calendar.name


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
        self._keys: dict[int, NodeKey] = {}  # node id -> what it stands for
        self._auto: NodeKey | None = None  # where cal365 (not the user) last put the cursor

    @property
    def placed_by_user(self) -> bool:
        """The user moved the cursor off where cal365 put it (or put none)."""
        node = self.cursor_node
        return node is not None and self.cursor_line >= 0 and self._key(node) != self._auto

    def has_section(self, key: str) -> bool:
        return key in self._sections

    def set_section(self, key: str, title: str | None, section: Section) -> None:
        """Add or replace one part of the tree: `title=None` puts it at the top level.

        The cursor stays on the node it was on, found by what it stands for rather than by
        line; if that node went away, it goes to the nearest one left (a sibling, else the
        parent). Collapsed groups stay collapsed.
        """
        self._sections[key] = (title, section)
        path = self._path(self.cursor_node) if self.cursor_line >= 0 else []
        line = self.cursor_line
        collapsed = {self._key(n) for n in self._all(self.root) if not n.is_expanded}
        self.unselect()  # no cursor while rebuilding: the old line means nothing now
        self.clear()
        self._keys = {}
        # The user's own calendars stay on top whichever section loaded first.
        keys = sorted(self._sections, key=lambda k: k != "me")
        for section_key in keys:
            section_title, groups = self._sections[section_key]
            parent = self.root
            if section_title is not None:
                parent = self._add(self.root, Text(printable(section_title, 200), style="bold"),
                                   ("section", section_key), collapsed)
            self._add_groups(parent, section_key, groups, collapsed)
        if path:
            self._restore(path, line)

    def _add(self, parent: Node, label: Text, key: NodeKey, collapsed: set[NodeKey | None],
             data: CalendarNode | None = None, *, leaf: bool = False) -> Node:
        node = (parent.add_leaf(label, data=data) if leaf
                else parent.add(label, data=data, expand=key not in collapsed))
        self._keys[node.id] = key
        return node

    def _add_groups(self, parent: Node, section: str, groups: Section,
                    collapsed: set[NodeKey | None]) -> None:
        for group, calendars in groups:
            node = parent
            if group is not None:
                node = self._add(parent, Text(printable(group.name, 200)),
                                 ("group", section, group.id), collapsed)
                if not calendars:
                    self._add(node, Text("(no calendars)", style="dim"),
                              ("empty", section, group.id), collapsed, leaf=True)
            for ref, calendar in calendars:
                label = Text(printable(calendar.name, 200))
                owner = calendar.owner_name
                if owner and owner != calendar.name and not calendar.can_edit:
                    label.append(f" ({printable(owner, 100)})", style="dim")
                self._add(node, label, ("calendar", section, ref), collapsed,
                          CalendarNode(ref, calendar), leaf=True)

    def _key(self, node: Node | None) -> NodeKey | None:
        return self._keys.get(node.id) if node is not None else None

    def _all(self, node: Node) -> list[Node]:
        found = []
        for child in node.children:
            found.append(child)
            found.extend(self._all(child))
        return found

    def _path(self, node: Node | None) -> list[tuple[NodeKey, int]]:
        """The node's key and place among its siblings, then its parent's, up to the top."""
        path: list[tuple[NodeKey, int]] = []
        while node is not None and node is not self.root and node.parent is not None:
            key = self._key(node)
            if key is not None:
                path.append((key, list(node.parent.children).index(node)))
            node = node.parent
        return path

    def _restore(self, path: list[tuple[NodeKey, int]], line: int) -> None:
        nodes = {self._key(n): n for n in self._all(self.root)}
        for depth, (key, _) in enumerate(path):
            node = nodes.get(key)
            if node is None:
                continue
            if depth > 0 and node.is_expanded and node.children:
                # The node under the cursor went away: its sibling in the same place.
                place = path[depth - 1][1]
                node = node.children[min(place, len(node.children) - 1)]
            self._move_to(node)
            return
        if self.last_line >= 0:  # nothing left of its branch: the same line, or the last
            self.move_cursor_to_line(min(max(line, 0), self.last_line))

    def _move_to(self, node: Node) -> None:
        self.last_line  # noqa: B018 - lays out the new lines, so `node.line` is known
        self.move_cursor(node)

    def _leaves(self, node: TreeNode[CalendarNode | None]) -> list[TreeNode[CalendarNode | None]]:
        found = []
        for child in node.children:
            if child.data is not None:
                found.append(child)
            found.extend(self._leaves(child))
        return found

    def calendar_of(self, ref: CalendarRef) -> Calendar | None:
        """The calendar listed for `ref` (None when the pane does not list it)."""
        for leaf in self._leaves(self.root):
            assert leaf.data is not None
            if leaf.data.ref == ref:
                return leaf.data.calendar
        return None

    def own_address(self) -> str:
        """The address owning the user's default calendar ("" before it is listed)."""
        for leaf in self._leaves(self.root):
            assert leaf.data is not None
            if leaf.data.calendar.is_default and leaf.data.ref.mailbox.kind == "me":
                return leaf.data.calendar.owner_address
        return ""

    def section_title(self, key: str) -> str | None:
        found = self._sections.get(key)
        return found[0] if found is not None else None

    def select_ref(self, ref: CalendarRef) -> bool:
        for leaf in self._leaves(self.root):
            assert leaf.data is not None
            if leaf.data.ref == ref:
                self._place(leaf)
                return True
        return False

    def select_default(self) -> bool:
        for leaf in self._leaves(self.root):
            assert leaf.data is not None
            if leaf.data.calendar.is_default and leaf.data.ref.mailbox.kind == "me":
                self._place(leaf)
                return True
        return False

    def _place(self, node: Node) -> None:
        self._move_to(node)
        self._auto = self._key(node)
