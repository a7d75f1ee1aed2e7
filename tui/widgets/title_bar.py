"""The line at the top: cal365, who is signed in, and how fresh the events are."""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from tui.widgets.format import fit_bar


class TitleBar(Static):
    """Refitted to its width: a long name is shortened before the freshness is lost."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("cal365", id=id, markup=False)
        self._who = ""
        self._fresh = ""

    def set_parts(self, who: str, fresh: str) -> None:
        """The signed-in user (or mailbox) and the freshness ("as of 08:12", "offline — …")."""
        if (who, fresh) != (self._who, self._fresh):
            self._who, self._fresh = who, fresh
            self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        title = fit_bar(self._who, self._fresh, self.size.width)
        if self.content != title:  # each page of a loading window asks; a new layout costs
            self.update(title)
