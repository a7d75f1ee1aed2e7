"""Where things live in Graph: mailboxes, calendars and events as typed references.

Every path and query string the client sends is built here, so escaping rules live in one
place. Ids are opaque and kept exactly as Graph returned them; only what would break the
path is escaped. (Query strings are encoded as httpx would; httpx itself is not imported
here, as the cache and the first screen load this module before any request.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, unquote, urlencode, urlsplit

MailboxKind = Literal["me", "user", "group"]

# Characters legal in a path segment that Graph ids and UPNs use and that must reach the
# service untouched (over-encoding `_` or `=` makes Graph answer not-found).
_SAFE = "-_.~=+@!$&()*,;:"


def segment(value: str) -> str:
    """Escape one path segment (an id or a UPN).

    Graph decodes the path once before it splits it into segments, so a `/` inside an id has
    to be encoded twice (`%252F`), and so does `%`; `%2F` alone would split the id. `#`
    (guest UPNs carry `#EXT#`), `'`, `?`, spaces and non-ASCII are percent-encoded once.
    """
    if not value:
        raise ValueError("an id or user name cannot be empty")
    if value in (".", ".."):  # a URL library would treat these as path navigation
        return value.replace(".", "%2E")
    # `%` is encoded twice as well, or the second decoding would read what follows it.
    return quote(value, safe=_SAFE).replace("%25", "%2525").replace("%2F", "%252F")


@dataclass(frozen=True, slots=True)
class Mailbox:
    """Whose calendars: the signed-in user, another user (id or UPN), or a Microsoft 365 group."""

    kind: MailboxKind = "me"
    id: str = ""

    def __post_init__(self) -> None:
        if self.kind != "me" and not self.id:
            raise ValueError(f"a {self.kind} mailbox needs an id")

    @property
    def path(self) -> str:
        if self.kind == "me":
            return "/me"
        prefix = "/users" if self.kind == "user" else "/groups"
        return f"{prefix}/{segment(self.id)}"

    @property
    def label(self) -> str:
        return "me" if self.kind == "me" else self.id

    @property
    def key(self) -> str:
        """Identifies the mailbox for throttling (Graph limits requests per app and mailbox)."""
        return "me" if self.kind == "me" else f"{self.kind}:{self.id.lower()}"


ME = Mailbox()
GLOBAL_GRAPH_URL = "https://graph.microsoft.com/v1.0"


@dataclass(frozen=True, slots=True)
class CalendarRef:
    """A calendar as reached through one of Graph's URL forms.

    No calendar id means the mailbox's default calendar (`…/calendar`); a calendar group id
    means the `…/calendarGroups/{g}/calendars/{c}` form. Groups have only their default calendar.
    """

    mailbox: Mailbox = ME
    calendar_id: str | None = None
    calendar_group_id: str | None = None

    def __post_init__(self) -> None:
        if self.calendar_group_id is not None and self.calendar_id is None:
            raise ValueError("a calendar group path needs a calendar id")
        if self.mailbox.kind == "group" and self.calendar_id is not None:
            raise ValueError("a Microsoft 365 group has only its default calendar")

    @property
    def path(self) -> str:
        base = self.mailbox.path
        if self.calendar_id is None:
            return f"{base}/calendar"
        if self.calendar_group_id is None:
            return f"{base}/calendars/{segment(self.calendar_id)}"
        return (
            f"{base}/calendarGroups/{segment(self.calendar_group_id)}"
            f"/calendars/{segment(self.calendar_id)}"
        )


@dataclass(frozen=True, slots=True)
class EventRef:
    """An event and the place it was found; a cancel goes through the same URL form.

    `calendar=None` addresses the event through the mailbox itself (`/me/events/{id}`).
    """

    event_id: str
    mailbox: Mailbox = ME
    calendar: CalendarRef | None = None

    def __post_init__(self) -> None:
        if self.calendar is not None and self.calendar.mailbox != self.mailbox:
            raise ValueError("the calendar belongs to another mailbox")

    @property
    def path(self) -> str:
        base = self.calendar.path if self.calendar is not None else self.mailbox.path
        return f"{base}/events/{segment(self.event_id)}"

    def action_path(self, name: str) -> str:
        """Where an action on the event goes: `cancel`, `accept`, `tentativelyAccept`,
        `decline` (a DELETE goes to `path` itself)."""
        return f"{self.path}/{name}"

    @property
    def cancel_path(self) -> str:
        return self.action_path("cancel")


BATCH_PATH = "/$batch"
# Graph's page size for the small listings (calendars, calendar groups).
_SMALL_PAGE = "$top=100"


def _query(params: dict[str, str]) -> str:
    return urlencode(params)


def _instant(moment: dt.datetime) -> str:
    """A calendar window's bound as Graph reads it: UTC, to the second."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def me_url() -> str:
    """The signed-in user's profile."""
    return ME.path


def member_of_url() -> str:
    """The signed-in user's direct memberships, with what tells a Microsoft 365 group."""
    query = _query({"$select": "id,displayName,mail,groupTypes", "$top": "999"})
    return f"{ME.path}/memberOf?{query}"


def calendar_groups_url(mailbox: Mailbox) -> str:
    return f"{calendar_groups_path(mailbox)}?{_SMALL_PAGE}"


def group_calendars_url(mailbox: Mailbox, calendar_group_id: str) -> str:
    return f"{group_calendars_path(mailbox, calendar_group_id)}?{_SMALL_PAGE}"


def calendars_url(mailbox: Mailbox) -> str:
    return f"{calendars_path(mailbox)}?{_SMALL_PAGE}"


def calendar_view_url(
    calendar: CalendarRef, start: dt.datetime, end: dt.datetime, *, select: str, top: int
) -> str:
    """The first page of a calendar view: occurrences expanded, in start order."""
    query = _query({
        "startDateTime": _instant(start),
        "endDateTime": _instant(end),
        "$select": select,
        "$orderby": "start/dateTime",
        "$top": str(top),
    })
    return f"{calendar_view_path(calendar)}?{query}"


def calendar_view_delta_url(
    target: CalendarRef | Mailbox, start: dt.datetime, end: dt.datetime
) -> str:
    """The start of a full change-tracking round (delta takes no $select or $top)."""
    query = _query({"startDateTime": _instant(start), "endDateTime": _instant(end)})
    return f"{calendar_view_delta_path(target)}?{query}"


def events_url(calendar: CalendarRef, *, select: str, top: int) -> str:
    """Single events and series masters of a calendar (occurrences not expanded)."""
    return f"{events_path(calendar)}?{_query({'$select': select, '$top': str(top)})}"


def event_url(ref: EventRef, *, select: str) -> str:
    return f"{ref.path}?{_query({'$select': select})}"


def batch_event_url(ref: EventRef, *, select: str) -> str:
    """One event as a `$batch` request names it: relative to the version root, `$select`
    written out as Graph's batching documentation writes query options (the names are
    plain, so nothing in them needs escaping)."""
    if not select or not all(name.isalnum() for name in select.split(",")):
        raise ValueError("$select names properties: letters and digits, comma-separated")
    return f"{ref.path}?$select={select}"


def is_under(url: str, root: str) -> bool:
    """Whether `url` lies under the Graph root `root` (a link kept from another root, such
    as another cloud's or an earlier demo's, does not)."""
    return url.startswith(root.rstrip("/") + "/")


def calendar_groups_path(mailbox: Mailbox) -> str:
    return f"{mailbox.path}/calendarGroups"


def group_calendars_path(mailbox: Mailbox, calendar_group_id: str) -> str:
    return f"{mailbox.path}/calendarGroups/{segment(calendar_group_id)}/calendars"


def calendars_path(mailbox: Mailbox) -> str:
    return f"{mailbox.path}/calendars"


def calendar_view_path(calendar: CalendarRef) -> str:
    return f"{calendar.path}/calendarView"


def calendar_view_delta_path(target: CalendarRef | Mailbox) -> str:
    """Change tracking of a calendar view: a calendar, or a mailbox (its default calendar).

    A calendar in a calendar group is tracked through its `calendars/{id}` form: Graph
    documents change tracking on a mailbox's calendars, not through its calendar groups, and
    the calendar's id is the same either way."""
    if isinstance(target, CalendarRef) and target.calendar_group_id is not None:
        target = CalendarRef(target.mailbox, target.calendar_id)
    return f"{target.path}/calendarView/delta"


def events_path(calendar: CalendarRef) -> str:
    return f"{calendar.path}/events"


def mailbox_key(url: str) -> str:
    """The `Mailbox.key` a request path (relative, or absolute like a nextLink) addresses.

    Returns "" for requests that address no mailbox (such as `$batch`).
    """
    path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    parts = [p for p in path.split("/") if p]
    if parts and parts[0].lower() in ("v1.0", "beta"):
        parts = parts[1:]
    if not parts:
        return ""
    head = parts[0].lower()
    if head == "me":
        return "me"
    if head in ("users", "groups") and len(parts) > 1:
        kind = "user" if head == "users" else "group"
        return f"{kind}:{unquote(unquote(parts[1])).lower()}"
    return ""
