"""The fake Graph's hostile fault kinds serve what `tui.fake.hostile` promises, on the wire."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from tests.fake.conftest import Graph
from tui.fake import Fault
from tui.fake.hostile import BAD_LINKS, DEPTH

VIEW = "/me/calendarView?startDateTime=2026-11-23T00:00:00Z&endDateTime=2026-11-30T00:00:00Z"


def test_hostile_text_links_and_dates(graph: Graph) -> None:
    graph.fake.faults.add(Fault("hostile", method="GET", items=2, times=None))
    response = graph.get(VIEW)
    assert response.status_code == 200
    raw = response.text
    assert "\\ud800" in raw and "\\u001b]52;c;" in raw  # written as JSON escapes
    events: list[dict[str, Any]] = json.loads(raw)["value"]
    assert len(events) > 5
    for event in events:
        for text in (event["subject"], event["organizer"]["emailAddress"]["name"],
                     event["organizer"]["emailAddress"]["address"]):
            assert "\x1b[2J" in text and "\x07" in text and "\x9b" in text
            assert "\u202e" in text and "[bold red]" in text and "\ud800" in text
        assert event["webLink"] in BAD_LINKS
        assert not event["id"].endswith("\ud800")
    assert [e["start"]["dateTime"][:4] for e in events[:2]] == ["0001", "9999"]
    assert events[2]["start"]["dateTime"].startswith("2026")
    calendars = graph.get("/me/calendars").json()["value"]
    assert all("\u202e" in c["name"] for c in calendars)


def test_deep_nesting_and_a_value_that_is_not_a_list(graph: Graph) -> None:
    graph.fake.faults.add(Fault("deep", method="GET"))
    body = graph.get(VIEW).content
    assert body.count(b"[") == DEPTH + 1
    graph.fake.faults.add(Fault("not_a_list", method="GET"))
    assert graph.get(VIEW).json()["value"] == {}


@pytest.mark.parametrize("kind", ["self_link", "cycle_link", "endless_link"])
def test_next_links_that_repeat_or_never_end(graph: Graph, kind: str) -> None:
    graph.fake.faults.add(Fault(kind, method="GET", times=None))  # type: ignore[arg-type]
    first = graph.get(VIEW).json()
    links = [first["@odata.nextLink"]]
    for _ in range(3):
        links.append(graph.http.get(links[-1]).json()["@odata.nextLink"])
    start = graph.url(VIEW)
    if kind == "self_link":
        assert set(links) == {start}
    elif kind == "cycle_link":
        assert links[1] == links[3] != links[0] == links[2] and links[1] == start
    else:
        assert len(set(links)) == 4 and start not in links


def test_a_body_that_drips(graph: Graph) -> None:
    graph.fake.faults.add(Fault("drip", method="GET", seconds=0.2))
    host, port = graph.fake.host, graph.fake.port
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(f"GET /v1.0{VIEW} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer "
                     f"{graph.fake.token}\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(1)
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        assert length > 1000
        got = b""
        for _ in range(3):
            got += sock.recv(4096)
        assert 0 < len(got) < 20  # a few bytes, each arriving alone, of thousands promised
