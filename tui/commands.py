"""The one registry of commands: key, footer text, help row and palette entry come from here.

Bindings, the help screen and the command palette are all generated from `COMMANDS`, so a key
cannot be documented in one place and bound differently in another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingType

# Where a command applies: the whole app, the main screen, or one pane or modal.
Scope = Literal[
    "app",
    "main",
    "tree",
    "events",
    "filter",
    "details",
    "cancel",
    "reply",
    "bulk",
    "bulk-reply",
    "results",
    "confirm",
    "prompt",
    "link",
    "audit",
    "signin",
    "help",
]

SCOPE_TITLES: dict[Scope, str] = {
    "app": "Anywhere",
    "main": "Main screen",
    "tree": "Calendars pane",
    "events": "Events pane",
    "filter": "Filter line",
    "details": "Details pane",
    "cancel": "Cancel dialog",
    "reply": "Reply dialog (accept, tentative, decline)",
    "bulk": "Bulk cancel dialog",
    "bulk-reply": "Bulk reply dialog",
    "results": "Bulk results",
    "confirm": "Confirmation (delete)",
    "prompt": "Questions (date, mailbox)",
    "link": "Outlook link shown",
    "audit": "Audit log",
    "signin": "Sign-in screen",
    "help": "Help",
}


@dataclass(frozen=True, slots=True)
class Command:
    id: str
    scope: Scope
    keys: str
    """Textual key names, comma-separated; the first one is shown."""
    action: str
    """The action run by the binding, relative to the widget of its scope."""
    footer: str
    """Short label for the footer; empty keeps it out of the footer."""
    help: str
    """One line for the help screen and the palette."""
    palette: bool = False
    """Offered in the command palette (run on the main screen)."""
    key_display: str | None = None
    priority: bool = False
    """Runs before the focused widget sees the key. Never for a key that acts on what was
    typed (send, back out, confirm): it would run ahead of the characters of the same
    terminal read still queued for the text box, and read the box without them."""
    help_theirs: str = ""
    """The help line when the open calendar is another person's, `{owner}` their name:
    Graph's organizer flag and response are the calendar owner's, not the user's."""
    badge: str = ""
    """What the events pane's count says while this quick toggle is on."""
    badge_theirs: str = ""
    """`badge` when the open calendar is another person's (`{owner}` as above)."""
    holds_keys: bool = False
    """It puts a text box in front (the filter line, a question, a dialog, the palette): the
    keys typed right behind it, in the same terminal read or before the box is up, are the
    box's text, and the app holds them until the box has focus (see tui/app.py)."""

    def help_for(self, owner: str | None) -> str:
        """The help line for a calendar of `owner` (None: the user's own)."""
        return _theirs(self.help, self.help_theirs, owner)

    def badge_for(self, owner: str | None) -> str:
        return _theirs(self.badge, self.badge_theirs, owner)

    @property
    def shown_keys(self) -> str:
        if self.key_display:
            return self.key_display
        return " / ".join(key_label(k) for k in self.keys.split(","))

    def keys_shown(self, keymap: Mapping[str, str] | None = None) -> str:
        """The keys as the help screen and the palette show them: the user's own from
        `keymap` (the config file's [keys]) when it names this command."""
        mine = (keymap or {}).get(self.id)
        return " / ".join(key_label(k) for k in mine.split(",")) if mine else self.shown_keys


def _theirs(mine: str, theirs: str, owner: str | None) -> str:
    return theirs.format(owner=owner) if owner is not None and theirs else mine


def key_label(key: str) -> str:
    """A Textual key name as the help, the palette and the keys check write it ("Ctrl+S")."""
    names = {
        "question_mark": "?",
        "slash": "/",
        "escape": "Esc",
        "enter": "Enter",
        "tab": "Tab",
        "shift+tab": "Shift+Tab",
        "pageup": "PgUp",
        "pagedown": "PgDn",
        "home": "Home",
        "end": "End",
        "up": "↑",
        "down": "↓",
        "ctrl+s": "Ctrl+S",
        "ctrl+o": "Ctrl+O",
        "ctrl+p": "Ctrl+P",
        "ctrl+q": "Ctrl+Q",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "space": "Space",
        "delete": "Del",
        "ctrl+r": "Ctrl+R",
        "ctrl+t": "Ctrl+T",
    }
    return names.get(key, key)


COMMANDS: tuple[Command, ...] = (
    # Anywhere
    Command("help", "app", "question_mark", "help", "Help", "Show every key binding", True),
    Command("quit", "app", "q", "quit", "Quit", "Quit cal365", True),
    Command(
        "palette",
        "app",
        "ctrl+p",
        "command_palette",
        "",
        "Open the command palette",
        key_display="Ctrl+P",
        holds_keys=True,
    ),
    Command(
        "focus-next",
        "app",
        "tab",
        "focus_next",
        "",
        "Move to the next pane",
        key_display="Tab",
    ),
    Command(
        "focus-previous",
        "app",
        "shift+tab",
        "focus_previous",
        "",
        "Move to the previous pane",
        key_display="Shift+Tab",
    ),
    # Main screen
    Command(
        "refresh",
        "main",
        "r",
        "refresh",
        "Refresh",
        "Reload calendars and the events of the open calendar",
        True,
    ),
    Command("view-day", "main", "1", "view('day')", "", "Day view", True),
    Command("view-workweek", "main", "2", "view('workweek')", "", "Work week view", True),
    Command("view-week", "main", "3", "view('week')", "", "Week view", True),
    Command("view-month", "main", "4", "view('month')", "", "Month view", True),
    Command("view-agenda", "main", "5", "view('agenda')", "", "Agenda of the next days", True),
    Command(
        "window-previous", "main", "left_square_bracket", "shift(-1)", "", "Previous window", True
    ),
    Command("window-next", "main", "right_square_bracket", "shift(1)", "", "Next window", True),
    Command("today", "main", "t", "today", "", "Jump to today", True),
    Command("goto", "main", "g", "goto", "Go to", "Go to a date (2026-12-01, +3, friday…)", True,
            holds_keys=True),
    Command("open-web", "main", "o", "open_web", "", "Open the event in Outlook on the web", True),
    Command("copy-link", "main", "y", "copy_link", "", "Copy the event's Outlook link", True),
    Command(
        "filter",
        "main",
        "slash",
        "filter",
        "Filter",
        "Filter the events as you type (subject, organizer, attendee, location)",
        True,
        holds_keys=True,
    ),
    Command(
        "clear-kept-filter",
        "main",
        "escape",
        "clear_kept_filter",
        "Clear filter",
        "Clear the filter kept with Enter and show every event again",
    ),
    Command("only-mine", "main", "m", "quick('mine')", "", "Only meetings I organize", True,
            help_theirs="Only meetings {owner} organizes", badge="only mine",
            badge_theirs="only {owner}'s"),
    Command("hide-cancelled", "main", "x", "quick('cancelled')", "", "Hide cancelled events", True,
            badge="no cancelled"),
    Command("hide-declined", "main", "d", "quick('declined')", "", "Hide events I declined", True,
            help_theirs="Hide events {owner} declined", badge="no declined"),
    Command("audit", "main", "L", "audit", "", "Show the audit log of every cancel", True),
    Command(
        "open-mailbox", "main", "u", "open_mailbox", "", "Open another person's calendars", True,
        holds_keys=True,
    ),
    # Calendars pane
    Command("tree-down", "tree", "down,j", "cursor_down", "", "Next calendar or group"),
    Command("tree-up", "tree", "up,k", "cursor_up", "", "Previous calendar or group"),
    Command(
        "tree-open",
        "tree",
        "enter",
        "select_cursor",
        "Open",
        "Open the calendar (or fold/unfold a group)",
    ),
    Command(
        "tree-cancel",
        "tree",
        "c",
        "screen.cancel_from_tree",
        "",
        "Says how to cancel: c works on the events pane's selected event",
    ),
    # Events pane
    Command("events-down", "events", "down,j", "cursor_down", "", "Next event"),
    Command("events-up", "events", "up,k", "cursor_up", "", "Previous event"),
    Command("events-page-down", "events", "pagedown", "page_down", "", "Page down"),
    Command("events-page-up", "events", "pageup", "page_up", "", "Page up"),
    Command("events-first", "events", "home", "first", "", "First event"),
    Command("events-last", "events", "end", "last", "", "Last event"),
    Command(
        "events-open",
        "events",
        "enter",
        "open",
        "Details",
        "Open the event's details pane",
    ),
    Command(
        "mark",
        "events",
        "space",
        "screen.toggle_mark",
        "Mark",
        "Mark or unmark the event for a bulk cancel, and move down",
    ),
    Command(
        "mark-all",
        "main",
        "A",
        "mark_all",
        "",
        "Mark every event shown",
        True,
    ),
    Command("unmark-all", "main", "U", "unmark_all", "", "Clear all marks", True),
    Command(
        "cancel",
        "events",
        "c",
        "screen.cancel_event",
        "Cancel event",
        "Cancel the selected meeting, or every marked one, with a message to attendees",
        True,
        holds_keys=True,
    ),
    # Replies to invitations, and delete: role-aware, like the cancel key above. Decline
    # first: in a narrow key bar it is the one that stays, triage's commonest answer.
    Command("decline", "events", "D", "screen.reply('decline')", "Decline",
            "Decline the invitation (a new time may go with it), or the marked ones", True,
            holds_keys=True),
    Command("accept", "events", "a", "screen.reply('accept')", "Accept",
            "Accept the invitation, or every marked one, with an optional comment", True,
            holds_keys=True),
    Command("tentative", "events", "T", "screen.reply('tentativelyAccept')", "Tentative",
            "Tentatively accept the invitation (a new time may go with it), or the marked ones",
            True,
            holds_keys=True),
    Command("delete", "events", "delete", "screen.delete_event", "",
            "Delete the event (an appointment without attendees) to Deleted Items", True,
            key_display="Del"),
    # Filter line
    Command(
        "filter-clear",
        "filter",
        "escape",
        "screen.clear_filter",
        "Clear",
        "Clear the filter text and go back to the events",
    ),
    Command(
        "filter-done",
        "filter",
        "enter",
        "screen.focus_events",
        "Keep",
        "Keep the filter and go back to the events",
    ),
    # Details pane
    Command("details-down", "details", "down,j", "scroll_down", "", "Scroll down"),
    Command("details-up", "details", "up,k", "scroll_up", "", "Scroll up"),
    Command(
        "details-cancel",
        "details",
        "c",
        "screen.cancel_event",
        "Cancel event",
        "Cancel the meeting shown, or every marked one",
        holds_keys=True,
    ),
    Command(
        "details-back",
        "details",
        "escape",
        "screen.focus_events",
        "Back",
        "Back to the events pane",
    ),
    # Cancel dialog. No key here is a priority binding: each travels behind the characters
    # typed before it, through the focused control, and acts on the whole comment.
    Command(
        "cancel-send",
        "cancel",
        "ctrl+s",
        "send",
        "Send cancellation",
        "Send the cancellation with the comment",
    ),
    Command(
        "cancel-scope",
        "cancel",
        "ctrl+o",
        "toggle_scope",
        "Occurrence/series",
        "Switch between this occurrence and the whole series",
    ),
    Command(
        "cancel-back",
        "cancel",
        "escape",
        "back",
        "Back",
        "Close without sending (the comment is kept)",
    ),
    # Reply dialog: like the cancel dialog, no priority bindings.
    Command("reply-send", "reply", "ctrl+s", "send", "Send reply",
            "Send the reply with the comment"),
    Command("reply-scope", "reply", "ctrl+o", "toggle_scope", "Occurrence/series",
            "Switch between this occurrence and the whole series"),
    Command("reply-response", "reply", "ctrl+r", "toggle_response", "Tell organizer",
            "Send a response to the organizer, or not (no comment travels then)"),
    Command("reply-back", "reply", "escape", "back", "Back",
            "Close without sending (the comment is kept)"),
    # Bulk cancel
    Command(
        "bulk-send",
        "bulk",
        "ctrl+s",
        "send",
        "Send cancellations",
        "Cancel every listed meeting with the one comment",
    ),
    Command(
        "bulk-include",
        "bulk",
        "ctrl+o",
        "toggle_include",
        "Include others",
        "Also send for the meetings you do not organize (Graph refuses those)",
    ),
    Command(
        "bulk-back",
        "bulk",
        "escape",
        "back",
        "Back",
        "Close without sending (the comment is kept)",
    ),
    Command("bulk-split", "bulk", "ctrl+t", "toggle_split", "Cancel/decline",
            "Marks you organize and marks you attend: cancel, decline, or both",
            help_theirs="Marks {owner} organizes and marks {owner} attends: cancel, decline, "
                        "or both"),
    Command("bulk-reply-send", "bulk-reply", "ctrl+s", "send", "Send replies",
            "Answer every listed invitation with the one comment"),
    Command("bulk-reply-response", "bulk-reply", "ctrl+r", "toggle_response",
            "Tell organizers", "Send responses to the organizers, or not"),
    Command("bulk-reply-back", "bulk-reply", "escape", "back", "Back",
            "Close without sending (the comment is kept)"),
    Command("results-retry", "results", "r", "retry", "Retry failed", "Send the failed ones again"),
    Command("results-close", "results", "escape", "close", "Close", "Close the results"),
    # Sign-in screen (keys that do not apply right now are hidden by check_action)
    Command("signin-copy", "signin", "y", "copy_code", "Copy code", "Copy the code (OSC 52)"),
    Command(
        "signin-browser",
        "signin",
        "b",
        "browser",
        "Use browser",
        "Sign in in a local browser (only with a local graphical session)",
    ),
    Command(
        "signin-retry", "signin", "enter", "retry", "Try again", "Ask for a new code"
    ),
    Command(
        "signin-session",
        "signin",
        "s",
        "session_only",
        "Session only",
        "No keyring: keep tokens in memory for this run only",
    ),
    Command(
        "signin-plaintext",
        "signin",
        "p",
        "plaintext",
        "Plaintext file",
        "No keyring: keep tokens in an unencrypted 0600 file (warned at every start)",
    ),
    Command(
        "signin-cancel",
        "signin",
        "escape",
        "cancel_sign_in",
        "Cancel",
        "Stop signing in (what you were doing stays as it was)",
        priority=True,
    ),
    # Confirmation
    Command("confirm-yes", "confirm", "enter,y", "confirm", "Yes", "Do it"),
    Command("confirm-no", "confirm", "escape,n", "back", "No", "Go back without doing it"),
    # Audit log
    Command("audit-close", "audit", "escape,q", "close", "Close", "Close the audit log"),
    # Prompts
    Command("prompt-answer", "prompt", "enter", "screen.answer", "Confirm",
            "Take the answer typed"),
    Command("prompt-close", "prompt", "escape", "close", "Close", "Close without answering"),
    Command("link-close", "link", "escape,enter,q", "close", "Close", "Close the link"),
    # Help
    Command("help-close", "help", "escape,q,question_mark", "dismiss", "Close", "Close help"),
)


def commands_for(scope: Scope) -> tuple[Command, ...]:
    return tuple(c for c in COMMANDS if c.scope == scope)


def bindings(scope: Scope) -> list[BindingType]:
    """The Textual bindings of one scope, made from the registry."""
    return [
        Binding(
            c.keys,
            c.action,
            c.footer,
            show=bool(c.footer),
            key_display=c.key_display,
            priority=c.priority,
            id=c.id,
            tooltip=c.help,
        )
        for c in commands_for(scope)
    ]


def palette_commands() -> Iterable[Command]:
    return (c for c in COMMANDS if c.palette)


def quick_badge(toggle: str, owner: str | None) -> str:
    """The events pane's word for a quick toggle that is on ("only mine", "no cancelled")."""
    action = f"quick('{toggle}')"
    return next((c.badge_for(owner) for c in COMMANDS if c.action == action), toggle)


def holding_keys() -> frozenset[str]:
    """The ids of the commands that put a text box in front (`Command.holds_keys`)."""
    return frozenset(c.id for c in COMMANDS if c.holds_keys)
