"""The cache store: delta rounds in, events out, decrypting only what is asked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from tests.cache.conftest import CALENDAR, END, OWNER, START, Round, bulk_events
from tui.cache import CachedTree, CacheStore, LastView, MailboxSection
from tui.cache.cipher import FernetCipher
from tui.graph.models import Calendar, CalendarGroup, Event, Group
from tui.graph.urls import ME, CalendarRef, Mailbox

BERLIN = dt.timezone(dt.timedelta(hours=1))


def _by_start(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.start or START, e.end or START))


def test_a_full_round_reads_back_equal_in_start_order(
        store: CacheStore, events: list[Event]) -> None:
    applied = store.put_round(CALENDAR, START, END, Round(events))
    assert (applied.added, applied.changed, applied.removed) == (len(events), 0, 0)
    back = store.events(CALENDAR, START, END, dt.UTC)
    assert back == _by_start(events)
    assert store.count(CALENDAR, START, END) == len(events)


def test_reads_convert_timed_events_to_the_zone_asked(
        store: CacheStore, events: list[Event]) -> None:
    store.put_round(CALENDAR, START, END, Round(events))
    first = store.events(CALENDAR, START, END, BERLIN, limit=1)[0]
    assert first.start is not None and first.start.utcoffset() == dt.timedelta(hours=1)
    assert first.start == _by_start(events)[0].start


def test_limit_offset_and_batches_page_through_the_same_order(
        store: CacheStore, events: list[Event]) -> None:
    store.put_round(CALENDAR, START, END, Round(events))
    everything = store.events(CALENDAR, START, END, dt.UTC)
    assert store.events(CALENDAR, START, END, dt.UTC, limit=40) == everything[:40]
    assert store.events(CALENDAR, START, END, dt.UTC, limit=40, offset=40) == everything[40:80]
    batches = list(store.iter_events(CALENDAR, START, END, dt.UTC, batch=50))
    assert [len(b) for b in batches] == [50, 50, len(everything) - 100]
    assert [e for b in batches for e in b] == everything
    # A start decrypts one screen first, then bigger batches.
    small_first = list(store.iter_events(CALENDAR, START, END, dt.UTC, batch=50, first=7))
    assert [len(b) for b in small_first] == [7, 50, 50, len(everything) - 107]
    assert [e for b in small_first for e in b] == everything


def test_a_window_reads_only_overlapping_events(store: CacheStore, events: list[Event]) -> None:
    store.put_round(CALENDAR, START, END, Round(events))
    day_start = START + dt.timedelta(days=3, hours=9, minutes=10)
    day_end = day_start + dt.timedelta(hours=2)
    expected = [e for e in _by_start(events)
                if e.start and e.end and e.start < day_end and e.end > day_start]
    assert expected
    assert store.events(CALENDAR, day_start, day_end, dt.UTC) == expected
    assert store.count(CALENDAR, day_start, day_end) == len(expected)


def test_a_long_event_that_began_before_the_window_is_found(
        store: CacheStore, events: list[Event]) -> None:
    long = dataclasses.replace(events[0], start=START - dt.timedelta(days=30),
                               end=START + dt.timedelta(days=5))
    store.put_round(CALENDAR, START - dt.timedelta(days=60), END, Round([long]))
    found = store.events(CALENDAR, START + dt.timedelta(days=4), END, dt.UTC)
    assert [e.id for e in found] == [long.id]


def test_an_incremental_round_upserts_and_removes(store: CacheStore, events: list[Event]) -> None:
    store.put_round(CALENDAR, START, END, Round(events))
    moved = dataclasses.replace(events[1], subject="Moved and renamed")
    same = events[2]
    new = dataclasses.replace(events[3], ref=dataclasses.replace(events[3].ref, event_id="NEW"))
    applied = store.put_round(CALENDAR, START, END, Round(
        [moved, same, new], removed=[events[0].id, "never-seen"], full=False,
        delta_link="https://graph.test/delta?$deltatoken=second"))
    assert (applied.added, applied.changed, applied.removed) == (1, 1, 1)
    back = {e.id: e for e in store.events(CALENDAR, START, END, dt.UTC)}
    assert events[0].id not in back
    assert back[moved.id].subject == "Moved and renamed"
    assert back["NEW"] == new
    assert len(back) == len(events)
    assert store.delta_link(CALENDAR, START, END) == "https://graph.test/delta?$deltatoken=second"


def test_a_full_round_replaces_the_window_and_keeps_other_windows(
        store: CacheStore, events: list[Event]) -> None:
    later_start, later_end = END, END + dt.timedelta(days=14)
    later = [dataclasses.replace(
        e, ref=dataclasses.replace(e.ref, event_id=f"later-{i}"),
        start=(e.start or START) + dt.timedelta(days=14),
        end=(e.end or START) + dt.timedelta(days=14)) for i, e in enumerate(events[:5])]
    store.put_round(CALENDAR, later_start, later_end, Round(later))
    store.put_round(CALENDAR, START, END, Round(events))
    applied = store.put_round(CALENDAR, START, END, Round(events[:10]))
    assert (applied.added, applied.changed, applied.removed) == (0, 0, len(events) - 10)
    assert len(store.events(CALENDAR, START, END, dt.UTC)) == 10
    assert store.events(CALENDAR, later_start, later_end, dt.UTC) == later


def test_calendars_are_kept_apart(store: CacheStore, events: list[Event]) -> None:
    other = CalendarRef(ME, "AAMkOtherCalendar")
    store.put_round(CALENDAR, START, END, Round(events[:3]))
    store.put_round(other, START, END, Round(events[3:5]))
    assert [e.id for e in store.events(other, START, END, dt.UTC)] == [
        e.id for e in _by_start(events[3:5])]
    assert store.count(CALENDAR, START, END) == 3
    assert store.count(CalendarRef(Mailbox("user", "adele@contoso.test")), START, END) == 0


def test_a_cancel_in_the_app_shows_at_once(store: CacheStore, events: list[Event]) -> None:
    master = "SERIES-MASTER-ID"
    occurrences = [dataclasses.replace(e, type="occurrence", series_master_id=master)
                   for e in events[:3]]
    store.put_round(CALENDAR, START, END, Round([*occurrences, *events[3:6]]))
    assert store.mark_cancelled(events[3].id) == 1
    back = {e.id: e for e in store.events(CALENDAR, START, END, dt.UTC)}
    assert back[events[3].id].is_cancelled and not back[events[4].id].is_cancelled
    assert store.remove_event(master) == 3
    assert store.remove_event(events[4].id) == 1
    assert {e.id for e in store.events(CALENDAR, START, END, dt.UTC)} == {
        events[3].id, events[5].id}
    # The next sync is the truth again.
    store.put_round(CALENDAR, START, END, Round(events[3:4], full=False))
    assert not store.events(CALENDAR, START, END, dt.UTC, limit=1)[0].is_cancelled


def test_freshness_delta_links_and_windows(store: CacheStore, events: list[Event]) -> None:
    assert store.synced_at(CALENDAR, START, END) is None
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    store.put_round(CALENDAR, START, END, Round(events[:2]))
    synced = store.synced_at(CALENDAR, START, END)
    assert synced is not None and synced >= before
    inner = store.synced_at(CALENDAR, START + dt.timedelta(days=1), END - dt.timedelta(days=1))
    assert inner == synced
    assert store.synced_at(CALENDAR, START, END + dt.timedelta(days=1)) is None
    assert store.delta_link(CALENDAR, START, END + dt.timedelta(days=1)) is None
    [window] = store.windows()
    assert (window.calendar, window.start, window.end) == (CALENDAR, START, END)
    assert window.delta_link == Round().delta_link
    store.forget_window(CALENDAR, START, END)
    assert store.delta_link(CALENDAR, START, END) is None
    assert store.windows() == []


def test_tree_and_last_view_round_trip(store: CacheStore) -> None:
    tree = CachedTree(
        calendar_groups=((CalendarGroup("g1", "My Calendars"),
                          (Calendar("c1", "Calendar", "Megan", "megan@contoso.test", True, True),
                           Calendar("c2", "Birthdays", "Megan", "megan@contoso.test", False,
                                    False))),),
        groups=(Group("grp", "Sales", "sales@contoso.test"),),
    )
    assert store.tree(ME) is None
    store.put_tree(ME, tree)
    cached = store.tree(ME)
    assert cached is not None and cached[0] == tree
    assert store.tree(Mailbox("user", "adele@contoso.test")) is None
    view = LastView(CalendarRef(Mailbox("group", "grp")), dt.date(2026, 11, 23), 14, "week")
    store.save_last_view(view)
    assert store.last_view() == view


def test_opened_mailboxes_round_trip_with_the_tree(store: CacheStore) -> None:
    adele = Mailbox("user", "adele@contoso.test")
    shared = Mailbox("user", "3f1c2a9e-0000-4e8a-9c61-2d5f8a0b7c14")
    tree = CachedTree(((CalendarGroup("g1", "My Calendars"), ()),), users=(
        MailboxSection(adele, "Adele Vance", ((CalendarGroup("ga", "My Calendars"), (
            (CalendarRef(adele), Calendar("a1", "Calendar", "Adele Vance",
                                          "adele@contoso.test", False, True)),
            (CalendarRef(adele, "a2"), Calendar("a2", "Travel", "Adele Vance",
                                                "adele@contoso.test", False, False)))),)),
        # Only her default calendar shared: no calendar group.
        MailboxSection(shared, "Lee Gu", ((None, ((CalendarRef(shared), Calendar(
            "s1", "Calendar", "Lee Gu", "lee@contoso.test", False, True)),)),)),
    ))
    store.put_tree(ME, tree)
    cached = store.tree(ME)
    assert cached is not None and cached[0] == tree


def test_a_calendar_is_one_whatever_url_form_or_case_reached_it(
    store: CacheStore, events: list[Event]
) -> None:
    via_group = CalendarRef(Mailbox("user", "Adele@Contoso.test"), "cal-1", "group-1")
    direct = CalendarRef(Mailbox("user", "adele@contoso.test"), "cal-1")
    store.put_round(via_group, START, END, Round(events[:3]))
    assert store.count(direct, START, END) == 3
    assert store.synced_at(direct, START, END) is not None
    assert store.count(CalendarRef(Mailbox("user", "adele@contoso.test"), "cal-2"),
                       START, END) == 0
    assert store.count(CalendarRef(Mailbox("user", "adele@contoso.test")), START, END) == 0
    assert store.count(CalendarRef(ME, "cal-1"), START, END) == 0


def test_clear_empties_everything(store: CacheStore, events: list[Event]) -> None:
    store.put_round(CALENDAR, START, END, Round(events))
    store.save_last_view(LastView(CALENDAR, START.date(), 14))
    store.clear()
    assert store.count(CALENDAR, START, END) == 0
    assert store.windows() == [] and store.last_view() is None


def test_session_cache_lives_in_memory_only(tmp_path: Path, key: bytes) -> None:
    cache = CacheStore(None, FernetCipher(key), OWNER)
    cache.put_round(CALENDAR, START, END, Round(bulk_events(5)))
    assert cache.count(CALENDAR, START, END) == 5
    assert not cache.persistent
    assert list(tmp_path.iterdir()) == []


def test_an_event_repeated_in_a_round_counts_once_and_the_last_wins(
        store: CacheStore, events: list[Event]) -> None:
    renamed = dataclasses.replace(events[0], subject="Second version")
    applied = store.put_round(CALENDAR, START, END, Round([events[0], events[1], renamed]))
    assert (applied.added, applied.changed, applied.removed) == (2, 0, 0)
    subjects = {e.id: e.subject for e in store.events(CALENDAR, START, END, dt.UTC)}
    assert subjects[events[0].id] == "Second version"


def test_the_owner_of_a_signed_in_user() -> None:
    from tui.auth.provider import Identity
    from tui.cache import Owner

    owner = Owner.of(Identity("megan@contoso.test", "tid", "uid.tid"))
    assert owner == Owner("uid.tid", "megan@contoso.test", "tid")
    assert owner.identity == Owner("UID.TID", "other name", "TID").identity


def test_a_mailbox_target_is_its_default_calendar(store: CacheStore, events: list[Event]) -> None:
    group = Mailbox("group", "0b7f-sales")
    store.put_round(group, START, END, Round(events[:4]))
    assert store.count(CalendarRef(group), START, END) == 4
    assert store.delta_link(group, START, END) == Round().delta_link
    [window] = store.windows()
    assert window.calendar == CalendarRef(group)
    assert store.count(ME, START, END) == 0
