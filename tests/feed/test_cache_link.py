"""The screen's link to the cache, without the screen: what is kept, and when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography.fernet import Fernet

from tests.cache.conftest import OWNER
from tui.cache import CacheError, CacheStore
from tui.cache.cipher import FernetCipher
from tui.feed.cache import CacheLink
from tui.graph import ME, Calendar, CalendarGroup, CalendarRef, GraphClient, Mailbox

GROUP = CalendarGroup("g1", "My Calendars")
CALENDAR = Calendar("c1", "Calendar", True, True, "Megan", "megan@contoso.test")
SECTION = [(GROUP, [(CalendarRef(ME, "c1", "g1"), CALENDAR)])]


def _store(tmp_path: Path) -> CacheStore:
    return CacheStore(tmp_path / "link.sqlite3", FernetCipher(Fernet.generate_key()), OWNER)


async def test_sections_listed_before_the_cache_opens_are_kept_once_it_does(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    link = CacheLink(lambda: store, GraphClient("https://graph.test/v1.0", "t"), dt.UTC, ME)
    assert link.keep_section("me", SECTION) is None  # no cache, none opening: nothing kept
    link.beside = True
    assert link.keep_section("me", SECTION) is None  # opening: kept for later
    assert link.keep_section("elsewhere", SECTION) is None  # not a section of the pane
    opened = link.open()
    assert opened.store is store and opened.tree is None and not opened.problem
    link.use(store)
    for key, section, title in link.unsaved():
        save = link.keep_section(key, section, title)
        assert save is not None
        await save
    assert link.unsaved() == []
    found = store.tree(ME)
    assert found is not None and found[0].calendar_groups == ((GROUP, (CALENDAR,)),)
    store.close()


def test_a_cache_that_cannot_open_is_a_problem_to_say_not_an_error() -> None:
    def refuse() -> CacheStore | None:
        raise CacheError("the calendar cache is locked by another program")

    link = CacheLink(refuse, GraphClient("https://graph.test/v1.0", "t"), dt.UTC,
                     Mailbox("user", "jonas@contoso.test"))
    opened = link.open()
    assert opened.store is None and "locked" in opened.problem
    assert link.sync is None and link.cancelled("e1") is None and not link.persistent
