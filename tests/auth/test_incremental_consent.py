"""Incremental consent through the real MSAL and the fake identity provider: the first
sign-in asks only for the base permissions; another person's calendars and Microsoft 365
group calendars ask for theirs when the user opens them, with a line saying why."""

from __future__ import annotations

from pathlib import Path

from tests.app.helpers import ZONE, listed_calendars, loaded, wait_for
from tests.auth.conftest import settings_for
from tests.auth.fake_idp import FakeIdP
from tests.conftest import DEMO_TODAY
from tui.app import Cal365App
from tui.auth.cache import KeyringStore
from tui.auth.provider import MsalProvider
from tui.fake import FakeGraph
from tui.fake.seed import GROUP_ID, JONAS_UPN
from tui.graph import GraphClient
from tui.screens.prompt import PromptScreen
from tui.screens.signin import SignInScreen
from tui.widgets.calendar_tree import CalendarTree

BASE = frozenset({"Calendars.ReadWrite", "User.Read"})


def screen_text(app: Cal365App) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))


def devicecode_scopes(idp: FakeIdP) -> list[set[str]]:
    return [{s.rsplit("/", 1)[-1] for s in r.form["scope"].split() if "://" in s}
            for r in idp.requests if r.path.endswith("/devicecode")]


async def test_base_sign_in_then_each_extra_permission_only_when_opened(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    idp.pending_polls = 10_000  # until the test approves
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    with FakeGraph(today=DEMO_TODAY) as fake:
        idp.on_access_token = fake.grant  # Graph refuses what a token does not carry
        client = GraphClient(fake.base_url, provider, timezone=ZONE)
        app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE, sign_in=provider)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            assert "cal365 needs you to sign in." in screen_text(app)
            idp.approve()
            await loaded(pilot)
            tree = app.main.query_one(CalendarTree)

            def group_leaves() -> list:
                return [leaf for leaf in listed_calendars(tree)
                        if leaf.data is not None and leaf.data.ref.mailbox.kind == "group"]

            # The groups section is listed with the base permissions (User.Read). Both
            # sections must be in: the user's own, arriving later, would move the cursor.
            await wait_for(pilot, lambda: group_leaves() and any(
                leaf.data.ref.mailbox.kind == "me" for leaf in listed_calendars(tree)
                if leaf.data is not None))
            assert devicecode_scopes(idp) == [set(BASE)]
            assert all(wanted <= BASE for wanted in idp.scope_requests)
            assert not [r for r in fake.requests if r.status == 403]

            # Opening the group asks for Group.Read.All: silently first (refused: never
            # consented), then on the sign-in screen, which says why.
            tree.focus()
            tree.move_cursor(group_leaves()[0])
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            text = screen_text(app)
            assert "open Microsoft 365 group calendars" in text
            assert "Group.Read.All" in text
            assert BASE | {"Group.Read.All"} in idp.scope_requests  # the silent try
            assert devicecode_scopes(idp)[-1] == set(BASE | {"Group.Read.All"})
            assert not [r for r in fake.requests if r.path.startswith("/v1.0/groups/")]
            idp.approve()
            await wait_for(pilot, lambda: app.main.status.kind == "info"
                           and app.main.table.all_events
                           and all(e.ref.mailbox.kind == "group"
                                   for e in app.main.table.all_events))
            assert all(r.status == 200 for r in fake.requests
                       if r.path.startswith(f"/v1.0/groups/{GROUP_ID}/"))

            # Another person's mailbox asks for Calendars.ReadWrite.Shared, and only that.
            await pilot.press("u")
            await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
            await pilot.press(*JONAS_UPN, "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            text = screen_text(app)
            assert "open another person's calendars" in text
            assert "Calendars.ReadWrite.Shared" in text
            assert devicecode_scopes(idp)[-1] == set(BASE | {"Calendars.ReadWrite.Shared"})
            idp.approve()
            await wait_for(pilot, lambda: "Added" in app.main.status.message)
            assert "Jonas Berg" in app.main.status.message
            # Three sign-ins in all: the first, and one per feature opened.
            assert len(devicecode_scopes(idp)) == 3
            assert not [r for r in fake.requests if r.status == 403]


async def test_a_permission_already_consented_is_granted_silently(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    idp.pending_polls = 0
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    provider.start_device_flow().wait()
    idp.consented.add("Calendars.ReadWrite.Shared")  # e.g. an administrator consented
    token = provider.silent_token(extra=frozenset({"Calendars.ReadWrite.Shared"}))
    assert token is not None
    assert idp.scope_requests[-1] == BASE | {"Calendars.ReadWrite.Shared"}
    assert len(devicecode_scopes(idp)) == 1
    # Not consented: no token, and the reason is Entra's consent_required.
    assert provider.silent_token(extra=frozenset({"Group.Read.All"})) is None
    assert "AADSTS65001" in provider.last_problem


async def test_without_the_app_a_missing_permission_says_how_to_grant_it(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    import pytest

    from tui.auth.errors import SignInRequired

    idp.pending_polls = 0
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    provider.start_device_flow().wait()
    with pytest.raises(SignInRequired, match=r"login --permission Group\.ReadWrite\.All"):
        await provider.get_token(scopes=frozenset({"Group.ReadWrite.All"}))
    granted = MsalProvider(settings, KeyringStore(settings.profile))
    granted.start_device_flow(["Group.ReadWrite.All"]).wait()
    assert await granted.get_token(scopes=frozenset({"Group.ReadWrite.All"}))


async def test_a_cancel_in_a_group_asks_to_change_it_and_is_sent_once_after(
    idp: FakeIdP, home: Path, memory_keyring: dict[tuple[str, str], str]
) -> None:
    import json

    from textual.widgets import TextArea

    from tests.app.helpers import cancel_posts, select
    from tui.screens.cancel import CancelScreen

    idp.pending_polls = 0
    settings = settings_for(idp)
    provider = MsalProvider(settings, KeyringStore(settings.profile))
    provider.start_device_flow(["Group.Read.All"]).wait()  # reading groups was granted
    with FakeGraph(today=DEMO_TODAY) as fake:
        idp.on_access_token = fake.grant
        fake.grant(provider.silent_token(extra=frozenset({"Group.Read.All"})) or "",
                   BASE | {"Group.Read.All"})
        client = GraphClient(fake.base_url, provider, timezone=ZONE)
        app = Cal365App(client, today=DEMO_TODAY, timezone=ZONE, sign_in=provider)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            tree = app.main.query_one(CalendarTree)
            await wait_for(pilot, lambda: {
                leaf.data.ref.mailbox.kind for leaf in listed_calendars(tree)
                if leaf.data is not None} >= {"me", "group"})
            leaf = next(leaf for leaf in listed_calendars(tree)
                        if leaf.data is not None and leaf.data.ref.mailbox.kind == "group")
            tree.focus()
            tree.move_cursor(leaf)
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.main.status.kind == "info"
                           and app.main.table.all_events
                           and all(e.ref.mailbox.kind == "group"
                                   for e in app.main.table.all_events))
            assert not isinstance(app.screen, SignInScreen)  # reading needed nothing new
            app.main.table.focus()
            event = await select(pilot, lambda e: e.is_organizer and not e.is_cancelled)
            idp.pending_polls = 10_000
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
            await pilot.press(*"Falcon is paused", "ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            text = screen_text(app)
            assert "cancel meetings in Microsoft 365 group calendars" in text
            assert "Group.ReadWrite.All" in text
            assert cancel_posts(fake) == []  # nothing is sent without the permission
            # Declining keeps the comment and sends nothing; asking again works.
            await pilot.press("escape")
            await wait_for(pilot, lambda: "sign-in was cancelled" in app.main.status.message)
            assert cancel_posts(fake) == []
            await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen)
                           or not isinstance(app.screen, SignInScreen))
            if not isinstance(app.screen, CancelScreen):
                await pilot.press("c")
                await wait_for(pilot, lambda: isinstance(app.screen, CancelScreen))
            assert app.screen.query_one(TextArea).text == "Falcon is paused"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen)
                           and app.screen.state == "waiting")
            idp.approve()
            await wait_for(pilot, lambda: app.main.status.kind == "success")
            posts = cancel_posts(fake)
            assert len(posts) == 1 and posts[0].status == 202
            assert posts[0].path.startswith(f"/v1.0/groups/{GROUP_ID}/")
            assert json.loads(posts[0].body) == {"Comment": "Falcon is paused"}
            assert event.id not in [e.id for e in app.main.table.all_events]
            assert not app.screen.query(TextArea)
