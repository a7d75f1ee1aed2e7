"""The filter while a window streams in: its index is built after the pages, yet every
filter, typed before, during or after the load, shows exactly the matching rows, and the
cursor stays on its event."""

from __future__ import annotations

import datetime as dt

from textual.app import App, ComposeResult

from tests.app.helpers import wait_for
from tests.app.screen_text import screen_lines
from tui.graph.models import Attendee, Event, Person
from tui.graph.urls import ME, EventRef
from tui.widgets.event_table import EventTable

START = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
KIM = Person("Kim Sprinter", "kim@example.com")
LEE = Person("Lee Ray", "lee@example.com")


def _event(n: int) -> Event:
    subject = ("Sprint planning", "Lunch", "Design review", "1:1")[n % 4] + f" #{n:03d}"
    attendees = (Attendee(KIM if n % 5 == 0 else LEE, "required", "none"),)
    start = START + dt.timedelta(hours=n)
    return Event(
        ref=EventRef(f"id{n:03d}", ME), subject=subject, start=start, end=start,
        is_all_day=False, is_organizer=False, is_cancelled=False, type="singleInstance",
        series_master_id=None, organizer=LEE, attendees=attendees, my_response="none",
        location="Room SPRINT" if n % 7 == 0 else "", online_meeting_url="",
        body_preview="", web_link="", show_as="busy",
    )


PAGES = [[_event(n) for n in range(page * 12, page * 12 + 12)] for page in range(3)]


def _matches(events: list[Event], text: str) -> list[str]:
    """What the filter must show: events whose subject, people or place hold `text`."""
    needle = text.casefold()
    return [e.subject for e in events if needle in " ".join(
        [e.subject, e.organizer.name, e.organizer.address, e.location,
         *(a.person.name + " " + a.person.address for a in e.attendees)]).casefold()]


def _rows(app: App[None]) -> list[str]:
    """The subjects on screen, top to bottom."""
    shown = [line for line in screen_lines(app)[1:] if "#" in line]  # type: ignore[arg-type]
    return [line[line.index("#") - 20:].split("#")[0].split("  ")[-1].strip() + " #"
            + line.split("#")[1][:3] for line in shown]


class _TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield EventTable(id="events")


async def test_filters_typed_during_and_after_a_streaming_load_are_exact() -> None:
    app = _TableApp()
    async with app.run_test(size=(110, 45)) as pilot:
        table = app.query_one(EventTable)
        table.extend(PAGES[0])
        await pilot.pause()
        assert table.index_pending == 12  # nothing built while the page came in

        # Typed mid-load, before the index is built: the rest is built then, all of it.
        table.cursor = 5
        at = table.current
        assert at is not None and "Lunch" in at.subject
        table.set_filter("sprint")
        await pilot.pause()
        assert table.index_pending == 0
        loaded = PAGES[0]
        assert _rows(app) == _matches(loaded, "sprint")
        assert "Lunch #005" in _matches(loaded, "sprint")  # Kim Sprinter attends it
        assert table.current == at  # the cursor kept its event

        # The next page, while the filter holds: its matching rows join, no others.
        table.extend(PAGES[1])
        await pilot.pause()
        loaded = PAGES[0] + PAGES[1]
        assert _rows(app) == _matches(loaded, "sprint")
        assert table.current == at

        # Typing on narrows, cleared shows every row, the cursor on its event all along.
        table.set_filter("sprinter")
        await pilot.pause()
        assert _rows(app) == _matches(loaded, "sprinter") != []
        assert table.current == at
        table.set_filter("")
        await pilot.pause()
        assert table.current == at

        # A page with no filter: its haystacks wait for the loop to be idle...
        table.extend(PAGES[2])
        assert table.index_pending == 12
        await wait_for(pilot, lambda: table.index_pending == 0)
        # ...and the filter then matches the whole window.
        every = PAGES[0] + PAGES[1] + PAGES[2]
        table.set_filter("SPRINT")
        await pilot.pause()
        assert _rows(app) == _matches(every, "sprint")
        table.set_filter("kim@")
        await pilot.pause()
        assert _rows(app) == _matches(every, "kim@") == [e.subject for e in every[::5]]
