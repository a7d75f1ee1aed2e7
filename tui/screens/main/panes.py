"""The calendars pane of the main screen: what fills it (the user's calendars, their
Microsoft 365 groups, the mailboxes opened with `u`), and what is said when a part comes in.
The screen's workers call the listings here and post what they found."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from tui.graph import Calendar, CalendarRef, Mailbox, User
from tui.graph.errors import GraphError, GraphUnavailable
from tui.messages import CalendarsLoaded
from tui.screens.main.drafts import DraftKeeper
from tui.sync import Section, list_mailbox, user_key
from tui.widgets.calendar_tree import CalendarTree
from tui.widgets.format import printable
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tui.graph import GraphClient  # httpx: not before the first frame

GROUPS_TITLE = "Microsoft 365 groups"
# Graph allows 4 concurrent requests per mailbox; the tree load stays within that.
_CONCURRENCY = 4


async def own_calendars(client: GraphClient, mailbox: Mailbox) -> Section:
    """Every calendar group of `mailbox` with its calendars, asked for side by side."""
    groups = await client.calendar_groups(mailbox)
    limit = asyncio.Semaphore(_CONCURRENCY)

    async def calendars_of(group_id: str) -> list[tuple[CalendarRef, Calendar]]:
        async with limit:
            found = await client.calendars_in_group(mailbox, group_id)
        return [(CalendarRef(mailbox, c.id, group_id), c) for c in found]

    results = await asyncio.gather(*(calendars_of(g.id) for g in groups))
    return list(zip(groups, results, strict=True))


async def member_groups(client: GraphClient) -> Section:
    """The user's Microsoft 365 groups, beside their own calendars; none where they cannot
    be listed.

    Listing them needs only the base sign-in; each group's calendar is read when the user
    opens it, which is when the extra group permission is asked for.
    """
    try:
        groups = await client.member_groups()
    except (GraphError, GraphUnavailable):
        return []  # Not all tenants or consents allow listing groups: leave them out quietly.
    found = [(CalendarRef(Mailbox("group", g.id)), g.as_calendar()) for g in groups]
    return [(None, found)] if found else []


def user_label(user: User) -> str:
    """The signed-in user as the title bar names them."""
    label = printable(user.display_name or user.user_principal_name, 80)
    if user.user_principal_name and user.display_name:
        label += f" <{printable(user.user_principal_name, 80)}>"
    return label


def ask_mailbox(screen: Screen[Any], opened: Callable[[Mailbox], object]) -> None:
    """The `u` prompt: another person's mailbox, by user name or id."""
    from tui.screens.prompt import PromptScreen

    def answered(text: str | None) -> None:
        if text:
            screen.query_one(StatusBar).show(f"Opening {printable(text, 80)}…", "busy")
            opened(Mailbox("user", text))

    prompt = PromptScreen(
        "Open another person's calendars",
        "user@contoso.com or a user id",
        check=lambda text: None if text else "type a user name (UPN) or id",
    )
    screen.app.push_screen(prompt, answered)


def calendars_loaded(screen: Screen[Any], message: CalendarsLoaded, drafts: DraftKeeper,
                     calendar: CalendarRef) -> None:
    """A part of the pane came in: show it, keeping the open `calendar` selected."""
    tree = screen.query_one(CalendarTree)
    again = tree.has_section(message.key)
    tree.set_section(message.key, message.title, message.groups)
    refs = [ref for _, calendars in message.groups for ref, _ in calendars]
    if message.key.startswith("user:") and refs and not drafts.drafts.knows(
            refs[0].mailbox.key):
        drafts.name_mailbox(refs[0].mailbox, list(message.groups))
    # Show the open calendar, unless the user has taken the cursor somewhere else.
    if message.key == "me" and not tree.placed_by_user and not tree.select_ref(calendar):
        tree.select_default()
    if message.key.startswith("user:") and message.announce:
        # Only a mailbox the user asked for (`u`) is announced: the sections loaded at
        # start must not cover a line about the events, an error above all.
        who = printable(message.title or message.key, 80)
        screen.query_one(StatusBar).show(f"Reloaded {who} in the calendars pane." if again
                                         else f"Added {who} to the calendars pane.", "info")


async def relisted(client: GraphClient, mailbox: Mailbox) -> CalendarsLoaded | None:
    """A mailbox opened with `u`, listed again quietly; None when it cannot be (offline, or
    no longer readable: the cached section stays as it was)."""
    try:
        title, section = await list_mailbox(client, mailbox)
    except (GraphError, GraphUnavailable):
        return None
    return CalendarsLoaded(user_key(mailbox), title, section, announce=False)


def owner_name(tree: CalendarTree, open_ref: CalendarRef, own: Mailbox,
               account: str | None) -> str | None:
    """The name of the person whose calendar `open_ref` is, when it is not the user's own
    (None then): Graph's organizer flag and response there are that person's, so the
    words for ●/○, `m`, `d`, the details and the bulk dialog name them, not "you"."""
    mailbox = open_ref.mailbox
    if mailbox.kind == "group":
        return None
    calendar = tree.calendar_of(open_ref)
    if mailbox.kind != "user" or mailbox == own:
        # One's own mailbox: a read-only calendar in it owned by someone else is one
        # they share (Graph's flags there are theirs too).
        if calendar is None or calendar.can_edit or not calendar.owner_name:
            return None
        mine = {a.lower() for a in (tree.own_address(), account) if a}
        return None if calendar.owner_address.lower() in mine else printable(
            calendar.owner_name, 60)
    name = (calendar.owner_name if calendar is not None else "") \
        or tree.section_title(user_key(mailbox)) or mailbox.id
    return printable(name, 60)
