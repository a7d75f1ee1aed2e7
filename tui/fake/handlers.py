"""The answer to each kind of route, as Graph gives it: the owner, its groups and roles, the
calendar groups, the calendars, the events, calendarView, delta, a series' instances, one
event, a cancel and a delete. `Service` has checked the token and resolved the path first."""

from __future__ import annotations

import base64
import json
from urllib.parse import unquote_plus

from . import answers, delta, odata, render, replies, routes
from .errors import GraphError, access_denied
from .exchange import Request, Response
from .model import Group
from .render import Json
from .scopes import Scope, targets
from .store import Store

_NOT_ORGANIZER = "Your request can't be completed. You need to be an organizer to cancel a meeting."
_DIRECTORY_PAGE = 100
_DIRECTORY_MAX_PAGE = 999
_CALENDAR_NAV = ("calendarPermissions", "calendarView", "events",
                 "multiValueExtendedProperties", "singleValueExtendedProperties")


class Handlers:
    """One method per route kind (`do_<kind>`, named by `routes.Plan.kind`), and `delete`."""

    def __init__(self, store: Store, delta_states: delta.DeltaStates) -> None:
        self.store = store
        self.delta_states = delta_states

    def do_owner(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                 prefer: odata.Prefer) -> Response:
        if plan.owner == "group":
            group = self.store.group(plan.owner_key)
            assert group is not None
            item = render.group_json(group)
            canonical = [k for k in item if k != "id"]
            context = f"{req.origin}/v1.0/$metadata#groups/$entity"
            chosen = odata.select(query, canonical, "group")
        else:
            user = self.store.me_user if plan.owner == "me" else self.store.user(plan.owner_key)
            assert user is not None
            item = render.user_json(user)
            canonical = render.USER_PROPERTIES
            context = f"{req.origin}/v1.0/$metadata#users/$entity"
            chosen = odata.select(query, canonical, "user")
        payload: Json = {"@odata.context": context}
        payload.update(odata.project(item, chosen))
        return answers.ok(payload, [])

    def do_memberOf(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                    prefer: odata.Prefer) -> Response:
        """Groups and directory roles the user is a direct member of, as directory objects.

        Like Graph: each item carries its @odata.type, $select may name any directory
        object type's property (absent ones are left out per item), pages hold 100 by
        default and at most 999, and further pages come through an opaque $skiptoken.
        """
        user = self.store.me_user if plan.owner == "me" else self.store.user(plan.owner_key)
        assert user is not None
        items: list[Json] = []
        for found in self.store.memberships(user.id):
            is_group = isinstance(found, Group)
            kind = "group" if is_group else "directoryRole"
            if plan.cast is not None and plan.cast != kind:
                continue
            item: Json = {} if plan.cast else {"@odata.type": f"#microsoft.graph.{kind}"}
            item.update(render.group_json(found) if isinstance(found, Group)
                        else render.directory_role_json(found))
            items.append(item)
        chosen = odata.select(query, render.DIRECTORY_OBJECT_PROPERTIES,
                              plan.cast or "directoryObject")
        top = query.int_option("top", 1)
        if top is not None and top > _DIRECTORY_MAX_PAGE:
            raise GraphError(400, "Request_BadRequest", f"Invalid page size specified: '{top}'."
                             f" Must be between 1 and {_DIRECTORY_MAX_PAGE} inclusive.")
        size = top or _DIRECTORY_PAGE
        offset = _skiptoken_offset(query.get("skiptoken"))
        entity_set = "groups" if plan.cast == "group" else "directoryObjects"
        if plan.cast not in (None, "group"):
            entity_set = f"{plan.cast}s"
        selected = "(" + ",".join(chosen) + ")" if chosen else ""
        payload: Json = {"@odata.context": f"{req.origin}/v1.0/$metadata#{entity_set}{selected}"}
        payload["value"] = [odata.project(item, chosen) for item in items[offset:offset + size]]
        if offset + size < len(items):
            kept = [part for part in req.raw_query.split("&") if part and
                    unquote_plus(part.split("=", 1)[0]).lower().lstrip("$") != "skiptoken"]
            kept.append(f"$skiptoken={_skiptoken(offset + size)}")
            payload["@odata.nextLink"] = f"{req.origin}{req.raw_path}?{'&'.join(kept)}"
        return answers.ok(payload, [])

    def do_calendarGroups(self, req: Request, plan: routes.Plan, scope: Scope,
                          query: odata.Query, prefer: odata.Prefer) -> Response:
        return answers.collection(req, plan, scope, query, prefer,
                                  scope.mailbox.calendar_groups, render.calendar_group_json,
                                  render.CALENDAR_GROUP_PROPERTIES, "calendarGroup", [],
                                  ("calendars",))

    def do_calendarGroup(self, req: Request, plan: routes.Plan, scope: Scope,
                         query: odata.Query, prefer: odata.Prefer) -> Response:
        assert scope.group is not None
        return answers.entity(req, plan, scope, query, render.calendar_group_json(scope.group),
                              render.CALENDAR_GROUP_PROPERTIES, "calendarGroup", [],
                              ("calendars",))

    def do_calendars(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                     prefer: odata.Prefer) -> Response:
        box = scope.mailbox
        cals = ([box.calendars[c] for c in scope.group.calendar_ids]
                if scope.group is not None else list(box.calendars.values()))
        return answers.collection(req, plan, scope, query, prefer, cals, render.calendar_json,
                                  render.CALENDAR_PROPERTIES, "calendar", [], _CALENDAR_NAV)

    def do_calendar(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                    prefer: odata.Prefer) -> Response:
        assert scope.calendar is not None
        return answers.entity(req, plan, scope, query, render.calendar_json(scope.calendar),
                              render.CALENDAR_PROPERTIES, "calendar", [], _CALENDAR_NAV)

    def do_events(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                  prefer: odata.Prefer) -> Response:
        applied: list[str] = []
        view = answers.view(prefer, applied)
        events = self.store.unexpanded(targets(scope))
        return answers.collection(req, plan, scope, query, prefer, events,
                                  lambda ev: render.event_json(ev, view),
                                  render.EVENT_PROPERTIES, "event", applied,
                                  render.EVENT_NAVIGATION)

    def do_calendarView(self, req: Request, plan: routes.Plan, scope: Scope,
                        query: odata.Query, prefer: odata.Prefer) -> Response:
        start, end = answers.window(query)
        applied: list[str] = []
        view = answers.view(prefer, applied)
        # Without a calendar in the path, calendarView reads the default calendar.
        calendars = ([scope.calendar] if scope.calendar is not None
                     else [scope.mailbox.default_calendar])
        events = self.store.expanded(calendars, start, end, view.tz)
        return answers.collection(req, plan, scope, query, prefer, events,
                                  lambda ev: render.event_json(ev, view),
                                  render.EVENT_PROPERTIES, "event", applied,
                                  render.EVENT_NAVIGATION)

    def do_delta(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                 prefer: odata.Prefer) -> Response:
        applied: list[str] = []
        view = answers.view(prefer, applied)
        # Like calendarView, the mailbox-level form tracks the default calendar.
        calendar = scope.calendar if scope.calendar is not None \
            else scope.mailbox.default_calendar
        page = delta.answer(self.store, self.delta_states, calendar, query, prefer, view,
                            answers.window)
        payload: Json = {"@odata.context": f"{req.origin}/v1.0/$metadata#Collection(event)",
                         "value": page.items}
        if page.next_token is not None:
            payload["@odata.nextLink"] = f"{req.origin}{req.raw_path}?$skiptoken={page.next_token}"
        if page.delta_token is not None:
            payload["@odata.deltaLink"] = (f"{req.origin}{req.raw_path}"
                                           f"?$deltatoken={page.delta_token}")
        if page.size_applied is not None:
            applied.insert(0, f"odata.maxpagesize={page.size_applied}")
        return answers.ok(payload, applied)

    def do_instances(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                     prefer: odata.Prefer) -> Response:
        start, end = answers.window(query)
        applied: list[str] = []
        view = answers.view(prefer, applied)
        master = scope.event
        assert master is not None
        events = self.store.instances(master, start, end) if master.recurrence else []
        return answers.collection(req, plan, scope, query, prefer, events,
                                  lambda ev: render.event_json(ev, view),
                                  render.EVENT_PROPERTIES, "event", applied,
                                  render.EVENT_NAVIGATION)

    def do_event(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                 prefer: odata.Prefer) -> Response:
        applied: list[str] = []
        view = answers.view(prefer, applied)
        assert scope.event is not None
        plan.nav[-1] = "events"
        return answers.entity(req, plan, scope, query, render.event_json(scope.event, view),
                              render.EVENT_PROPERTIES, "event", applied,
                              render.EVENT_NAVIGATION)

    def do_cancel(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                  prefer: odata.Prefer) -> Response:
        ev = scope.event
        assert ev is not None
        comment = cancel_comment(req.body)
        _check_writable(scope)
        if not ev.organizer.same(ev.calendar.target.owner):
            raise GraphError(400, "ErrorInvalidRequest", _NOT_ORGANIZER)
        self.store.cancel(ev, comment)
        return Response(202)

    def do_reply(self, req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
                 prefer: odata.Prefer) -> Response:
        """accept / tentativelyAccept / decline: 202 with no body (tui/fake/replies.py)."""
        ev = scope.event
        assert ev is not None
        body = replies.parse_body(req.body, plan.action)
        _check_writable(scope)
        replies.check(ev, body)
        replies.apply(self.store, ev, plan.action, body)
        return Response(202)

    def delete(self, scope: Scope) -> Response:
        """DELETE an event: to Deleted Items; an organizer's delete notifies without comment,
        an attendee's declines first (tui/fake/replies.py)."""
        ev = scope.event
        assert ev is not None
        _check_writable(scope)
        replies.delete(self.store, ev)
        return Response(204)


def _check_writable(scope: Scope) -> None:
    """403 unless the caller may change the event's calendar through this path."""
    assert scope.event is not None
    calendar = scope.event.calendar.target
    if not (scope.mailbox.access == "full" and calendar.can_edit
            and (scope.calendar is None or scope.calendar.can_edit)):
        raise access_denied()


def _skiptoken(offset: int) -> str:
    """An opaque continuation token, as Graph's directory paging hands out."""
    return base64.urlsafe_b64encode(f"RFNwdAI{offset:08d}".encode()).decode().rstrip("=")


def _skiptoken_offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if raw.startswith("RFNwdAI"):
            return int(raw[7:])
    except (ValueError, UnicodeDecodeError):
        pass
    raise GraphError(400, "Request_BadRequest", "Invalid skip token.")


def cancel_comment(body: bytes) -> str | None:
    """The optional Comment parameter; an empty body, `{}` and null all mean "no comment"."""
    data = replies.json_object(body)
    if data is None:
        return None
    comment: str | None = None
    for key, value in data.items():
        if key.startswith("@"):  # OData annotations ride along harmlessly
            continue
        if key.lower() != "comment":
            raise GraphError(400, "RequestBodyRead",
                             f"The parameter '{key}' in the request payload is not a valid "
                             "parameter for the operation 'cancel'.")
        if value is not None and not isinstance(value, str):
            raise GraphError(400, "RequestBodyRead",
                             f"Cannot convert the literal '{json.dumps(value)}' to the expected "
                             "type 'Edm.String'.")
        comment = value
    return comment
