"""Who is signed in, their Microsoft 365 groups, and the calendars and calendar groups of a
mailbox."""

from __future__ import annotations

from tui.graph import urls
from tui.graph.models import Calendar, CalendarGroup, Group, User
from tui.graph.paging import has_id
from tui.graph.transport import Transport
from tui.graph.urls import CalendarRef, Mailbox


async def me(transport: Transport) -> User:
    return User.from_json(await transport.get_json(urls.me_url()))


async def member_groups(transport: Transport) -> list[Group]:
    """The Microsoft 365 groups the signed-in user is a direct member of.

    `/me/memberOf` also lists directory roles, administrative units and security or
    distribution groups; only "Unified" groups have a calendar, so the rest is skipped
    here. The `/microsoft.graph.group` cast would still list non-Unified groups and is
    an advanced query (ConsistencyLevel: eventual, an index that may lag), so the plain
    list is asked for. It needs only User.Read.
    """
    items = await transport.all_items(urls.member_of_url())
    return [g for g in (Group.from_json(obj) for obj in items) if g is not None]


async def calendar_groups(transport: Transport, mailbox: Mailbox) -> list[CalendarGroup]:
    items = await transport.all_items(urls.calendar_groups_url(mailbox))
    return [CalendarGroup.from_json(obj) for obj in items if has_id(obj)]


async def calendars_in_group(
    transport: Transport, mailbox: Mailbox, calendar_group_id: str
) -> list[Calendar]:
    items = await transport.all_items(urls.group_calendars_url(mailbox, calendar_group_id))
    return [Calendar.from_json(obj) for obj in items if has_id(obj)]


async def calendars(transport: Transport, mailbox: Mailbox) -> list[Calendar]:
    items = await transport.all_items(urls.calendars_url(mailbox))
    return [Calendar.from_json(obj) for obj in items if has_id(obj)]


async def calendar(transport: Transport, ref: CalendarRef) -> Calendar:
    return Calendar.from_json(await transport.get_json(ref.path))
