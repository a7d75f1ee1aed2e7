"""Following a listing's pages: each page's shape checked once, the next one asked for
while this one is decoded, and the whole listing bounded in pages and loop-free."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tui.graph import jsonpages
from tui.graph.errors import GraphError

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Body:
    """A response body as received, before decoding."""

    content: bytes
    status: int
    request_id: str | None


@dataclass(frozen=True, slots=True)
class Page(Generic[_T]):
    """One page of a listing: its items (objects, or what the listing made of them), its
    nextLink as Graph gave it (None: the last page), the object's other annotations (such
    as a deltaLink; a listing decoded into typed structs keeps only its nextLink) and the
    size of its body in bytes."""

    items: list[_T]
    next_link: str | None
    payload: dict[str, Any]
    size: int


def payload_of(body: Body, per_item: bool = False) -> dict[str, Any]:
    """A body as the JSON object it must be; GraphError for anything else. `per_item` (in
    a worker thread) decodes the items of its arrays one by one, offering the lock between
    them (see `jsonpages.loads`)."""
    try:
        payload = jsonpages.loads(body.content) if per_item else jsonpages.decode(body.content)
    except ValueError as exc:
        raise GraphError(body.status, "InvalidResponse", "Graph sent a body that is not JSON",
                         body.request_id) from exc
    if not isinstance(payload, dict):
        raise GraphError(body.status, "InvalidResponse", "Graph sent an unexpected JSON value",
                         body.request_id)
    return payload


def page_parts(
    payload: dict[str, Any], status: int = 200, request_id: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page's items (objects only) and its nextLink (None: the last page).

    A page of another shape (`value` not a list, a nextLink that is not a link) is an error
    like a body that is not JSON: taken as empty or as the last page, it would end a listing
    short without a word. An item that is not an object is skipped, as an event without an
    id is: one odd item does not spoil the page; a page of nothing but such items does."""
    value = payload.get("value")
    problem = ""
    if not isinstance(value, list):
        problem = "a page whose value is not a list"
    elif value and not any(isinstance(item, dict) for item in value):
        problem = "a page whose items are not objects"
    link = payload.get("@odata.nextLink")
    if "@odata.nextLink" in payload and not (isinstance(link, str) and link):
        problem = "a page whose nextLink is not a link"
    if problem:
        raise GraphError(status, "InvalidResponse", f"Graph sent {problem}", request_id)
    items = [item for item in value if isinstance(item, dict)]  # type: ignore[union-attr]
    return items, link if isinstance(link, str) else None


def has_id(obj: dict[str, Any]) -> bool:
    """Whether an item carries an id (one without is skipped, as an odd item is)."""
    value = obj.get("id")
    return isinstance(value, str) and bool(value)


def drop(task: asyncio.Task[Any]) -> None:
    """Cancel a request nobody will read; an outcome it already had is not reported."""
    task.cancel()
    if task.done() and not task.cancelled():
        task.exception()


Decoded = tuple[list[_T], str | None, dict[str, Any]]
"""A page's items, its nextLink (None: the last page) and its other annotations, as
`page_parts` checks them."""


async def follow(
    url: str,
    fetch: Callable[[str], Awaitable[Body]],
    decode: Callable[[Body], Awaitable[Decoded[_T]]],
    max_pages: int,
) -> AsyncGenerator[Page[_T], None]:
    """Each page from `url` on, following `@odata.nextLink` exactly as given until there is
    none; `fetch` gets a body, `decode` makes it items and a nextLink (checked as
    `page_parts` does).

    The next page is asked for as soon as its link is known, so the server prepares it
    while this one is decoded and parsed: the link is looked for in the raw body first
    (`jsonpages.peek_next_link`, a few kilobytes at either end) and checked against the
    decoded page, which wins; a wrong guess is dropped unread.
    """

    def ask(link: str) -> asyncio.Task[Body]:
        return asyncio.ensure_future(fetch(link))

    pending: asyncio.Task[Body] | None = ask(url)
    # Links followed: one met again would go round forever (A -> B -> A).
    followed = {url}
    try:
        while pending is not None:
            body = await pending
            pending = None
            early = jsonpages.peek_next_link(body.content)
            if early is not None and early not in followed:
                pending = ask(early)
                await asyncio.sleep(0)  # let the request go out before the decoding
            items, given, payload = await decode(body)
            size = len(body.content)
            status, request_id = body.status, body.request_id
            del body
            link = given
            stop: GraphError | None = None
            if link is not None and link in followed:
                stop = GraphError(status, "InvalidResponse",
                                  f"Graph's link to the next page repeats one followed "
                                  f"already (after page {len(followed)}): the listing "
                                  "would never end, so it stops here", request_id)
            elif link is not None and len(followed) >= max_pages:
                stop = GraphError(status, "InvalidResponse",
                                  f"Graph sent more than {max_pages} pages "
                                  "for one listing: more than it can hold, so it stops "
                                  "here", request_id)
            if stop is not None:
                link = None
            elif link is not None:
                followed.add(link)
            if link != early:
                if pending is not None:
                    drop(pending)
                pending = ask(link) if link is not None else None
                await asyncio.sleep(0)  # let the request go out before the parsing
            yield Page(items, given, payload, size)
            if stop is not None:
                raise stop
    finally:
        if pending is not None:
            drop(pending)  # the caller stopped early: nobody wants this page
