"""What a request's path names: the mailbox, calendar group, calendar and event a route plan
resolves to, or the 404 or 403 Graph gives when one of them is not there to the caller."""

from __future__ import annotations

from dataclasses import dataclass

from . import routes
from .errors import GraphError, access_denied, not_found
from .model import Calendar, CalendarGroup, Event, Mailbox
from .store import Store


@dataclass
class Scope:
    """What a plan resolved to."""

    mailbox: Mailbox
    owner_segment: str
    group: CalendarGroup | None = None
    calendar: Calendar | None = None
    event: Event | None = None


def resolve(store: Store, plan: routes.Plan) -> Scope:
    if plan.owner == "group":
        group = store.group(plan.owner_key)
        if group is None:
            raise not_found()
        group_box = store.mailboxes.get(group.id)
        if group_box is None:
            if plan.kind != "owner":
                # A security group has no mailbox, so no calendar.
                raise GraphError(404, "ResourceNotFound", "Resource could not be discovered.")
            group_box = store.mailboxes[store.me_id]  # /groups/{id} alone reads no mailbox
        scope = Scope(group_box, f"groups({routes._quoted(group.id)})")
    else:
        user = store.me_user if plan.owner == "me" else store.user(plan.owner_key)
        if user is None:
            raise GraphError(404, "ErrorInvalidUser",
                             f"The requested user '{plan.owner_key}' is invalid.")
        box = store.mailboxes.get(user.id)
        if plan.kind not in ("owner", "memberOf"):
            if box is None:  # a colleague who shared nothing with the signed-in user
                raise access_denied()
            if box.access == "nomailbox":
                raise GraphError(404, "MailboxNotEnabledForRESTAPI",
                                 "The mailbox is either inactive, soft-deleted, or is hosted"
                                 " on-premise.")
        scope = Scope(box or store.mailboxes[store.me_id], f"users({routes._quoted(user.id)})")
    box = scope.mailbox
    if plan.calendar_group is not None:
        groups = box.calendar_groups
        found = groups[0] if plan.calendar_group == "" and groups else next(
            (g for g in groups if g.id == plan.calendar_group), None)
        if found is None:
            raise not_found()
        scope.group = found
    if plan.calendar is not None:
        if plan.calendar == "":
            scope.calendar = box.default_calendar
        else:
            scope.calendar = box.calendars.get(plan.calendar)
            in_group = scope.group is None or plan.calendar in scope.group.calendar_ids
            if scope.calendar is None or not in_group:
                raise not_found()
    if plan.event is not None:
        ev = store.lookup_event(plan.event)
        if ev is None or ev.calendar.target not in targets(scope):
            raise not_found()
        scope.event = ev
    return scope


def targets(scope: Scope) -> list[Calendar]:
    """The calendars a scope reads: its calendar, or every calendar of its mailbox."""
    if scope.calendar is not None:
        return [scope.calendar.target]
    return scope.mailbox.own_calendars()
