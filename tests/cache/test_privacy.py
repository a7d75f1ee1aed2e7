"""What reaches the disk: nothing readable when the keyring is available; private modes."""

from __future__ import annotations

import dataclasses
import stat
import sys
from pathlib import Path

import pytest

from tests.cache.conftest import CALENDAR, END, OWNER, START, Round, bulk_events
from tui.cache import CachedTree, CacheStore, LastView, MailboxSection, cache_path, open_cache
from tui.config import Settings, load_settings
from tui.graph.models import Calendar, CalendarGroup, Event
from tui.graph.urls import CalendarRef, Mailbox
from tui.secrets.keyring_access import KeyringUnavailable

DELTA = "https://graph.microsoft.com/v1.0/users/adele.vance@contoso.test/calendarView/delta?$deltatoken=SECRETTOKEN123"


def settings(**flags: str) -> Settings:
    return load_settings(flags, environ={}, path=Path("/nonexistent/config.toml"))


def _secrets(events: list[Event]) -> set[str]:
    words = {"adele.vance@contoso.test", "SECRETTOKEN123", "Quarterly layoffs planning",
             "Private Calendar Name", OWNER.username, "Adele Vance-Holloway",
             "Adele's offsite with the lawyers", "Adele Litigation Calendar",
             "Seen on the last screen only", "Megan Bowen-Signed-In"}
    for event in events[:20]:
        words.update({event.subject, event.location, event.body_preview.splitlines()[0], event.id,
                      event.organizer.name, event.organizer.address})
        words.update(a.person.name for a in event.attendees)
        words.update(a.person.address for a in event.attendees)
    return {w for w in words if len(w) >= 6}


def _fill(cache: CacheStore) -> list[Event]:
    events = bulk_events(200)
    events[0] = dataclasses.replace(events[0], subject="Quarterly layoffs planning")
    other = CalendarRef(Mailbox("user", "adele.vance@contoso.test"), "AAMkPrivate")
    cache.put_round(CALENDAR, START, END, Round(events))
    cache.put_round(other, START, END, Round(events[:5], delta_link=DELTA))
    cache.put_tree(Mailbox("user", "adele.vance@contoso.test"), CachedTree(((
        CalendarGroup("g", "My Calendars"),
        (Calendar("AAMkPrivate", "Private Calendar Name", "Adele", "adele.vance@contoso.test",
                  False, False),)),)))
    # A mailbox opened with `u`: its section (under her name) in the user's tree, and events
    # of hers reached through her default calendar.
    hers = CalendarRef(Mailbox("user", "adele.vance@contoso.test"))
    offsite = dataclasses.replace(events[7], subject="Adele's offsite with the lawyers")
    cache.put_round(hers, START, END, Round([offsite]))
    cache.put_tree(Mailbox(), CachedTree((), users=(MailboxSection(
        hers.mailbox, "Adele Vance-Holloway", ((None, (
            (hers, Calendar("AAMkLit", "Adele Litigation Calendar", "Adele Vance-Holloway",
                            "adele.vance@contoso.test", False, True)),)),)),)))
    cache.save_last_view(LastView(other, START.date(), 14, "agenda"))
    # The last frame the app showed: screen text, sealed like the rest.
    cache.save_signed_in("Megan Bowen-Signed-In <megan@contoso.test>")
    cache.save_frame("fit", b'{"lines":[["Seen on the last screen only",0]]}')
    return events


def _on_disk(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.iterdir()
                    if p.name.startswith(path.name) and p.is_file())


@pytest.mark.usefixtures("memory_keyring")
def test_no_calendar_text_is_readable_in_the_files(tmp_path: Path) -> None:
    cache = open_cache(settings(), OWNER, tmp_path)
    assert cache is not None and cache.encrypted
    events = _fill(cache)
    path = cache_path("default", tmp_path)
    # While open, much of it is still in the -wal file; then after a checkpoint and close.
    assert path.with_name(path.name + "-wal").stat().st_size > 0
    for data in (_on_disk(path), None):
        if data is None:
            cache.close()
            data = _on_disk(path)
        for word in _secrets(events):
            for encoding in ("utf-8", "utf-16-le"):
                assert word.encode(encoding) not in data, word


class _Identity:
    """A cipher that seals nothing: shows the scan above would see text if it were there."""

    encrypted = True

    def seal(self, data: bytes) -> bytes:
        return data

    def open(self, data: bytes) -> bytes:
        return data

    def digest(self, data: bytes) -> bytes:
        return data[-16:].ljust(16, b"\0")


def test_the_scan_finds_text_that_is_not_sealed(tmp_path: Path) -> None:
    path = cache_path("default", tmp_path)
    cache = CacheStore(path, _Identity(), OWNER)
    events = _fill(cache)
    data = _on_disk(path)
    found = [w for w in _secrets(events) if w.encode() in data]
    missing = _secrets(events) - set(found)
    assert not missing, missing
    cache.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
@pytest.mark.usefixtures("memory_keyring")
def test_directory_and_files_are_private() -> None:
    cache = open_cache(settings(), OWNER)
    assert cache is not None and cache.path is not None
    _fill(cache)
    assert stat.S_IMODE(cache.path.parent.stat().st_mode) == 0o700
    for suffix in ("", "-wal", "-shm"):
        each = cache.path.with_name(cache.path.name + suffix)
        assert each.exists() and stat.S_IMODE(each.stat().st_mode) == 0o600, each
    cache.close()


def test_the_key_lives_in_the_keyring_under_its_own_entry(
        tmp_path: Path, memory_keyring: dict[tuple[str, str], str]) -> None:
    cache = open_cache(settings(profile="work"), OWNER, tmp_path)
    assert cache is not None
    assert set(memory_keyring) == {("cal365", "calendar-cache-key:work")}
    cache.close()
    again = open_cache(settings(profile="work"), OWNER, tmp_path)
    assert again is not None and again.take_notices() == []


def test_a_wiped_keyring_moves_the_cache_aside(
        tmp_path: Path, memory_keyring: dict[tuple[str, str], str]) -> None:
    cache = open_cache(settings(), OWNER, tmp_path)
    assert cache is not None
    _fill(cache)
    cache.close()
    memory_keyring.clear()
    again = open_cache(settings(), OWNER, tmp_path)
    assert again is not None
    [notice] = again.take_notices()
    assert "does not open with the key" in notice and "moved to" in notice
    assert again.count(CALENDAR, START, END) == 0


def test_no_keyring_is_an_error_never_a_plain_file(tmp_path: Path) -> None:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailable):
            open_cache(settings(), OWNER, tmp_path)
        assert not cache_path("default", tmp_path).exists()
        # The explicit choices work without a keyring.
        session = open_cache(settings(cache="session"), OWNER, tmp_path)
        assert session is not None and not session.persistent
        assert not cache_path("default", tmp_path).exists()
        plain = open_cache(settings(cache="plaintext"), OWNER, tmp_path)
        assert plain is not None and plain.persistent and not plain.encrypted
        assert open_cache(settings(cache="off"), OWNER, tmp_path) is None
    finally:
        keyring.set_keyring(previous)


def test_plaintext_tokens_mean_a_plaintext_cache_unless_set(tmp_path: Path) -> None:
    assert settings(token_storage="plaintext").cache == "plaintext"
    assert settings(token_storage="session").cache == "session"
    assert settings(token_storage="plaintext", cache="session").cache == "session"
    assert settings().cache == "keyring"


def test_the_messages_offer_the_cache_choices_and_warn_about_plaintext(tmp_path: Path) -> None:
    from tui.cache import keyring_advice, plaintext_warning

    advice = keyring_advice(KeyringUnavailable("no D-Bus session bus"), "linux")
    assert "no D-Bus session bus" in advice and "dbus-run-session" in advice
    assert "--cache session" in advice and "--cache plaintext" in advice
    assert "--no-cache" in advice
    assert plaintext_warning(settings(), tmp_path) is None
    warning = plaintext_warning(settings(cache="plaintext"), tmp_path)
    assert warning is not None and "UNENCRYPTED" in warning
    assert str(cache_path("default", tmp_path)) in warning


def test_naive_times_are_refused(tmp_path: Path) -> None:

    cache = open_cache(settings(cache="session"), OWNER, tmp_path)
    assert cache is not None
    with pytest.raises(ValueError, match="time zone"):
        cache.count(CALENDAR, START.replace(tzinfo=None), END)
