"""How the fake words an answer the way Graph does: the OData context, a collection's page
(with $select, $orderby, $count and the next link), one entity, the time zone and body type
a Prefer header asks for, and the time window calendarView and instances require."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from . import odata, routes
from .errors import GraphError
from .exchange import Request, Response
from .render import Json, View
from .scopes import Scope
from .timezones import parse_window_value, resolve

MAX_WINDOW_DAYS = 1825


def context(req: Request, scope: Scope, plan: routes.Plan, chosen: list[str] | None,
            entity: bool) -> str:
    nav = "/".join(plan.nav)
    if chosen is not None:
        nav += "(" + ",".join(chosen) + ")"
    if entity:
        nav += "/$entity"
    return f"{req.origin}/v1.0/$metadata#{scope.owner_segment}/{nav}"


def view(prefer: odata.Prefer, applied: list[str]) -> View:
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


def collection(req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
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
    payload: Json = {"@odata.context": context(req, scope, plan, chosen, False)}
    if (query.get("count") or "").lower() == "true":
        payload["@odata.count"] = len(items)
    payload["value"] = [odata.project(item, chosen) for item in page.items]
    if page.next_skip is not None:
        payload["@odata.nextLink"] = odata.next_link(req.origin, req.raw_path,
                                                     req.raw_query, page.next_skip)
    if page.size_applied is not None:
        applied.insert(0, f"odata.maxpagesize={page.size_applied}")
    return ok(payload, applied)


def entity(req: Request, plan: routes.Plan, scope: Scope, query: odata.Query,
           item: Json, canonical: list[str], type_name: str, applied: list[str],
           navigation: tuple[str, ...] = ()) -> Response:
    chosen = odata.select(query, canonical, type_name, navigation)
    payload: Json = {"@odata.context": context(req, scope, plan, chosen, True)}
    payload.update(odata.project(item, chosen))
    return ok(payload, applied)


def ok(payload: Json, applied: list[str]) -> Response:
    headers = {"Preference-Applied": ", ".join(applied)} if applied else {}
    return Response(200, payload, headers)


def window(query: odata.Query) -> tuple[dt.datetime, dt.datetime]:
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
