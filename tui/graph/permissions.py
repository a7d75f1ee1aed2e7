"""Which delegated permissions a request needs, so sign-in asks for each only when used.

From Graph's permission tables (least privileged first):
- the user's own calendars and cancels: Calendars.ReadWrite; their profile (`/me`) and their
  memberships (`/me/memberOf`): User.Read. These two are asked for at the first sign-in.
- another person's calendars (`/users/{id|upn}/…`, a delegate's or a shared mailbox):
  Calendars.ReadWrite.Shared.
- a Microsoft 365 group's calendar (`/groups/{id}/…`): Group.Read.All to read; changing a
  group event (update, delete) is documented with Group.ReadWrite.All only, so a cancel there
  asks for that. Both need an administrator's consent in most tenants.

App-only sign-in has its permissions fixed by the administrator (`.default`) and ignores
these.
"""

from __future__ import annotations

SHARED = "Calendars.ReadWrite.Shared"
GROUP_READ = "Group.Read.All"
GROUP_WRITE = "Group.ReadWrite.All"

# What each extra permission lets the user do, for the line that says why it is asked.
PURPOSE = {
    SHARED: "open another person's calendars",
    GROUP_READ: "open Microsoft 365 group calendars",
    GROUP_WRITE: "cancel meetings in Microsoft 365 group calendars",
}

_NONE: frozenset[str] = frozenset()


def needed(method: str, mailbox_key: str) -> frozenset[str]:
    """The permissions a request to this mailbox needs beyond the base ones (asked for at
    the first sign-in: tui.config.settings.BASE_PERMISSIONS).

    `mailbox_key` is `tui.graph.urls.mailbox_key`'s answer: "me", "user:…" or "group:…".
    """
    if mailbox_key.startswith("user:"):
        return frozenset((SHARED,))
    if mailbox_key.startswith("group:"):
        return frozenset((GROUP_READ if method in ("GET", "HEAD") else GROUP_WRITE,))
    return _NONE


def purpose(scopes: frozenset[str] | tuple[str, ...]) -> str:
    """Why these permissions are asked for, in words ("" if none is known)."""
    return "; ".join(PURPOSE[s] for s in sorted(scopes) if s in PURPOSE)
