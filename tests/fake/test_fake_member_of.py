"""/me/memberOf as Graph serves it: groups beside directory roles, each with its @odata.type."""

from __future__ import annotations

from tui.fake.seed import GROUP_ID, ROLE_ID, SECURITY_GROUP_ID


def test_member_of_lists_groups_and_roles_with_their_types(graph) -> None:
    body = graph.get("/me/memberOf").json()
    assert body["@odata.context"].endswith("/v1.0/$metadata#directoryObjects")
    types = {item["id"]: item["@odata.type"] for item in body["value"]}
    assert types == {ROLE_ID: "#microsoft.graph.directoryRole",
                     SECURITY_GROUP_ID: "#microsoft.graph.group",
                     GROUP_ID: "#microsoft.graph.group"}
    by_id = {item["id"]: item for item in body["value"]}
    assert by_id[GROUP_ID]["groupTypes"] == ["Unified"]
    assert by_id[SECURITY_GROUP_ID]["groupTypes"] == []
    assert by_id[SECURITY_GROUP_ID]["mail"] is None
    assert "groupTypes" not in by_id[ROLE_ID]


def test_select_keeps_type_and_id_and_leaves_out_what_a_type_lacks(graph) -> None:
    body = graph.get("/me/memberOf?$select=displayName,groupTypes").json()
    assert body["@odata.context"].endswith("#directoryObjects(displayName,groupTypes)")
    by_id = {item["id"]: item for item in body["value"]}
    assert by_id[ROLE_ID] == {"@odata.type": "#microsoft.graph.directoryRole", "id": ROLE_ID,
                              "displayName": "Global Reader"}
    assert set(by_id[GROUP_ID]) == {"@odata.type", "id", "displayName", "groupTypes"}
    wrong = graph.get("/me/memberOf?$select=subject")
    assert wrong.status_code == 400


def test_cast_to_group_leaves_out_roles(graph) -> None:
    body = graph.get("/me/memberOf/microsoft.graph.group?$select=id,groupTypes").json()
    assert body["@odata.context"].endswith("#groups(groupTypes)")
    assert [item["id"] for item in body["value"]] == [SECURITY_GROUP_ID, GROUP_ID]


def test_pages_follow_an_opaque_skiptoken(graph) -> None:
    pages = graph.follow("/me/memberOf?$top=2&$select=displayName")
    assert [len(page) for page in pages] == [2, 1]
    first = graph.get("/me/memberOf?$top=2&$select=displayName").json()
    link = first["@odata.nextLink"]
    assert "$skiptoken=" in link and "$skip=" not in link and "$select=displayName" in link
    assert graph.get("/me/memberOf?$top=1000").status_code == 400


def test_a_security_group_has_no_calendar(graph) -> None:
    response = graph.get(f"/groups/{SECURITY_GROUP_ID}/calendar")
    assert response.status_code == 404
    assert graph.get(f"/groups/{SECURITY_GROUP_ID}").json()["securityEnabled"] is True
    assert graph.get(f"/groups/{GROUP_ID}/calendar").status_code == 200
