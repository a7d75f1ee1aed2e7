"""`python -m tui.bench.table_only …`: cal365 with the details pane frozen.

For scenario 6 only: it tells the bytes the events table itself sends per cursor move apart
from the details pane, which repaints the newly selected event's details on every move.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from tui.cli import main
from tui.graph import Event
from tui.widgets.event_details import EventDetails


def _first_only(show: Callable[..., None]) -> Callable[..., None]:
    shown: list[bool] = []

    def show_once(self: EventDetails, event: Event | None, *args: Any, **kwargs: Any) -> None:
        if not shown and event is not None:
            shown.append(True)
            show(self, event, *args, **kwargs)

    return show_once


if __name__ == "__main__":
    setattr(EventDetails, "show", _first_only(EventDetails.show))  # noqa: B010
    sys.exit(main())
