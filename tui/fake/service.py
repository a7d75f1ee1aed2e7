"""Graph semantics: auth, lookups, collections, calendarView, cancel, error envelopes.

`Service.handle` is the single place a request is dispatched, the seam for recording,
fault injection and the like; it knows nothing about sockets.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote_plus

from . import delta, odata, render, routes
from .errors import GraphError, access_denied, not_found
from .model import Calendar, CalendarGroup, Event, Group, Mailbox
from .render import Json, View
from .store import Store
from .timezones import parse_window_value, resolve

MAX_WINDOW_DAYS = 1825
_BAD_JSON = (
    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload "
    "is of valid JSON format."
)
_NOT_ORGANIZER = "Your request can't be completed. You need to be an organizer to cancel a meeting."
_WWW_AUTH = (
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/'
    'authorize", client_id="00000003-0000-0000-c000-000000000000"'
)


@dataclass
class Request:
    method: str
    raw_path: str  # path only, exactly as on the wire
    raw_query: str  # query string exactly as on the wire ("" if none)
    query: list[tuple[str, str]]
    headers: dict[str, list[str]]  # lower-case names
    body: bytes
    origin: str  # scheme://host[:port] the client used, for absolute links

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[-1] if values else None


@dataclass
class Response:
    status: int
    payload: Json | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Set by fault injection only: a body sent as-is, and how the connection ends.
    raw: bytes | None = None
    content_type: str | None = None
    abort: Literal["reset", "truncate", "drip"] | None = None
    fault: str | None = None
    drip_seconds: float = 0.0  # abort "drip": the pause after each byte of the body


@dataclass
class _Scope:
    """What a plan resolved to."""

    mailbox: Mailbox
    owner_segment: str
    group: CalendarGroup | None = None
    calendar: Calendar | None = None
    event: Event | None = None


class Service:
    def __init__(self, store: Store, token: str) -> None:
        self.store = store
        self.token = token  # the demo's token: every permission
        self.delta_states = delta.DeltaStates()
        # Tokens a sign-in test issued, with the delegated permissions each carries: a
        # request they do not cover is refused as Graph refuses it.
        self.scoped_tokens: dict[str, frozenset[str]] = {}

    def handle(self, req: Request) -> Response:
        request_id = str(uuid.uuid4())
        client_id = req.header("client-request-id") or str(uuid.uuid4())
        try:
            granted = self._authenticate(req)
            with self.store.lock:
                response = self._dispatch(req, granted)
        except GraphError as error:
            response = Response(error.status, self._envelope(error, request_id, client_id),
                                dict(error.headers))
        response.headers["request-id"] = request_id
        response.headers["client-request-id"] = client_id
        return response

    def error(self, req: Request, error: GraphError) -> Response:
        """Graph's error envelope and headers for `error`, as `handle` would answer it."""
        request_id = str(uuid.uuid4())
        client_id = req.header("client-request-id") or str(uuid.uuid4())
        response = Response(error.status, self._envelope(error, request_id, client_id),
                            dict(error.headers))
        response.headers["request-id"] = request_id
        response.headers["client-request-id"] = client_id
        return response

    def authenticate(self, req: Request) -> None:
        """Raise the 401 Graph would give for this request's credentials, if any."""
        self._authenticate(req)

    @staticmethod
    def _envelope(error: GraphError, request_id: str, client_id: str) -> Json:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return {"error": {"code": error.code, "message": error.message,
                          "innerError": {"date": now, "request-id": request_id,
                                         "client-request-id": client_id}}}

    def _authenticate(self, req: Request) -> frozenset[str] | None:
        """The token's permissions (None: all of them), or the 401 Graph would give."""
        value = (req.header("authorization") or "").strip()
        scheme, _, credential = value.partition(" ")
        credential = credential.strip()
        headers = {"WWW-Authenticate": _WWW_AUTH}
        if scheme.lower() != "bearer" or not credential:
            raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.", headers)
        if credential in self.scoped_tokens:
            return self.scoped_tokens[credential]
        if credential != self.token:
            message = (
                "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be"
                " in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPay"
                "load.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey."
                "EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'."
                if "." not in credential else "Access token validation failure. Invalid audience."
            )
            raise GraphError(401, "InvalidAuthenticationToken", message, headers)
        return None

    def _authorize(self, plan: routes.Plan, method: str, granted: frozenset[str]) -> None:
        """Refuse with Graph's 403 when the token lacks every permission that would do
        (the least privileged ones of Graph's tables, and those above them)."""
        write = method not in ("GET", "HEAD")
        own = plan.owner == "me" or (
            plan.owner == "user" and self.store.user(plan.owner_key) is self.store.me_user)
        if plan.kind in ("owner", "memberOf") and plan.owner != "group":
            if own:
                enough = {"User.Read", "User.ReadWrite", "User.Read.All", "Directory.Read.All"}
            else:
                enough = {"User.ReadBasic.All", "User.Read.All", "Directory.Read.All"}
            if not granted & enough:
                raise GraphError(403, "Authorization_RequestDenied",
                                 "Insufficient privileges to complete the operation.")
            return
        if plan.owner == "group":
            enough = {"Group.ReadWrite.All"} if write else {"Group.Read.All",
                                                             "Group.ReadWrite.All"}
        elif own:
            enough = {"Calendars.ReadWrite"} if write else {"Calendars.Read",
                                                            "Calendars.ReadWrite"}
        else:
            enough = {"Calendars.ReadWrite.Shared"} if write else {
                "Calendars.Read.Shared", "Calendars.ReadWrite.Shared"}
        if not granted & enough:
            raise access_denied()

    # ---- routing --------------------------------------------------------------------------

    def _dispatch(self, req: Request, granted: frozenset[str] | None = None) -> Response:
        plan = routes.parse(routes.split_segments(req.raw_path))
        if granted is not None:
            self._authorize(plan, req.method, granted)
        allowed = ("POST",) if plan.is_action else ("GET", "DELETE") if plan.kind == "event" \
            else ("GET",)
        method = "GET" if req.method == "HEAD" else req.method
        if method not in allowed:
            raise GraphError(405, "BadRequest",
                             "Specified HTTP method is not allowed for the request target.",
                             {"Allow": ", ".join(allowed)})
        query = odata.Query.parse(req.query)
        for option in (() if plan.kind == "delta" else ("filter", "search")):
            # Answering without applying them would return silently wrong data.
            if query.get(option) is not None:
                raise GraphError(501, "NotImplemented",
                                 f"The fake Graph service does not implement ${option}.")
        prefer = odata.parse_prefer(req.headers.get("prefer", []))
        scope = self._resolve(plan)
        if method == "DELETE":
            return self._delete(scope)
        handler = getattr(self, f"_do_{plan.kind}")
        result: Response = handler(req, plan, scope, query, prefer)
        return result

    def _resolve(self, plan: routes.Plan) -> _Scope:
        store = self.store
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
            scope = _Scope(group_box, f"groups({routes._quoted(group.id)})")
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
            scope = _Scope(box or store.mailboxes[store.me_id], f"users({routes._quoted(user.id)})")
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
            if ev is None or ev.calendar.target not in self._targets(scope):
                raise not_found()
            scope.event = ev
        return scope

    @staticmethod
    def _targets(scope: _Scope) -> list[Calendar]:
        if scope.calendar is not None:
            return [scope.calendar.target]
        return scope.mailbox.own_calendars()

    # ---- shared helpers -------------------------------------------------------------------

    @staticmethod
    def _context(req: Request, scope: _Scope, plan: routes.Plan, chosen: list[str] | None,
                 entity: bool) -> str:
        nav = "/".join(plan.nav)
        if chosen is not None:
            nav += "(" + ",".join(chosen) + ")"
        if entity:
            nav += "/$entity"
        return f"{req.origin}/v1.0/$metadata#{scope.owner_segment}/{nav}"

    @staticmethod
    def _view(prefer: odata.Prefer, applied: list[str]) -> View:
        tz_name, tz = "UTC", resolve("UTC")
        if prefer.timezone is not None:
            zone = resolve(prefer.timezone)
            if zone is not None:
                tz_name, tz = prefer.timezone, zone
                applied.append(f'outlook.timezone="{prefer.timezone}"')
        body_type = prefer.body_type or "html"
        if prefer.body_type is not None:
            applied.append(f'outlook.body-content-type="{prefer.body_type}"')
        assert tz is not None
        return View(tz_name, tz, body_type)

    def _collection(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
                    prefer: odata.Prefer, items: Sequence[Any], to_json: Callable[[Any], Json],
                    canonical: list[str], type_name: str, applied: list[str],
                    navigation: tuple[str, ...] = ()) -> Response:
        chosen = odata.select(query, canonical, type_name, navigation)
        if query.get("orderby"):
            rendered = odata.order([to_json(item) for item in items], query, canonical,
                                   type_name)
            page = odata.paginate(rendered, query, prefer)
        else:  # render only the page: collections are rendered per request
            page = odata.paginate(list(items), query, prefer)
            page.items = [to_json(item) for item in page.items]
        payload: Json = {"@odata.context": self._context(req, scope, plan, chosen, False)}
        if (query.get("count") or "").lower() == "true":
            payload["@odata.count"] = len(items)
        payload["value"] = [odata.project(item, chosen) for item in page.items]
        if page.next_skip is not None:
            payload["@odata.nextLink"] = odata.next_link(req.origin, req.raw_path,
                                                         req.raw_query, page.next_skip)
        if page.size_applied is not None:
            applied.insert(0, f"odata.maxpagesize={page.size_applied}")
        return self._ok(payload, applied)

    def _entity(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
                item: Json, canonical: list[str], type_name: str, applied: list[str],
                navigation: tuple[str, ...] = ()) -> Response:
        chosen = odata.select(query, canonical, type_name, navigation)
        payload: Json = {"@odata.context": self._context(req, scope, plan, chosen, True)}
        payload.update(odata.project(item, chosen))
        return self._ok(payload, applied)

    @staticmethod
    def _ok(payload: Json, applied: list[str]) -> Response:
        headers = {"Preference-Applied": ", ".join(applied)} if applied else {}
        return Response(200, payload, headers)

    @staticmethod
    def _window(query: odata.Query) -> tuple[dt.datetime, dt.datetime]:
        raw_start = query.get("startdatetime")
        raw_end = query.get("enddatetime")
        if not raw_start or not raw_end:
            raise GraphError(400, "ErrorInvalidParameter",
                             "This request requires a time window specified by the query string"
                             " parameters StartDateTime and EndDateTime.")
        start = parse_window_value(raw_start)
        if start is None:
            raise GraphError(400, "ErrorInvalidParameter",
                             f"The value '{raw_start}' of parameter 'StartDateTime' is invalid.")
        end = parse_window_value(raw_end)
        if end is None:
            raise GraphError(400, "ErrorInvalidParameter",
                             f"The value '{raw_end}' of parameter 'EndDateTime' is invalid.")
        if end - start > dt.timedelta(days=MAX_WINDOW_DAYS):
            raise GraphError(400, "ErrorInvalidRequest",
                             "Your request can't be completed. The range between the start and"
                             " end dates is greater than the allowed range. Maximum number of"
                             f" days: {MAX_WINDOW_DAYS}")
        return start, end

    # ---- handlers (one per route kind) ----------------------------------------------------

    def _do_owner(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
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
        return self._ok(payload, [])

    def _do_memberOf(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
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
        return self._ok(payload, [])

    def _do_calendarGroups(self, req: Request, plan: routes.Plan, scope: _Scope,
                           query: odata.Query, prefer: odata.Prefer) -> Response:
        return self._collection(req, plan, scope, query, prefer, scope.mailbox.calendar_groups,
                                render.calendar_group_json, render.CALENDAR_GROUP_PROPERTIES,
                                "calendarGroup", [], ("calendars",))

    def _do_calendarGroup(self, req: Request, plan: routes.Plan, scope: _Scope,
                          query: odata.Query, prefer: odata.Prefer) -> Response:
        assert scope.group is not None
        return self._entity(req, plan, scope, query, render.calendar_group_json(scope.group),
                            render.CALENDAR_GROUP_PROPERTIES, "calendarGroup", [],
                            ("calendars",))

    def _do_calendars(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
                      prefer: odata.Prefer) -> Response:
        box = scope.mailbox
        cals = ([box.calendars[c] for c in scope.group.calendar_ids]
                if scope.group is not None else list(box.calendars.values()))
        return self._collection(req, plan, scope, query, prefer, cals, render.calendar_json,
                                render.CALENDAR_PROPERTIES, "calendar", [], _CALENDAR_NAV)

    def _do_calendar(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
                     prefer: odata.Prefer) -> Response:
        assert scope.calendar is not None
        return self._entity(req, plan, scope, query, render.calendar_json(scope.calendar),
                            render.CALENDAR_PROPERTIES, "calendar", [], _CALENDAR_NAV)

    def _do_events(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
                   prefer: odata.Prefer) -> Response:
        applied: list[str] = []
        view = self._view(prefer, applied)
        events = self.store.unexpanded(self._targets(scope))
        return self._collection(req, plan, scope, query, prefer, events,
                                lambda ev: render.event_json(ev, view),
                                render.EVENT_PROPERTIES, "event", applied, render.EVENT_NAVIGATION)

    def _do_calendarView(self, req: Request, plan: routes.Plan, scope: _Scope,
                         query: odata.Query, prefer: odata.Prefer) -> Response:
        start, end = self._window(query)
        applied: list[str] = []
        view = self._view(prefer, applied)
        # Without a calendar in the path, calendarView reads the default calendar.
        calendars = ([scope.calendar] if scope.calendar is not None
                     else [scope.mailbox.default_calendar])
        events = self.store.expanded(calendars, start, end, view.tz)
        return self._collection(req, plan, scope, query, prefer, events,
                                lambda ev: render.event_json(ev, view),
                                render.EVENT_PROPERTIES, "event", applied, render.EVENT_NAVIGATION)

    def _do_delta(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
                  prefer: odata.Prefer) -> Response:
        applied: list[str] = []
        view = self._view(prefer, applied)
        # Like calendarView, the mailbox-level form tracks the default calendar.
        calendar = scope.calendar if scope.calendar is not None \
            else scope.mailbox.default_calendar
        page = delta.answer(self.store, self.delta_states, calendar, query, prefer, view,
                            self._window)
        payload: Json = {"@odata.context": f"{req.origin}/v1.0/$metadata#Collection(event)",
                         "value": page.items}
        if page.next_token is not None:
            payload["@odata.nextLink"] = f"{req.origin}{req.raw_path}?$skiptoken={page.next_token}"
        if page.delta_token is not None:
            payload["@odata.deltaLink"] = (f"{req.origin}{req.raw_path}"
                                           f"?$deltatoken={page.delta_token}")
        if page.size_applied is not None:
            applied.insert(0, f"odata.maxpagesize={page.size_applied}")
        return self._ok(payload, applied)

    def _do_instances(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
                      prefer: odata.Prefer) -> Response:
        start, end = self._window(query)
        applied: list[str] = []
        view = self._view(prefer, applied)
        master = scope.event
        assert master is not None
        events = self.store.instances(master, start, end) if master.recurrence else []
        return self._collection(req, plan, scope, query, prefer, events,
                                lambda ev: render.event_json(ev, view),
                                render.EVENT_PROPERTIES, "event", applied, render.EVENT_NAVIGATION)

    def _do_event(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
                  prefer: odata.Prefer) -> Response:
        applied: list[str] = []
        view = self._view(prefer, applied)
        assert scope.event is not None
        plan.nav[-1] = "events"
        return self._entity(req, plan, scope, query, render.event_json(scope.event, view),
                            render.EVENT_PROPERTIES, "event", applied, render.EVENT_NAVIGATION)

    def _do_cancel(self, req: Request, plan: routes.Plan, scope: _Scope, query: odata.Query,
                   prefer: odata.Prefer) -> Response:
        ev = scope.event
        assert ev is not None
        comment = _cancel_comment(req.body)
        calendar = ev.calendar.target
        writable = (scope.mailbox.access == "full" and calendar.can_edit
                    and (scope.calendar is None or scope.calendar.can_edit))
        if not writable:
            raise access_denied()
        if not ev.organizer.same(calendar.owner):
            raise GraphError(400, "ErrorInvalidRequest", _NOT_ORGANIZER)
        self.store.cancel(ev, comment)
        return Response(202)


    def _delete(self, scope: _Scope) -> Response:
        """DELETE an event: to Deleted Items; an organizer's delete notifies without comment."""
        ev = scope.event
        assert ev is not None
        calendar = ev.calendar.target
        if not (scope.mailbox.access == "full" and calendar.can_edit
                and (scope.calendar is None or scope.calendar.can_edit)):
            raise access_denied()
        self.store.delete(ev)
        return Response(204)


_DIRECTORY_PAGE = 100
_DIRECTORY_MAX_PAGE = 999


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


_CALENDAR_NAV = ("calendarPermissions", "calendarView", "events",
                 "multiValueExtendedProperties", "singleValueExtendedProperties")


def _cancel_comment(body: bytes) -> str | None:
    """The optional Comment parameter; an empty body, `{}` and null all mean "no comment"."""
    if not body.strip():
        return None
    try:
        data: Any = json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise GraphError(400, "BadRequest", _BAD_JSON) from None
    if not isinstance(data, dict):
        raise GraphError(400, "BadRequest", _BAD_JSON)
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
