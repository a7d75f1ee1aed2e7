"""Events for the action layer's tests, made in code (no fake service needed)."""

from __future__ import annotations

import datetime as dt

from tui.graph.models import Event, Person
from tui.graph.urls import ME, EventRef

START = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


def event(event_id: str, *, organizer: bool = True, cancelled: bool = False,
          response: str = "none", subject: str = "", master: str | None = None) -> Event:
    return Event(
        ref=EventRef(event_id, ME), subject=subject or event_id, start=START, end=START,
        is_all_day=False, is_organizer=organizer, is_cancelled=cancelled,
        type="occurrence" if master else "singleInstance", series_master_id=master,
        organizer=Person("", ""), attendees=(), my_response=response, location="",
        online_meeting_url="", body_preview="", web_link="", show_as="busy",
    )
