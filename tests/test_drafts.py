"""Cancel-comment drafts survive failures and restarts, privately; a bad file is moved aside."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tui.actions.drafts import FILE_NAME, Drafts, DraftsError


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAL365_HOME", str(tmp_path / "home"))
    return tmp_path / "home" / "state"


def test_drafts_are_saved_on_every_change_and_restored_on_the_next_start(home: Path) -> None:
    drafts = Drafts.load()
    assert len(drafts) == 0 and drafts.problem is None
    drafts.put("me", "AAMk1/x+y=", "Moving this to Thursday")
    assert Drafts.load().get("me", "AAMk1/x+y=") == "Moving this to Thursday"
    drafts.put("jonas@f.test", "AAMk1/x+y=", "Other mailbox, same id")
    drafts.put("me", "AAMk1/x+y=", "Moving this to Friday")
    restored = Drafts.load()
    assert restored.get("me", "AAMk1/x+y=") == "Moving this to Friday"
    assert restored.get("jonas@f.test", "AAMk1/x+y=") == "Other mailbox, same id"
    restored.discard("me", "AAMk1/x+y=")
    assert Drafts.load().get("me", "AAMk1/x+y=") is None
    assert sorted(Drafts.load()) == [("jonas@f.test", "AAMk1/x+y=", "Other mailbox, same id")]


def test_the_file_is_private(home: Path) -> None:
    Drafts.load().put("me", "E1", "secret plans")
    path = home / FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_an_empty_text_removes_the_draft_but_whitespace_is_kept(home: Path) -> None:
    drafts = Drafts.load()
    drafts.put("me", "E1", "  \n")
    assert Drafts.load().get("me", "E1") == "  \n"
    drafts.put("me", "E1", "")
    assert Drafts.load().get("me", "E1") is None


def test_long_and_odd_comments_round_trip(home: Path) -> None:
    text = "\x00\x1b[31mred\x1b[0m \u202eRTL\u200b " + "ж" * 100_000 + " [bold]x[/]"
    Drafts.load().put("a#EXT#@f.test", "id'with\"quotes", text)
    assert Drafts.load().get("a#EXT#@f.test", "id'with\"quotes") == text


@pytest.mark.parametrize("content", [
    b"{not json", b"\xff\xfe garbage", b"[]", b'{"version": 99, "drafts": []}',
    b'{"version": 1, "drafts": {}}', b'{"version": 1, "drafts": [{"mailbox": "me"}]}',
    b'{"version": 1, "drafts": ["x"]}', b"",
])
def test_a_corrupt_file_is_moved_aside_with_a_clear_message(home: Path, content: bytes) -> None:
    home.mkdir(parents=True)
    path = home / FILE_NAME
    path.write_bytes(content)
    drafts = Drafts.load()
    assert len(drafts) == 0
    assert drafts.problem is not None and "could not be read" in drafts.problem
    assert drafts.recovered is not None and drafts.recovered.moved_to is not None
    assert str(drafts.recovered.moved_to) in drafts.problem
    assert drafts.recovered.moved_to.read_bytes() == content  # kept, never deleted
    assert not path.exists()
    drafts.put("me", "E1", "fresh start")
    assert json.loads(path.read_text())["drafts"] == [
        {"mailbox": "me", "event": "E1", "text": "fresh start"}]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_failed_save_raises_a_clear_error_and_keeps_the_draft(home: Path) -> None:
    drafts = Drafts.load()
    drafts.put("me", "E1", "first")
    home.chmod(0o500)
    try:
        with pytest.raises(DraftsError, match="could not save comment drafts"):
            drafts.put("me", "E1", "second")
    finally:
        home.chmod(0o700)
    assert drafts.get("me", "E1") == "second"


def test_a_failed_save_raises_a_clear_error_and_keeps_the_draft_anywhere(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the state directory should be")
    drafts = Drafts.load(blocker / FILE_NAME)
    with pytest.raises(DraftsError, match="could not save comment drafts"):
        drafts.put("me", "E1", "typed text")
    assert drafts.get("me", "E1") == "typed text"


def test_two_running_copies_and_the_cli_never_undo_each_others_drafts(home: Path) -> None:
    first, second = Drafts.load(), Drafts.load()  # two terminals, both started empty
    first.put("me", "E1", "typed in the first terminal")
    second.put("me", "E2", "typed in the second")
    assert sorted(Drafts.load()) == [("me", "E1", "typed in the first terminal"),
                                     ("me", "E2", "typed in the second")]
    Drafts.load().discard_events("me", ["E1"])  # `cal365 cancel E1` went through
    first.put("me", "E3", "another one")  # must not bring E1's draft back
    assert sorted(Drafts.load()) == [("me", "E2", "typed in the second"),
                                     ("me", "E3", "another one")]
    assert first.get("me", "E1") is None and first.get("me", "E2") == "typed in the second"


def test_drafts_of_one_mailbox_under_several_names_are_filed_under_one_key(home: Path) -> None:
    upn, oid, address = "user:jonas@f.test", "user:b8a3-oid", "user:jonas.berg@f.test"
    drafts = Drafts.load()
    drafts.put(upn, "E1", "typed while opened by UPN")
    drafts.put("me", "E1", "my own mailbox is not touched")
    drafts.same_mailbox({upn, address}, oid)
    for name in (upn, oid, address):
        assert drafts.get(name, "E1") == "typed while opened by UPN"
        assert drafts.mailbox_key(name) == oid and drafts.knows(name)
    assert drafts.get("me", "E1") == "my own mailbox is not touched"
    assert not drafts.knows("user:someone-else")
    # The next start (or `cal365 cancel`) finds it by any name: the aliases are in the file.
    restored = Drafts.load()
    assert restored.get(address, "E1") == "typed while opened by UPN"
    restored.put(upn, "E2", "second")
    assert sorted(Drafts.load()) == [("me", "E1", "my own mailbox is not touched"),
                                     (oid, "E1", "typed while opened by UPN"),
                                     (oid, "E2", "second")]
    restored.discard_events(address, ["E1", "E2"])
    assert sorted(Drafts.load()) == [("me", "E1", "my own mailbox is not touched")]


def test_two_drafts_of_one_event_under_two_names_are_both_kept(home: Path) -> None:
    drafts = Drafts.load()
    drafts.put("user:b8a3-oid", "E1", "typed by object id")
    drafts.put("user:jonas@f.test", "E1", "typed by UPN")
    drafts.same_mailbox({"user:jonas@f.test"}, "user:b8a3-oid")
    assert drafts.get("user:jonas@f.test", "E1") == "typed by object id\n\ntyped by UPN"
    assert len(Drafts.load()) == 1


def test_the_key_chosen_first_stays_when_the_mailbox_is_named_again(home: Path) -> None:
    # Without the profile permission the owner's address was the key; a later look-up that
    # learns the object id keeps that key, and every name leads there.
    drafts = Drafts.load()
    drafts.put("user:b8a3-oid", "E1", "kept")
    drafts.same_mailbox({"user:b8a3-oid"}, "user:jonas@f.test")
    drafts.same_mailbox({"user:jonas@f.test", "user:jonas.berg@f.test"}, "user:b8a3-oid")
    for name in ("user:b8a3-oid", "user:jonas@f.test", "user:jonas.berg@f.test"):
        assert drafts.mailbox_key(name) == "user:jonas@f.test"
        assert drafts.get(name, "E1") == "kept"


def test_a_copy_that_learned_no_names_still_files_under_the_key(home: Path) -> None:
    older = Drafts.load()  # e.g. a second terminal started before the mailbox was named
    newer = Drafts.load()
    newer.same_mailbox({"user:jonas@f.test"}, "user:b8a3-oid")
    older.put("user:jonas@f.test", "E1", "from the other terminal")
    assert Drafts.load().get("user:b8a3-oid", "E1") == "from the other terminal"
    assert sorted(Drafts.load()) == [("user:b8a3-oid", "E1", "from the other terminal")]


def test_a_file_without_aliases_still_loads_and_bad_aliases_are_moved_aside(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home / FILE_NAME
    path.write_text(json.dumps({"version": 1, "drafts": [
        {"mailbox": "user:jonas@f.test", "event": "E1", "text": "old"}]}))
    assert Drafts.load().get("user:jonas@f.test", "E1") == "old"
    path.write_text(json.dumps({"version": 1, "drafts": [], "aliases": {"user:x": 3}}))
    broken = Drafts.load()
    assert broken.problem is not None and "aliases" in broken.problem
