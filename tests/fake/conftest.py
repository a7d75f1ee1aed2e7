"""Helpers for the fake-Graph tests: a real httpx client against the started server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tui.fake import FakeGraph


def seg(value: str) -> str:
    """Escape an id/UPN for a path segment the way Graph needs (`/` twice, the rest once)."""
    return quote(value, safe="-_.~=+@!$&()*,;:").replace("%2F", "%252F")


class Graph:
    """A thin client: absolute URLs built by hand, so escapes reach the wire untouched."""

    def __init__(self, fake: FakeGraph) -> None:
        self.fake = fake
        self.store = fake.store
        self.http = httpx.Client(headers={"Authorization": f"Bearer {fake.token}"}, timeout=10)

    def url(self, path: str) -> str:
        return f"{self.fake.base_url}{path}"

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(self.url(path), **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.post(self.url(path), **kwargs)

    def follow(self, path: str, **kwargs: Any) -> list[list[dict[str, Any]]]:
        """Every page of a collection, following @odata.nextLink to the end."""
        pages = []
        response = self.get(path, **kwargs)
        while True:
            assert response.status_code == 200, response.text
            body = response.json()
            pages.append(body["value"])
            link = body.get("@odata.nextLink")
            if link is None:
                return pages
            response = self.http.get(link, **kwargs)

    def today_view(self, predicate: Any = None) -> list[dict[str, Any]]:
        today = self.store.today
        start = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
        return self.store.calendar_view(start, start + dt.timedelta(days=1), predicate)

    def organized_meeting(self, index: int = 0) -> dict[str, Any]:
        """A single-instance meeting the user organizes (with attendees), URL-safe id."""
        found = self.store.find_events(
            lambda e: e["isOrganizer"] and e["type"] == "singleInstance" and e["attendees"]
            and not e["isAllDay"] and "/" not in e["id"] and "+" not in e["id"]
        )
        return found[index]


@pytest.fixture
def graph(fake_graph: FakeGraph) -> Iterator[Graph]:
    client = Graph(fake_graph)
    yield client
    client.http.close()
