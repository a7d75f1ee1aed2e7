"""`cal365 calendars` and `cal365 events`: output shapes, windows, mailboxes, exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from tests.cli.conftest import Cal365
from tui.fake import FakeGraph, seed
from tui.script.exits import Exit

TODAY = "2026-11-23"  # conftest.DEMO_TODAY, a Monday


def test_calendars_lists_groups_and_calendars_with_ids(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    run = cal365("calendars")
    assert run.code == Exit.OK, run.err
    assert run.err == ""
    rows = run.rows
    assert all(len(row) == 5 for row in rows)
    ids = {row[4] for row in rows}
    assert set(fake_graph.store.calendar_ids().values()) <= ids
    default = [row for row in rows if "default" in row[3].split(",")]
    assert [row[4] for row in default] == [fake_graph.store.default_calendar_id()]
    assert {row[0] for row in rows} >= {"My Calendars", "People's calendars"}


def test_calendars_json(cal365: Cal365) -> None:
    doc = cal365("calendars", "--json").json
    assert doc["mailbox"] == "me"
    first = doc["calendars"][0]
    assert set(first) == {"id", "name", "calendarGroup", "owner", "canEdit", "isDefaultCalendar"}
    assert set(first["calendarGroup"]) == {"id", "name"}
    assert sum(c["isDefaultCalendar"] for c in doc["calendars"]) == 1


def test_calendars_of_a_group_and_another_user(cal365: Cal365, fake_graph: FakeGraph) -> None:
    group = cal365("calendars", "--group", seed.GROUP_ID, "--json")
    assert group.code == Exit.OK, group.err
    assert group.json["mailbox"] == f"groups/{seed.GROUP_ID}"
    assert [c["calendarGroup"] for c in group.json["calendars"]] == [None]
    jonas = cal365("calendars", "--user", seed.JONAS_UPN, "--json")
    assert jonas.code == Exit.OK, jonas.err
    assert fake_graph.store.default_calendar_id(seed.JONAS_ID) in {
        c["id"] for c in jonas.json["calendars"]
    }


def test_unknown_user_is_not_found(cal365: Cal365) -> None:
    run = cal365("calendars", "--user", "nobody@fabrikam.onmicrosoft.com")
    assert run.code == Exit.NOT_FOUND
    assert run.out == ""
    assert "nobody@fabrikam.onmicrosoft.com" in run.err
    assert "Traceback" not in run.err


def test_user_and_group_exclude_each_other(cal365: Cal365) -> None:
    run = cal365("calendars", "--user", seed.JONAS_UPN, "--group", seed.GROUP_ID)
    assert run.code == Exit.USAGE
    assert "not allowed with" in run.err


def test_events_window_both_days_included(cal365: Cal365, fake_graph: FakeGraph) -> None:
    run = cal365("events", "--from", TODAY, "--to", TODAY, "--json")
    assert run.code == Exit.OK, run.err
    doc = run.json
    assert doc["from"] == "2026-11-23T00:00:00+01:00"
    assert doc["to"] == "2026-11-24T00:00:00+01:00"
    assert doc["timeZone"] == "Europe/Berlin"
    subjects = {e["subject"] for e in doc["events"]}
    assert {seed.ORGANIZED_TODAY, seed.ATTENDED_TODAY} <= subjects
    for event in doc["events"]:
        start = dt.datetime.fromisoformat(event["start"])
        end = dt.datetime.fromisoformat(event["end"])
        assert end > dt.datetime.fromisoformat(doc["from"])
        assert start < dt.datetime.fromisoformat(doc["to"])
    request = fake_graph.requests[-1]
    assert request.path.endswith("/me/calendar/calendarView")


def test_events_expand_series_into_occurrences(cal365: Cal365) -> None:
    doc = cal365("events", "--from", TODAY, "--to", "2026-12-06", "--json").json
    weekly = [e for e in doc["events"] if e["subject"] == seed.WEEKLY_SERIES]
    assert len(weekly) >= 2
    assert {e["type"] for e in weekly} <= {"occurrence", "exception"}
    assert len({e["seriesMasterId"] for e in weekly}) == 1


def test_events_mine_keeps_only_meetings_i_organize(cal365: Cal365) -> None:
    every = cal365("events", "--from", TODAY, "--to", "2026-11-27", "--json").json["events"]
    mine = cal365("events", "--from", TODAY, "--to", "2026-11-27", "--mine", "--json")
    assert mine.code == Exit.OK
    organized = [e["id"] for e in every if e["isOrganizer"]]
    assert organized and len(organized) < len(every)
    assert [e["id"] for e in mine.json["events"]] == organized


def test_events_text_lines(cal365: Cal365) -> None:
    run = cal365("events", "--from", TODAY, "--to", TODAY)
    assert run.code == Exit.OK
    rows = run.rows
    assert rows and all(len(row) == 5 for row in rows)
    budget = next(row for row in rows if row[2] == seed.ORGANIZED_TODAY)
    assert budget[0].startswith("2026-11-23 ")
    assert budget[1] == "organizer"
    attended = next(row for row in rows if row[2] == seed.ATTENDED_TODAY)
    assert attended[1] == "attendee,accepted"  # the user's response, after the role


def test_events_show_the_users_response(cal365: Cal365) -> None:
    """Each response state in the text's role column and in --json's responseStatus."""
    window = ("--from", TODAY, "--to", "2026-11-24")
    rows = {row[2]: row[1] for row in cal365("events", *window).rows}
    assert rows[seed.ORGANIZED_TODAY] == "organizer"
    assert rows[seed.ATTENDED_TODAY] == "attendee,accepted"
    assert rows["Обзор квартального плана"] == "attendee,tentative"
    assert rows["Security review"] == "attendee,not-responded"
    assert rows[seed.CANCELLED_COPY] == "attendee,accepted,cancelled"
    events = {e["subject"]: e for e in cal365("events", *window, "--json").json["events"]}
    assert events[seed.ORGANIZED_TODAY]["responseStatus"] == "organizer"
    assert events[seed.ATTENDED_TODAY]["responseStatus"] == "accepted"
    assert events["Обзор квартального плана"]["responseStatus"] == "tentativelyAccepted"
    assert events["Security review"]["responseStatus"] == "notResponded"


def test_events_of_another_calendar_and_group(cal365: Cal365, fake_graph: FakeGraph) -> None:
    calendars = cal365("calendars", "--json").json["calendars"]
    other = next(c for c in calendars if not c["isDefaultCalendar"])
    run = cal365("events", "--calendar", other["id"], "--json")
    assert run.code == Exit.OK, run.err
    assert run.json["calendarId"] == other["id"]
    assert "/calendars/" in fake_graph.requests[-1].path
    group = cal365("events", "--group", seed.GROUP_ID, "--from", TODAY, "--json")
    assert group.code == Exit.OK, group.err
    assert group.json["events"]
    assert fake_graph.requests[-1].path.startswith(f"/v1.0/groups/{seed.GROUP_ID}/calendar/")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01"], "not a date"),
        (["--from", "someday"], "not a date"),
        (["--from", "2026-11-23", "--to", "2026-11-25", "--days", "3"], "give one of them"),
        (["--from", "2026-11-30", "--to", "2026-11-23"], "before --from"),
        (["--from", "2020-01-01", "--to", "2026-01-01"], "at most 1825 days"),
        (["--group", seed.GROUP_ID, "--calendar", "x"], "only its default calendar"),
        (["--timezone", "Mars/Olympus"], "unknown time zone"),
    ],
)
def test_events_bad_input_is_a_usage_error(
    cal365: Cal365, fake_graph: FakeGraph, args: list[str], message: str
) -> None:
    fake_graph.clear_requests()
    run = cal365("events", *args)
    assert run.code == Exit.USAGE
    assert message in run.err
    assert run.out == ""
    assert "Traceback" not in run.err
    assert fake_graph.requests == []


def test_no_token_means_sign_in_needed(run_cli: Cal365, home: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAL365_ACCESS_TOKEN", raising=False)
    run = run_cli("events")
    assert run.code == Exit.AUTH
    assert "CAL365_ACCESS_TOKEN" in run.err
    assert run.out == ""


def test_rejected_token_means_sign_in_needed(run_cli: Cal365, fake_graph: FakeGraph, home: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "expired")
    run = run_cli("calendars", "--graph-url", fake_graph.base_url)
    assert run.code == Exit.AUTH
    assert "sign in" in run.err
    assert "expired" not in run.err  # the token itself is never echoed


def test_dead_network(run_cli: Cal365, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "token")
    run = run_cli("events", "--graph-url", f"http://127.0.0.1:{port}/v1.0")
    assert run.code == Exit.UNREACHABLE
    assert "cannot reach Graph" in run.err
    assert "Traceback" not in run.err


def test_plain_http_to_a_remote_host_is_refused(run_cli: Cal365, home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAL365_ACCESS_TOKEN", "token")
    run = run_cli("events", "--graph-url", "http://graph.example/v1.0")
    assert run.code == Exit.USAGE
    assert "TLS" in run.err


def test_demo_option_before_or_after_the_subcommand(run_cli: Cal365, home: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAL365_ACCESS_TOKEN", raising=False)
    before = run_cli("--demo", "events", "--mine", "--json")
    after = run_cli("events", "--demo", "--mine", "--json")
    assert before.code == after.code == Exit.OK
    assert before.json["events"] and before.json["events"] == after.json["events"]


def test_to_alone_runs_from_today(cal365: Cal365) -> None:
    before = dt.datetime.now(dt.UTC).date()
    later = before + dt.timedelta(days=3)
    doc = cal365("events", "--to", later.isoformat(), "--timezone", "UTC", "--json").json
    after = dt.datetime.now(dt.UTC).date()
    assert doc["from"] in {f"{day}T00:00:00+00:00" for day in (before, after)}
    assert doc["to"] == f"{later + dt.timedelta(days=1)}T00:00:00+00:00"


def test_a_delegate_without_the_calendar_group_list_gets_the_default_calendar(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    from tui.fake.errors import access_denied

    real_dispatch = fake_graph.dispatch

    def folder_only(request: Any) -> Any:
        # Only Jonas's calendar folder is shared: his calendar groups are out of reach.
        if "/calendarGroups" in request.raw_path and seed.JONAS_UPN in unquote(request.raw_path):
            return fake_graph.service.error(request, access_denied())
        return real_dispatch(request)

    fake_graph.dispatch = folder_only  # type: ignore[method-assign]
    run = cal365("calendars", "--user", seed.JONAS_UPN, "--json")
    assert run.code == Exit.OK, run.err
    assert [c["id"] for c in run.json["calendars"]] == [
        fake_graph.store.default_calendar_id(seed.JONAS_ID)]
    assert run.json["calendars"][0]["calendarGroup"] is None


def test_events_of_another_user(cal365: Cal365, fake_graph: FakeGraph) -> None:
    run = cal365("events", "--user", seed.JONAS_UPN, "--from", TODAY, "--to", "2026-11-27",
                 "--json")
    assert run.code == Exit.OK, run.err
    assert run.json["mailbox"] == f"users/{seed.JONAS_UPN}"
    assert run.json["events"]
    assert unquote(fake_graph.requests[-1].raw_path).startswith(
        f"/v1.0/users/{seed.JONAS_UPN}/calendar/calendarView")


def test_demo_date_seeds_the_demo_and_starts_the_window(
    run_cli: Cal365, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAL365_ACCESS_TOKEN", raising=False)
    first = run_cli("--date", TODAY, "--demo", "events", "--timezone", "Europe/Berlin",
                    "--json")
    again = run_cli("--date", TODAY, "--demo", "events", "--timezone", "Europe/Berlin",
                    "--json")
    assert first.code == Exit.OK, first.err
    assert first.json["from"] == "2026-11-23T00:00:00+01:00"
    assert first.json["to"] == "2026-12-07T00:00:00+01:00"
    assert seed.ORGANIZED_TODAY in {e["subject"] for e in first.json["events"]}
    assert first.json["events"] == again.json["events"]  # same ids on every run


def test_calendars_groups_lists_only_microsoft_365_groups_with_the_id_group_takes(
    cal365: Cal365, fake_graph: FakeGraph
) -> None:
    text = cal365("calendars", "--groups")
    assert text.code == Exit.OK, text.err
    assert text.rows == [["Project Falcon", seed.GROUP_MAIL, seed.GROUP_ID]]
    doc = cal365("calendars", "--groups", "--json").json
    assert doc == {"groups": [{"id": seed.GROUP_ID, "displayName": "Project Falcon",
                               "mail": seed.GROUP_MAIL}]}
    assert any(r.path == "/v1.0/me/memberOf" for r in fake_graph.requests)
    listed = cal365("calendars", "--group", doc["groups"][0]["id"], "--json").json
    assert [c["name"] for c in listed["calendars"]] == ["Calendar"]
    both = cal365("calendars", "--groups", "--user", seed.JONAS_UPN)
    assert both.code == Exit.USAGE and "--groups" in both.err
