"""A token that lacks a permission is refused as Graph refuses it; the demo token has all."""

from __future__ import annotations

import httpx

from tui.fake import FakeGraph
from tui.fake.seed import GROUP_ID, JONAS_UPN, ME_UPN

BASE = ("Calendars.ReadWrite", "User.Read")


def get(fake: FakeGraph, token: str, path: str) -> httpx.Response:
    return httpx.get(f"{fake.base_url}{path}", headers={"Authorization": f"Bearer {token}"})


def test_the_base_permissions_cover_the_users_own_calendars_and_profile(
    fake_graph: FakeGraph,
) -> None:
    fake_graph.grant("base.token.x", BASE)
    for path in ("/me", "/me/memberOf", "/me/calendars", f"/users/{ME_UPN}/calendar"):
        assert get(fake_graph, "base.token.x", path).status_code == 200, path


def test_others_and_groups_need_their_own_permission(fake_graph: FakeGraph) -> None:
    fake_graph.grant("base.token.x", BASE)
    shared = get(fake_graph, "base.token.x", f"/users/{JONAS_UPN}/calendar")
    assert shared.status_code == 403
    assert shared.json()["error"]["code"] == "ErrorAccessDenied"
    group = get(fake_graph, "base.token.x", f"/groups/{GROUP_ID}/calendar")
    assert group.status_code == 403
    profile = get(fake_graph, "base.token.x", f"/users/{JONAS_UPN}")
    assert profile.json()["error"]["code"] == "Authorization_RequestDenied"

    fake_graph.grant("more.token.x", (*BASE, "Calendars.ReadWrite.Shared", "Group.Read.All"))
    assert get(fake_graph, "more.token.x", f"/users/{JONAS_UPN}/calendar").status_code == 200
    assert get(fake_graph, "more.token.x", f"/groups/{GROUP_ID}/calendar").status_code == 200
    # Reading a group's calendar is not changing it.
    event = get(fake_graph, "more.token.x", f"/groups/{GROUP_ID}/events?$top=1").json()
    cancel = httpx.post(
        f"{fake_graph.base_url}/groups/{GROUP_ID}/events/{event['value'][0]['id']}/cancel",
        headers={"Authorization": "Bearer more.token.x"}, json={"Comment": "x"})
    assert cancel.status_code == 403
    assert fake_graph.store.cancel_log == []


def test_the_demo_token_still_has_every_permission(fake_graph: FakeGraph) -> None:
    for path in (f"/users/{JONAS_UPN}/calendar", f"/groups/{GROUP_ID}/calendar"):
        assert get(fake_graph, fake_graph.token, path).status_code == 200
