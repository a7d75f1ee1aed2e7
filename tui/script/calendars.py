"""`cal365 calendars`: calendar groups and the calendars in each, with their ids."""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from typing import Any

from tui.actions.audit import mailbox_label
from tui.graph.errors import GraphError
from tui.graph.models import Calendar, CalendarGroup
from tui.graph.urls import CalendarRef, Mailbox
from tui.script.common import (
    ScriptError,
    Session,
    emit_json,
    emit_line,
    guard,
    mailbox_from,
    with_graph,
)
from tui.script.exits import Exit
from tui.words import printable

_CONCURRENCY = 4


@dataclass(frozen=True, slots=True)
class Listed:
    group: CalendarGroup | None  # None: a group mailbox, or a mailbox shared as one calendar
    calendar: Calendar


async def list_calendars(session: Session, mailbox: Mailbox) -> list[Listed]:
    client = session.client
    if mailbox.kind == "group":
        # A Microsoft 365 group has exactly one calendar, reached as /groups/{id}/calendar.
        return [Listed(None, await client.calendar(CalendarRef(mailbox)))]
    try:
        groups = await client.calendar_groups(mailbox)
    except GraphError as error:
        # A delegate who was given only another person's calendar folder may not list their
        # calendar groups; their default calendar is still reachable.
        if mailbox.kind != "user" or error.status != 403:
            raise
        return [Listed(None, await client.calendar(CalendarRef(mailbox)))]
    limit = asyncio.Semaphore(_CONCURRENCY)

    async def calendars_of(group: CalendarGroup) -> list[Listed]:
        async with limit:
            found = await client.calendars_in_group(mailbox, group.id)
        return [Listed(group, calendar) for calendar in found]

    results = await asyncio.gather(*(calendars_of(group) for group in groups))
    return [item for chunk in results for item in chunk]


def calendar_json(item: Listed) -> dict[str, Any]:
    calendar = item.calendar
    return {
        "id": calendar.id,
        "name": calendar.name,
        "calendarGroup": (
            {"id": item.group.id, "name": item.group.name} if item.group is not None else None
        ),
        "owner": {"name": calendar.owner_name, "address": calendar.owner_address},
        "canEdit": calendar.can_edit,
        "isDefaultCalendar": calendar.is_default,
    }


def _flags(calendar: Calendar) -> str:
    flags = [name for name, on in (("default", calendar.is_default),
                                   ("read-only", not calendar.can_edit)) if on]
    return ",".join(flags) or "-"


async def _print_groups(session: Session, as_json: bool) -> int:
    groups = await session.client.member_groups()
    if as_json:
        emit_json({"groups": [{"id": g.id, "displayName": g.display_name, "mail": g.mail}
                              for g in groups]})
    else:
        for group in groups:
            emit_line(printable(group.display_name, 200), printable(group.mail or "-", 200),
                      printable(group.id))
    return 0


def run(args: argparse.Namespace) -> int:
    def command() -> int:
        if getattr(args, "groups", False):
            if args.user is not None or args.group is not None:
                raise ScriptError(Exit.USAGE, "--groups lists your own groups: leave out "
                                              "--user and --group")
            return with_graph(args, lambda session: _print_groups(session, args.json))
        mailbox = mailbox_from(args)

        async def body(session: Session) -> int:
            listed = await list_calendars(session, mailbox)
            if args.json:
                emit_json({"mailbox": mailbox_label(mailbox),
                           "calendars": [calendar_json(item) for item in listed]})
            else:
                for item in listed:
                    calendar = item.calendar
                    emit_line(
                        printable(item.group.name if item.group else "-", 200),
                        printable(calendar.name, 200),
                        printable(calendar.owner_address or calendar.owner_name or "-", 200),
                        _flags(calendar),
                        printable(calendar.id),
                    )
            return 0

        return with_graph(args, body)

    return guard(command)

