"""Hostile answers for the fake Graph's fault kinds of that name (see `tui.fake.faults`).

What a compromised proxy, a tenant full of crafted invitations or a broken server could
send, so tests can show that cal365 shows it inert, reads it as far as it goes, or stops
with a clear error, never a traceback or a hang:

- hostile: every text field of the answer (subjects, names, addresses, locations, previews,
  calendar and group names, an error's code and message) carries terminal escapes (ESC[2J,
  an OSC 52 clipboard write), BEL, C1 controls, a bidi override, Rich/Textual markup and an
  escaped lone surrogate; webLinks are links no browser should be handed; the first `items`
  events get dates that overflow when moved to another zone;
- deep: the body is JSON nested 200,000 levels deep;
- not_a_list: the page's `value` is an object, not a list;
- self_link / cycle_link / endless_link: the page's nextLink is the request's own URL, a
  link that leads back to it (A -> B -> A), or a fresh link every time (never ending);
- drip: the body is sent one byte every `seconds` (each read times out never).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .exchange import Request, Response

JSON_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8"
# Terminal escapes, BEL, C1 controls (CSI U+009B, NEL U+0085), a bidi override, markup for
# Rich/Textual, and a lone surrogate: in that order, after the field's own text.
HOSTILE_TEXT = ("\x1b[2J\x1b]52;c;ZXZpbA==\x07\x07\x9b31m\x85\u202eevil[bold red]Q4[/]"
                "[link=https://evil.example]x[/link]\ud800")
BAD_LINKS = ("file:///etc/passwd", "javascript:alert(1)", "-a", "https://evil.example/owa")
# Seen from a zone west of UTC / moved out of Etc/GMT+12: past datetime's limits.
FAR_DATES = (
    {"dateTime": "0001-01-01T00:00:00.0000000", "timeZone": "UTC"},
    {"dateTime": "9999-12-31T23:59:59.0000000", "timeZone": "Etc/GMT+12"},
)
DEPTH = 200_000
# Text members of Graph's calendar resources; ids, links, dates and enums are left alone.
_TEXT_KEYS = frozenset({
    "subject", "bodyPreview", "name", "address", "displayName", "userPrincipalName", "mail",
    "code", "message", "uniqueId", "content",
})


def _spoil(node: Any) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, str) and key in _TEXT_KEYS:
                    item[key] = f"{value} {HOSTILE_TEXT}"
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def hostile(response: Response, items: int) -> None:
    """Hostile text everywhere, bad webLinks, far dates on the first `items` events; the
    request-id header carries C1 controls and markup too (what Latin-1 headers can)."""
    if "request-id" in response.headers:
        response.headers["request-id"] += "\x9b31m\x85[bold]x"
    payload = response.payload
    if not isinstance(payload, dict):
        return
    _spoil(payload)
    listed = payload.get("value")
    for index, event in enumerate(listed if isinstance(listed, list) else [payload]):
        if not isinstance(event, dict):
            continue
        if "webLink" in event:
            event["webLink"] = BAD_LINKS[index % len(BAD_LINKS)]
        if index < items and "start" in event:
            event["start"] = event["end"] = dict(FAR_DATES[index % len(FAR_DATES)])
    _as_raw(response, json.dumps(payload).encode("ascii"))  # the surrogate escaped


def deep(response: Response) -> None:
    _as_raw(response, b'{"value":[' + b"[" * DEPTH + b"]" * DEPTH + b"]}")


def not_a_list(response: Response) -> None:
    if isinstance(response.payload, dict) and "value" in response.payload:
        response.payload["value"] = {}


def _url(request: Request, query: str) -> str:
    return f"{request.origin}{request.raw_path}" + (f"?{query}" if query else "")


_PAGE = re.compile(r"(^|&)hostilePage=[^&]*")


def link(request: Request, response: Response, kind: str) -> None:
    """Replace the page's nextLink as `kind` says (self_link, cycle_link, endless_link).
    The links differ by a `hostilePage` parameter, which the fake otherwise ignores."""
    if not isinstance(response.payload, dict) or "value" not in response.payload:
        return
    query = request.raw_query
    without = _PAGE.sub("", query).lstrip("&")
    count = next((int(v) for k, v in request.query if k == "hostilePage" and v.isdigit()), 0)
    if kind == "self_link":
        target = _url(request, query)
    elif kind == "cycle_link":  # A -> A with hostilePage=1 -> A
        target = _url(request, without if without != query
                      else f"{query}&hostilePage=1".lstrip("&"))
    else:  # the same page again under a link never seen before
        target = _url(request, f"{without}&hostilePage={count + 1}".lstrip("&"))
    response.payload.pop("@odata.deltaLink", None)
    response.payload["@odata.nextLink"] = target


def _as_raw(response: Response, body: bytes) -> None:
    response.raw = body
    response.content_type = JSON_TYPE
