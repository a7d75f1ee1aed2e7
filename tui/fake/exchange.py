"""A request as the fake service reads it, and the answer it gives: no sockets here (the
server reads and writes the wire; fault injection, latency and batching pass these along)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .render import Json


@dataclass
class Request:
    method: str
    raw_path: str  # path only, exactly as on the wire
    raw_query: str  # query string exactly as on the wire ("" if none)
    query: list[tuple[str, str]]
    headers: dict[str, list[str]]  # lower-case names
    body: bytes
    origin: str  # scheme://host[:port] the client used, for absolute links

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[-1] if values else None


@dataclass
class Response:
    status: int
    payload: Json | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Set by fault injection only: a body sent as-is, and how the connection ends.
    raw: bytes | None = None
    content_type: str | None = None
    abort: Literal["reset", "truncate", "drip"] | None = None
    fault: str | None = None
    drip_seconds: float = 0.0  # abort "drip": the pause after each byte of the body
