"""cal365's Graph client cancels through each of the ten URL forms against the fake Graph."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import DEMO_TODAY
from tui.fake import FakeGraph
from tui.fake.seed import GROUP_ID, ME_ID, ME_UPN
from tui.graph import CalendarRef, Event, EventRef, GraphClient, Mailbox, NotFound

ME = Mailbox()
ME_BY_UPN = Mailbox("user", ME_UPN)
ME_BY_ID = Mailbox("user", ME_ID)
GROUP = Mailbox("group", GROUP_ID)


async def _organized(client: GraphClient, calendar: CalendarRef, skip: set[str]) -> Event:
    start = dt.datetime.combine(DEMO_TODAY, dt.time(), dt.UTC)
    async for page in client.calendar_view(calendar, start, start + dt.timedelta(days=28)):
        for event in page:
            if event.is_organizer and not event.is_cancelled and event.id not in skip:
                return event
    raise AssertionError(f"no organized event in {calendar.path}")


async def _calendars(client: GraphClient) -> tuple[str, str]:
    """The id of a calendar in a non-default group, and of that group."""
    for group in await client.calendar_groups(ME):
        for calendar in await client.calendars_in_group(ME, group.id):
            if calendar.can_edit and not calendar.is_default:
                return group.id, calendar.id
    raise AssertionError("no editable secondary calendar")


FORMS = [
    ("me/events", "/me/events/"),
    ("users/upn/events", f"/users/{ME_UPN}/events/"),
    ("groups/events", f"/groups/{GROUP_ID}/events/"),
    ("me/calendar", "/me/calendar/events/"),
    ("users/id/calendar", f"/users/{ME_ID}/calendar/events/"),
    ("groups/calendar", f"/groups/{GROUP_ID}/calendar/events/"),
    ("me/calendars", "/me/calendars/"),
    ("users/upn/calendars", f"/users/{ME_UPN}/calendars/"),
    ("me/calendarGroups", "/me/calendarGroups/"),
    ("users/id/calendarGroups", f"/users/{ME_ID}/calendarGroups/"),
]


@pytest.mark.parametrize(("form", "prefix"), FORMS, ids=[f for f, _ in FORMS])
async def test_cancel_through_each_form(fake_graph: FakeGraph, form: str, prefix: str) -> None:
    async with GraphClient(fake_graph.base_url, fake_graph.token, timezone="UTC") as client:
        group_id, calendar_id = await _calendars(client)
        mailbox = {"me": ME, "users/upn": ME_BY_UPN, "users/id": ME_BY_ID, "groups": GROUP}[
            form.rsplit("/", 1)[0]
        ]
        where = form.rsplit("/", 1)[1]
        if where == "events":
            found_in = CalendarRef(mailbox)
            calendar = None
        elif where == "calendar":
            found_in = calendar = CalendarRef(mailbox)
        elif where == "calendars":
            found_in = calendar = CalendarRef(mailbox, calendar_id)
        else:
            found_in = calendar = CalendarRef(mailbox, calendar_id, group_id)
        event = await _organized(client, found_in, set())
        ref = EventRef(event.id, mailbox, calendar)
        fake_graph.clear_requests()
        await client.cancel_event(ref, f"via {form}")
        (post,) = fake_graph.requests
        assert post.method == "POST" and post.status == 202
        assert post.path.startswith(f"/v1.0{prefix}") and post.path.endswith("/cancel")
        assert json.loads(post.body) == {"Comment": f"via {form}"}
        with pytest.raises(NotFound):
            await client.event(ref)
