"""OData query options, Prefer headers, $select/$orderby and paging with nextLinks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from .errors import GraphError, unknown_property
from .render import Json

DEFAULT_PAGE_SIZE = 10
MAX_TOP = 1000


@dataclass
class Query:
    """Query options keyed by lower-case name without `$` (OData names are case-insensitive)."""

    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, pairs: Sequence[tuple[str, str]]) -> Query:
        values: dict[str, str] = {}
        for name, value in pairs:
            values[name.strip().lower().lstrip("$")] = value
        return cls(values)

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def int_option(self, name: str, minimum: int) -> int | None:
        raw = self.values.get(name)
        if raw is None:
            return None
        try:
            number = int(raw.strip())
        except ValueError:
            number = minimum - 1
        if number < minimum:
            raise GraphError(400, "BadRequest", f"Invalid value '{raw}' for ${name}.")
        return number


@dataclass
class Prefer:
    timezone: str | None = None
    body_type: str | None = None
    max_page_size: int | None = None
    id_type: str | None = None


_PREFERENCE = re.compile(r'\s*([^=,;\s]+)\s*(?:=\s*("[^"]*"|[^,;]*))?\s*(?:;[^,]*)?(?:,|$)')


def parse_prefer(headers: Sequence[str]) -> Prefer:
    """Preferences from any number of Prefer headers, each possibly comma-separated."""
    prefer = Prefer()
    for header in headers:
        for match in _PREFERENCE.finditer(header):
            name = match.group(1).lower()
            value = (match.group(2) or "").strip().strip('"')
            if name == "outlook.timezone" and value:
                prefer.timezone = value
            elif name == "outlook.body-content-type" and value.lower() in ("text", "html"):
                prefer.body_type = value.lower()
            elif name == "odata.maxpagesize" and value.isdigit() and int(value) > 0:
                prefer.max_page_size = int(value)
            elif name == "idtype" and value:
                prefer.id_type = value
    return prefer


def select(
    query: Query, canonical: Sequence[str], type_name: str, navigation: Sequence[str] = ()
) -> list[str] | None:
    """Canonical property names for $select (None = everything); unknown names are a 400."""
    raw = query.get("select")
    if raw is None or not raw.strip() or raw.strip() == "*":
        return None
    known = {name.lower(): name for name in ("id", *canonical)}
    nav = {name.lower() for name in navigation}
    chosen: list[str] = []
    for part in raw.split(","):
        name = part.strip()
        if not name:
            continue
        canonical_name = known.get(name.lower())
        if canonical_name is None:
            if name.lower() in nav:
                continue
            raise unknown_property(name, type_name)
        if canonical_name != "id" and canonical_name not in chosen:
            chosen.append(canonical_name)
    return chosen


def project(item: Json, chosen: list[str] | None) -> Json:
    """Keep selected properties (plus @odata.etag, @odata.type and id, which Graph always
    returns)."""
    if chosen is None:
        return item
    keep = {"@odata.etag", "@odata.type", "id", *chosen}
    return {key: value for key, value in item.items() if key in keep}


def order(items: list[Json], query: Query, canonical: Sequence[str], type_name: str) -> list[Json]:
    """Apply $orderby over the rendered JSON (paths like start/dateTime, `desc`/`asc`)."""
    raw = query.get("orderby")
    if raw is None or not raw.strip():
        return items
    known = {name.lower(): name for name in ("id", *canonical)}
    keys: list[tuple[list[str], bool]] = []
    for part in raw.split(","):
        words = part.split()
        if not words:
            continue
        path = words[0].split("/")
        descending = len(words) > 1 and words[1].lower() == "desc"
        head = known.get(path[0].lower())
        if head is None:
            raise unknown_property(path[0], type_name)
        keys.append(([head, *path[1:]], descending))
    result = list(items)
    for path, descending in reversed(keys):
        result.sort(key=lambda item, p=path: _sort_key(item, p), reverse=descending)  # type: ignore[misc]
    return result


def _sort_key(item: Json, path: list[str]) -> tuple[int, str]:
    value: object = item
    for step in path:
        if not isinstance(value, dict):
            return (0, "")
        lowered = {k.lower(): v for k, v in value.items()}
        value = lowered.get(step.lower())
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, str(int(value)))
    if isinstance(value, str):
        return (1, value.lower())
    return (1, repr(value))


@dataclass
class Page:
    items: list[Any]
    next_skip: int | None
    size_applied: int | None  # the maxpagesize that was honoured, for Preference-Applied


def paginate(items: list[Any], query: Query, prefer: Prefer) -> Page:
    """One page: $skip offset, size from $top, else Prefer maxpagesize, else 10."""
    skip = query.int_option("skip", 0) or 0
    top = query.int_option("top", 1)
    size = DEFAULT_PAGE_SIZE
    applied = None
    if prefer.max_page_size is not None:
        size = applied = min(prefer.max_page_size, MAX_TOP)
    if top is not None:
        size = min(top, MAX_TOP) if applied is None else min(top, applied, MAX_TOP)
    chunk = items[skip: skip + size]
    more = skip + size < len(items)
    return Page(chunk, skip + size if more else None, applied)


def next_link(origin: str, raw_path: str, raw_query: str, skip: int) -> str:
    """The original request URL with `$skip` replaced, absolute on the caller's host."""
    kept = [
        part for part in raw_query.split("&")
        if part and unquote_plus(part.split("=", 1)[0]).strip().lower().lstrip("$") != "skip"
    ]
    kept.append(f"$skip={skip}")
    return f"{origin}{raw_path}?{'&'.join(kept)}"
