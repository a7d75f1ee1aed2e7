"""URL -> route plan, decoding the path the way Graph does.

Graph percent-decodes the raw path once, splits it on `/`, then decodes each segment again.
So `%2F` inside an id splits it (400 for the stray segment), `%252F` reaches the id as `/`,
and `+` stays a literal `+`. OData key syntax (`events('id')`) is accepted too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import unquote

from .errors import GraphError, segment_not_found

Kind = Literal[
    "owner", "calendarGroups", "calendarGroup", "calendars", "calendar", "events", "event",
    "calendarView", "instances", "cancel", "reply", "delta", "memberOf",
]
# The reply actions, by their lower-cased segment: accept, tentativelyAccept, decline.
REPLIES = {"accept": "accept", "tentativelyaccept": "tentativelyAccept", "decline": "decline"}
_KEY_SYNTAX = re.compile(r"^([A-Za-z][\w.]*)\('(.*)'\)$", re.DOTALL)
_PARSE_URI = "RequestBroker--ParseUri"
# The delta function, bare, namespace-qualified, or with the function-call parentheses.
_DELTA = frozenset({"delta", "delta()", "microsoft.graph.delta", "microsoft.graph.delta()"})


@dataclass
class Plan:
    """What a URL addresses, before any lookup (so 405s don't depend on data)."""

    owner: Literal["me", "user", "group"]
    owner_key: str = ""
    calendar_group: str | None = None  # "" = the default calendar group
    calendar: str | None = None  # "" = the default calendar
    event: str | None = None
    kind: Kind = "owner"
    nav: list[str] = field(default_factory=list)  # for @odata.context
    cast: str | None = None  # memberOf/microsoft.graph.group: only objects of that type
    action: str = ""  # a reply's action name (kind "reply"): accept | tentativelyAccept | decline

    @property
    def is_action(self) -> bool:
        return self.kind in ("cancel", "reply")


def split_segments(raw_path: str) -> list[str]:
    """Decode once, split, decode each segment again; expand `name('key')` segments."""
    out: list[str] = []
    for piece in unquote(raw_path).split("/"):
        if not piece:
            continue
        segment = unquote(piece)
        match = _KEY_SYNTAX.match(segment)
        if match:
            out.extend([match.group(1), match.group(2).replace("''", "'")])
        else:
            out.append(segment)
    return out


def _quoted(key: str) -> str:
    return "'" + key.replace("'", "''") + "'"


def parse(segments: list[str]) -> Plan:
    """A plan for `/v1.0/...` segments; unknown shapes raise Graph's segment errors."""
    if not segments or segments[0].lower() != "v1.0":
        raise GraphError(400, "BadRequest", f"Invalid version: {segments[0] if segments else ''}")
    if len(segments) == 1:
        raise GraphError(400, "BadRequest", "Invalid request.")
    head = segments[1].lower()
    if head == "me":
        plan, rest = Plan("me"), segments[2:]
    elif head in ("users", "groups") and len(segments) > 2:
        plan = Plan("user" if head == "users" else "group", segments[2])
        rest = segments[3:]
    else:
        raise segment_not_found(segments[1])
    if not rest:
        return plan
    first = rest[0].lower()
    if first == "memberof" and plan.owner != "group":
        return _member_of_tail(plan, rest)
    if plan.owner == "group":
        if first == "calendar":
            plan.calendar = ""
            plan.nav.append("calendar")
            return _calendar_tail(plan, rest[1:])
        if first in ("events", "calendarview"):
            return _events_tail(plan, rest, first)
        raise segment_not_found(rest[0])
    if first in ("calendargroups", "calendargroup"):
        return _groups_tail(plan, rest, default=first == "calendargroup")
    if first == "calendars":
        plan.nav.append("calendars")
        if len(rest) == 1:
            plan.kind = "calendars"
            return plan
        plan.calendar = rest[1]
        plan.nav[-1] = f"calendars({_quoted(rest[1])})"
        return _calendar_tail(plan, rest[2:])
    if first == "calendar":
        plan.calendar = ""
        plan.nav.append("calendar")
        return _calendar_tail(plan, rest[1:])
    if first in ("events", "calendarview"):
        return _events_tail(plan, rest, first)
    raise segment_not_found(rest[0])


_CASTS = {"microsoft.graph.group": "group", "microsoft.graph.directoryrole": "directoryRole",
          "microsoft.graph.administrativeunit": "administrativeUnit"}


def _member_of_tail(plan: Plan, rest: list[str]) -> Plan:
    plan.kind = "memberOf"
    if len(rest) == 1:
        return plan
    cast = _CASTS.get(rest[1].lower())
    if cast is None or len(rest) > 2:
        raise segment_not_found(rest[1] if cast is None else rest[2])
    plan.cast = cast
    return plan


def _groups_tail(plan: Plan, rest: list[str], *, default: bool) -> Plan:
    if default:
        plan.calendar_group = ""
        plan.nav.append("calendarGroup")
        tail = rest[1:]
    else:
        plan.nav.append("calendarGroups")
        if len(rest) == 1:
            plan.kind = "calendarGroups"
            return plan
        plan.calendar_group = rest[1]
        plan.nav[-1] = f"calendarGroups({_quoted(rest[1])})"
        tail = rest[2:]
    if not tail:
        plan.kind = "calendarGroup"
        return plan
    if tail[0].lower() != "calendars":
        raise segment_not_found(tail[0], _PARSE_URI)
    plan.nav.append("calendars")
    if len(tail) == 1:
        plan.kind = "calendars"
        return plan
    plan.calendar = tail[1]
    plan.nav[-1] = f"calendars({_quoted(tail[1])})"
    return _calendar_tail(plan, tail[2:])


def _calendar_tail(plan: Plan, tail: list[str]) -> Plan:
    if not tail:
        plan.kind = "calendar"
        return plan
    first = tail[0].lower()
    if first in ("events", "calendarview"):
        return _events_tail(plan, tail, first)
    raise segment_not_found(tail[0], _PARSE_URI)


def _events_tail(plan: Plan, tail: list[str], first: str) -> Plan:
    collection: Kind = "events" if first == "events" else "calendarView"
    plan.nav.append(collection)
    if len(tail) == 1:
        plan.kind = collection
        return plan
    if collection == "calendarView" and len(tail) == 2 and tail[1].lower() in _DELTA:
        plan.kind = "delta"
        return plan
    plan.event = tail[1]
    plan.kind = "event"
    if len(tail) == 2:
        return plan
    action = tail[2].lower()
    if len(tail) == 3 and action in ("cancel", "microsoft.graph.cancel"):
        plan.kind = "cancel"
        return plan
    reply = REPLIES.get(action.removeprefix("microsoft.graph."))
    if len(tail) == 3 and reply is not None:
        plan.kind = "reply"
        plan.action = reply
        return plan
    if len(tail) == 3 and action in ("instances", "microsoft.graph.instances"):
        plan.kind = "instances"
        plan.nav[-1] = f"{collection}({_quoted(tail[1])})"
        plan.nav.append("instances")
        return plan
    raise segment_not_found(tail[2], _PARSE_URI)
