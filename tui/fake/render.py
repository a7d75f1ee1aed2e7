"""Model objects to Graph v1.0 JSON, in the property order Graph returns them."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .model import Attendee, Calendar, CalendarGroup, DirectoryRole, Event, Group, Recurrence, User
from .timezones import UTC, graph_date, graph_local, graph_utc, graph_utc_seconds

Json = dict[str, Any]
_NEVER = "0001-01-01T00:00:00Z"


@dataclass(frozen=True)
class View:
    """How the caller asked to see events (Prefer: outlook.timezone / body-content-type)."""

    tz_name: str = "UTC"
    tz: dt.tzinfo = UTC
    body_type: str = "html"


UTC_VIEW = View()

EVENT_PROPERTIES = [
    "createdDateTime",
    "lastModifiedDateTime",
    "changeKey",
    "categories",
    "transactionId",
    "originalStartTimeZone",
    "originalEndTimeZone",
    "iCalUId",
    "uid",
    "reminderMinutesBeforeStart",
    "isReminderOn",
    "hasAttachments",
    "subject",
    "bodyPreview",
    "importance",
    "sensitivity",
    "isAllDay",
    "isCancelled",
    "isOrganizer",
    "responseRequested",
    "seriesMasterId",
    "showAs",
    "type",
    "webLink",
    "onlineMeetingUrl",
    "isOnlineMeeting",
    "onlineMeetingProvider",
    "allowNewTimeProposals",
    "occurrenceId",
    "isDraft",
    "hideAttendees",
    "responseStatus",
    "body",
    "start",
    "end",
    "location",
    "locations",
    "recurrence",
    "attendees",
    "organizer",
    "onlineMeeting",
    "originalStart",
]
# Navigation properties: valid in $select, never inlined.
EVENT_NAVIGATION = (
    "attachments",
    "calendar",
    "extensions",
    "instances",
    "multiValueExtendedProperties",
    "singleValueExtendedProperties",
)
CALENDAR_PROPERTIES = [
    "name",
    "color",
    "hexColor",
    "isDefaultCalendar",
    "changeKey",
    "canShare",
    "canViewPrivateItems",
    "canEdit",
    "allowedOnlineMeetingProviders",
    "defaultOnlineMeetingProvider",
    "isTallyingResponses",
    "isRemovable",
    "owner",
]
CALENDAR_GROUP_PROPERTIES = ["name", "changeKey", "classId"]
USER_PROPERTIES = [
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
]


def _dtz(moment: dt.datetime, day: dt.date | None, view: View) -> Json:
    value = graph_date(day) if day is not None else graph_local(moment, view.tz)
    return {"dateTime": value, "timeZone": view.tz_name}


def _location(name: str, unique_id: str | None) -> Json:
    if not name:
        return {
            "displayName": "",
            "locationType": "default",
            "uniqueIdType": "unknown",
            "address": {},
            "coordinates": {},
        }
    return {
        "displayName": name,
        "locationType": "default",
        "uniqueId": unique_id or name,
        "uniqueIdType": "private",
        "address": {},
        "coordinates": {},
    }


def _recurrence(rec: Recurrence) -> Json:
    return {
        "pattern": {
            "type": rec.pattern_type,
            "interval": rec.interval,
            "month": 0,
            "dayOfMonth": 0,
            "daysOfWeek": list(rec.days_of_week) if rec.pattern_type == "weekly" else [],
            "firstDayOfWeek": rec.first_day_of_week,
            "index": "first",
        },
        "range": {
            "type": rec.range_type,
            "startDate": rec.start_date.isoformat(),
            "endDate": rec.end_date.isoformat() if rec.end_date else "0001-01-01",
            "recurrenceTimeZone": rec.time_zone,
            "numberOfOccurrences": rec.number_of_occurrences,
        },
    }


def web_link(event_id: str) -> str:
    return (
        "https://outlook.office365.com/owa/?itemid="
        + quote(event_id, safe="")
        + "&exvsurl=1&path=/calendar/item"
    )


def body_html(text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f"</head><body>{paragraphs}</body></html>"
    )


def _attendee(a: Attendee, view: View) -> Json:
    out: Json = {
        "type": a.type,
        "status": {
            "response": a.response,
            "time": graph_utc_seconds(a.time) if a.time else _NEVER,
        },
        "emailAddress": {"name": a.person.name, "address": a.person.address},
    }
    if a.proposed is not None:  # only an attendee who proposed a new time carries it
        out["proposedNewTime"] = {"start": _dtz(a.proposed[0], None, view),
                                  "end": _dtz(a.proposed[1], None, view)}
    return out


def event_json(ev: Event, view: View = UTC_VIEW) -> Json:
    """The full Graph JSON of an event, relative to the owner of the calendar holding it."""
    owner = ev.calendar.target.owner
    is_organizer = ev.organizer.same(owner)
    start_day = ev.start.date() if ev.is_all_day else None
    end_day = ev.end.date() if ev.is_all_day else None
    text = ev.body_text
    body = (
        {"contentType": "text", "content": text}
        if view.body_type == "text"
        else {"contentType": "html", "content": ev.body_html or body_html(text)}
    )
    subject = ev.subject
    if ev.is_cancelled and not subject.startswith("Canceled: "):
        subject = "Canceled: " + subject
    occurrence_id = None
    if ev.type in ("occurrence", "exception") and ev.series_master_id and ev.original_start:
        slot = ev.original_start.astimezone(UTC).date().isoformat()
        occurrence_id = f"OID.{ev.series_master_id}.{slot}"
    out: Json = {
        "@odata.etag": f'W/"{ev.change_key}"',
        "id": ev.id,
        "createdDateTime": graph_utc(ev.created),
        "lastModifiedDateTime": graph_utc(ev.modified),
        "changeKey": ev.change_key,
        "categories": list(ev.categories),
        "transactionId": None,
        "originalStartTimeZone": ev.original_tz,
        "originalEndTimeZone": ev.original_tz,
        "iCalUId": ev.ical_uid,
        "uid": ev.uid,
        "reminderMinutesBeforeStart": ev.reminder_minutes,
        "isReminderOn": ev.is_reminder_on,
        "hasAttachments": ev.has_attachments,
        "subject": subject,
        "bodyPreview": text.replace("\n", "\r\n")[:255],
        "importance": ev.importance,
        "sensitivity": ev.sensitivity,
        "isAllDay": ev.is_all_day,
        "isCancelled": ev.is_cancelled,
        "isOrganizer": is_organizer,
        "responseRequested": ev.response_requested,
        "seriesMasterId": ev.series_master_id,
        "showAs": ev.show_as,
        "type": ev.type,
        "webLink": web_link(ev.id),
        "onlineMeetingUrl": None,
        "isOnlineMeeting": ev.is_online,
        "onlineMeetingProvider": "teamsForBusiness" if ev.is_online else "unknown",
        "allowNewTimeProposals": ev.allow_new_time_proposals,
        "occurrenceId": occurrence_id,
        "isDraft": ev.is_draft,
        "hideAttendees": ev.hide_attendees,
        "responseStatus": {
            "response": "organizer" if is_organizer else ev.response,
            "time": graph_utc_seconds(ev.response_time) if ev.response_time else _NEVER,
        },
        "body": body,
        "start": _dtz(ev.start, start_day, view),
        "end": _dtz(ev.end, end_day, view),
        "location": _location(ev.location, ev.location_id),
        "locations": [
            {
                "displayName": ev.location,
                "locationType": "default",
                "uniqueId": ev.location_id or ev.location,
                "uniqueIdType": "private",
            }
        ]
        if ev.location
        else [],
        "recurrence": _recurrence(ev.recurrence) if ev.recurrence else None,
        "attendees": [_attendee(a, view) for a in ev.attendees],
        "organizer": {"emailAddress": {"name": ev.organizer.name, "address": ev.organizer.address}},
        "onlineMeeting": {"joinUrl": ev.join_url} if ev.join_url else None,
    }
    if ev.original_start is not None and ev.type in ("occurrence", "exception"):
        out["originalStart"] = graph_utc_seconds(ev.original_start)
    return out


def calendar_json(cal: Calendar) -> Json:
    return {
        "id": cal.id,
        "name": cal.name,
        "color": cal.color,
        "hexColor": cal.hex_color,
        "isDefaultCalendar": cal.is_default,
        "changeKey": cal.change_key,
        "canShare": cal.can_share,
        "canViewPrivateItems": cal.can_view_private,
        "canEdit": cal.can_edit,
        "allowedOnlineMeetingProviders": list(cal.providers),
        "defaultOnlineMeetingProvider": cal.default_provider,
        "isTallyingResponses": cal.is_tallying,
        "isRemovable": cal.is_removable,
        "owner": {"name": cal.owner.name, "address": cal.owner.address},
    }


def calendar_group_json(group: CalendarGroup) -> Json:
    return {
        "id": group.id,
        "name": group.name,
        "changeKey": group.change_key,
        "classId": group.class_id,
    }


def user_json(user: User) -> Json:
    return {
        "businessPhones": list(user.business_phones),
        "displayName": user.display_name,
        "givenName": user.given_name,
        "jobTitle": user.job_title,
        "mail": user.mail,
        "mobilePhone": user.mobile_phone,
        "officeLocation": user.office_location,
        "preferredLanguage": user.preferred_language,
        "surname": user.surname,
        "userPrincipalName": user.upn,
        "id": user.id,
    }


def group_json(group: Group) -> Json:
    nickname = group.mail.split("@", 1)[0] if group.mail else group.display_name.replace(" ", "")
    unified = "Unified" in group.group_types
    return {
        "id": group.id,
        "deletedDateTime": None,
        "classification": None,
        "createdDateTime": graph_utc_seconds(group.created),
        "description": group.description,
        "displayName": group.display_name,
        "groupTypes": list(group.group_types),
        "mail": group.mail or None,
        "mailEnabled": bool(group.mail),
        "mailNickname": nickname,
        "securityEnabled": group.security_enabled,
        "visibility": "Private" if unified else None,
    }


def directory_role_json(role: DirectoryRole) -> Json:
    return {
        "id": role.id,
        "deletedDateTime": None,
        "description": role.description,
        "displayName": role.display_name,
        "roleTemplateId": role.role_template_id,
    }


# What $select may name on /memberOf: the properties of every type it can list.
DIRECTORY_OBJECT_PROPERTIES = [
    "deletedDateTime", "classification", "createdDateTime", "description", "displayName",
    "groupTypes", "mail", "mailEnabled", "mailNickname", "securityEnabled", "visibility",
    "roleTemplateId",
]
