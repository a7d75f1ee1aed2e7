"""Which server-supplied links cal365 may open in a browser or copy: one check, UI-free.

An event's `webLink` comes from the server like any other text. Handed to a browser as it
is, `file:///etc/passwd`, `javascript:…`, `data:…` or a link starting with `-` (read as a
browser option) would do what the server, not the user, wants. So a link is opened or
copied only when it is, exactly, an https link to Outlook on the web of the cloud cal365
talks to — or, with a Graph on this machine (the demo, the tests), a link to this machine.

The Outlook hosts per cloud: Graph's event resource documents `webLink` as
`https://outlook.office365.com/owa/?itemid=…` for work or school accounts and
`https://outlook.live.com/owa/?itemid=…` for Microsoft accounts, and Outlook on the web's
current host is outlook.office.com; the national clouds serve Outlook on the web from their
own hosts (US Government GCC High outlook.office365.us, DoD outlook-dod.office365.us and
webmail.apps.mil, 21Vianet partner.outlook.cn).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tui.config import CLOUDS

# Outlook on the web's hosts, by the name of the cloud in tui.config.CLOUDS.
OUTLOOK_HOSTS: dict[str, frozenset[str]] = {
    "global": frozenset({"outlook.office.com", "outlook.office365.com", "outlook.live.com"}),
    "usgov": frozenset({"outlook.office365.us"}),
    "dod": frozenset({"outlook-dod.office365.us", "webmail.apps.mil"}),
    "china": frozenset({"partner.outlook.cn"}),
}
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_LINK = 2048  # a real webLink is a few hundred characters; browsers cut near 2,000

# A link is plain printable ASCII (non-ASCII arrives percent-encoded): no spaces, no
# controls, nothing that only looks like a letter (a Cyrillic "о" in "outlооk").
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+")
_HOST = re.compile(r"[a-z0-9.-]+")


def outlook_hosts(graph_root: str) -> tuple[frozenset[str], bool]:
    """The Outlook on the web hosts for the cloud whose Graph is `graph_root`, and whether
    that Graph is on this machine (then links to this machine are the demo's own).

    A Graph root of no known cloud (a proxy in front of Graph) gets the global cloud's."""
    host = (urlsplit(graph_root).hostname or "").lower()
    if host in LOOPBACK_HOSTS:
        return OUTLOOK_HOSTS["global"], True
    for name, cloud in CLOUDS.items():
        if urlsplit(cloud.graph).hostname == host:
            return OUTLOOK_HOSTS[name], False
    return OUTLOOK_HOSTS["global"], False


def web_link_problem(link: str, graph_root: str) -> str | None:
    """Why `link` may not be opened or copied (None: it may), in words for a status line.

    The words never quote the link: it is the server's text, and the host named is checked
    to be plain ASCII first.
    """
    if not link:
        return "the event has no link"
    if len(link) > MAX_LINK:
        return f"it is {len(link)} characters long"
    if _PRINTABLE_ASCII.fullmatch(link) is None:
        return "it holds spaces, control or non-ASCII characters"
    if link.startswith("-"):
        return "it starts with '-', which a browser would read as an option"
    if "\\" in link:
        return "it holds a backslash, which browsers read as a slash"
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError:
        return "it is not a well-formed link"
    scheme = parts.scheme.lower()
    hosts, local_graph = outlook_hosts(graph_root)
    if scheme not in ("https", "http"):
        return f"it is a {scheme or 'relative'} link, not https"
    if "@" in parts.netloc:
        return "it carries a user name before its host"
    host = parts.hostname or ""
    if not host or (_HOST.fullmatch(host) is None and host != "::1"):
        return "it names no plain host"
    if local_graph and host in LOOPBACK_HOSTS:
        return None  # the demo's own server: any port, http or https
    if scheme != "https":
        return "it is not an https link"
    if host not in hosts:
        return f"its host {host} is not Outlook on the web for this cloud"
    if port not in (None, 443):
        return f"it names port {port}, not Outlook's"
    return None
