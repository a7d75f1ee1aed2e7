"""Replies to invitations (`accept`, `tentativelyAccept`, `decline`) and DELETE of an event,
as Graph answers them; docs/graph-notes.md gives the sources.

Where a behaviour comes only from decompiled Exchange code or from public reports, it is
unverified against today's Graph and says so below.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from .errors import GraphError
from .model import Event, Person, ReplyRecord
from .store import Store
from .timezones import resolve

BAD_JSON = (
    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload "
    "is of valid JSON format."
)
RESPONSES = {"accept": "accepted", "tentativelyAccept": "tentativelyAccepted",
             "decline": "declined"}
# The free/busy an answered copy shows, as Outlook sets it.
_SHOW_AS = {"accept": "busy", "tentativelyAccept": "tentative", "decline": "free"}

# The three texts below are [code]: decompiled Exchange 2013 REST backend, matched by clients
# against live Graph errors; unverified against today's Graph. Checked in this order.
NOT_REQUESTED = ("Your request can't be completed. The meeting organizer hasn't requested a "
                 "response.")
IS_ORGANIZER = ("Your request can't be completed. You can't respond to this meeting because "
                "you're the meeting organizer.")
CANCELLED = "Your request can't be completed. You can't respond to a meeting that's been canceled."
# [issue, weak]: one public report gives this code and text; status 400 assumed.
COMMENT_NEEDS_RESPONSE = "'SendResponse' must be true when 'Comment' is not null"
# [doc] says only "400"; the code and the wording are the fake's own, shaped like the above.
PROPOSAL_NEEDS_RESPONSE = "'SendResponse' must be true when 'ProposedNewTime' is not null"
NO_PROPOSALS = ("Your request can't be completed. The meeting organizer doesn't allow new time "
                "proposals for this meeting.")


@dataclass(frozen=True)
class ReplyBody:
    comment: str | None = None
    send_response: bool = True
    proposed: tuple[dt.datetime, dt.datetime] | None = None


def json_object(body: bytes) -> dict[str, Any] | None:
    """An action's JSON body; None for an empty one; Graph's 400 for anything else."""
    if not body.strip():
        return None
    try:
        data: Any = json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise GraphError(400, "BadRequest", BAD_JSON) from None
    if not isinstance(data, dict):
        raise GraphError(400, "BadRequest", BAD_JSON)
    return data


def _unconvertible(value: Any, type_name: str) -> GraphError:
    return GraphError(400, "RequestBodyRead", f"Cannot convert the literal '{json.dumps(value)}'"
                      f" to the expected type '{type_name}'.")


def parse_body(body: bytes, action: str) -> ReplyBody:
    """`comment`, `sendResponse` and (not for accept) `proposedNewTime`, in any letter case
    as Graph's parameter binding takes them; null means "not given"."""
    data = json_object(body) or {}
    comment: str | None = None
    send = True
    proposed: tuple[dt.datetime, dt.datetime] | None = None
    for key, value in data.items():
        name = key.lower()
        if key.startswith("@"):  # OData annotations ride along harmlessly
            continue
        if name == "comment":
            if value is not None and not isinstance(value, str):
                raise _unconvertible(value, "Edm.String")
            comment = value
        elif name == "sendresponse":
            if value is not None and not isinstance(value, bool):
                raise _unconvertible(value, "Edm.Boolean")
            send = True if value is None else value
        elif name == "proposednewtime" and action != "accept":
            proposed = None if value is None else _time_slot(value)
        else:
            raise GraphError(400, "RequestBodyRead",
                             f"The parameter '{key}' in the request payload is not a valid "
                             f"parameter for the operation '{action}'.")
    return ReplyBody(comment, send, proposed)


def _time_slot(value: Any) -> tuple[dt.datetime, dt.datetime]:
    """A timeSlot: `start` and `end`, each a dateTimeTimeZone. (The exact error Graph gives for
    a malformed one is unverified; the fake answers 400 ErrorInvalidParameter.)"""
    if not isinstance(value, dict):
        raise _unconvertible(value, "microsoft.graph.timeSlot")
    fields = {k.lower(): v for k, v in value.items() if not k.startswith("@")}
    start, end = _moment(fields.get("start"), "Start"), _moment(fields.get("end"), "End")
    if end < start:
        raise GraphError(400, "ErrorInvalidParameter",
                         "The proposed new time ends before it starts.")
    return start, end


def _moment(value: Any, name: str) -> dt.datetime:
    bad = GraphError(400, "ErrorInvalidParameter",
                     f"The value of the parameter 'ProposedNewTime.{name}' is invalid.")
    if not isinstance(value, dict):
        raise bad
    fields = {k.lower(): v for k, v in value.items()}
    text, zone = fields.get("datetime"), fields.get("timezone")
    if not isinstance(text, str) or not isinstance(zone, str):
        raise bad
    tz = resolve(zone)
    try:
        moment = dt.datetime.fromisoformat(text.strip().removesuffix("Z"))
    except ValueError:
        raise bad from None
    if tz is None:
        raise bad
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(dt.UTC)


def check(ev: Event, body: ReplyBody) -> None:
    """Graph's refusals, each a 400. The body's own contradictions first (parameter
    validation runs before the item is looked at; [infer]), then the item's state in the
    order of the Exchange backend ([code]), then the documented proposal rule ([doc])."""
    if body.comment is not None and not body.send_response:
        raise GraphError(400, "ErrorInvalidParameter", COMMENT_NEEDS_RESPONSE)
    if body.proposed is not None and not body.send_response:
        raise GraphError(400, "ErrorInvalidParameter", PROPOSAL_NEEDS_RESPONSE)
    if not ev.response_requested and body.send_response:
        raise GraphError(400, "ErrorInvalidRequest", NOT_REQUESTED)
    if ev.organizer.same(ev.calendar.target.owner):
        raise GraphError(400, "ErrorInvalidRequest", IS_ORGANIZER)
    if ev.is_cancelled:
        raise GraphError(400, "ErrorInvalidRequest", CANCELLED)
    if body.proposed is not None and not ev.allow_new_time_proposals:
        raise GraphError(400, "ErrorInvalidRequest", NO_PROPOSALS)


def apply(store: Store, ev: Event, action: str, body: ReplyBody, source: str = "reply") -> None:
    """Record the reply, tell the organizer's copy (when a response is sent and the organizer's
    mailbox is in the tenant), and answer the replier's copy: accept and tentativelyAccept
    mark it; decline moves it to Deleted Items (an occurrence: drops that slot), as
    Exchange's default does ([issue]; see docs/graph-notes.md)."""
    now = dt.datetime.now(dt.UTC)
    owner = ev.calendar.target.owner
    response = RESPONSES[action]
    slot = ev.original_start if ev.type in ("occurrence", "exception") else None
    store.reply_log.append(ReplyRecord(
        mailbox=owner.address, event_id=ev.id, subject=ev.subject, reply=action,
        comment=body.comment, send_response=body.send_response, proposed=body.proposed,
        organizer=ev.organizer.address, occurrence_start=slot, source=source,
    ))
    if body.send_response:
        _tell_organizer(store, ev, owner, response, body.proposed, slot, now)
    if action == "decline":
        if ev.type != "occurrence":  # Deleted Items keeps the answered copy
            _mark(ev, owner, "decline", now)
        store._remove(ev, now)
        return
    mine = store.own_instance(ev, now)
    _mark(mine, owner, action, now)
    for exception in mine.exceptions.values():  # a series reply answers every instance
        _mark(exception, owner, action, now)


def _mark(ev: Event, owner: Person, action: str, now: dt.datetime) -> None:
    ev.response = RESPONSES[action]
    ev.response_time = now
    ev.show_as = _SHOW_AS[action]
    for attendee in ev.attendees:
        if attendee.person.same(owner):
            attendee.response, attendee.time, attendee.proposed = ev.response, now, None
    Store.touch(ev, now)


def _tell_organizer(store: Store, ev: Event, replier: Person, response: str,
                    proposed: tuple[dt.datetime, dt.datetime] | None, slot: dt.datetime | None,
                    now: dt.datetime) -> None:
    for copy in store.copies(ev):
        if not ev.organizer.same(copy.calendar.target.owner):
            continue  # another attendee's copy: replies go to the organizer only
        targets = [copy, *copy.exceptions.values()]
        if slot is not None:
            if copy.type != "seriesMaster":
                continue
            instance = store.occurrence_at(copy, slot)
            if instance is None:
                continue
            targets = [store.own_instance(instance, now)]
        for target in targets:
            for attendee in target.attendees:
                if attendee.person.same(replier):
                    attendee.response, attendee.time = response, now
                    attendee.proposed = proposed
            Store.touch(target, now)


def delete(store: Store, ev: Event) -> None:
    """DELETE: the organizer's delete cancels without a message of their own ([doc]); an
    attendee's delete of a live invitation first declines it with a response to the
    organizer ([code], decompiled Exchange 2013; unverified against today's Graph) unless
    no response was requested; a cancelled copy or an appointment is just moved."""
    owner = ev.calendar.target.owner
    if ev.organizer.same(owner):
        store.cancel(ev, None)
    elif not ev.is_cancelled and ev.response_requested:
        apply(store, ev, "decline", ReplyBody(), source="delete")
    else:
        store._remove(ev, dt.datetime.now(dt.UTC))
