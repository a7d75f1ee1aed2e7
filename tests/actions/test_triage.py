"""The main screen's triage state without an app: marks, toggles, sends, bulk answers."""

from __future__ import annotations

import dataclasses

from tests.actions.events import event as _event
from tui.actions.cancel import BulkAnswer
from tui.actions.outcome import Kind, classify_item
from tui.actions.triage import Triage, keeps
from tui.graph.batch import BatchItemOutcome, BatchStatus
from tui.graph.models import Event


def _answer(event: Event, status: BatchStatus, unaudited: str | None = None) -> BulkAnswer:
    item = BatchItemOutcome(event.ref, status)
    kind: Kind = classify_item(item)
    return BulkAnswer(event, item, kind, unaudited)


def test_a_mark_toggles_and_mark_all_keeps_the_marks_there() -> None:
    triage = Triage()
    a, b = _event("a"), _event("b")
    assert triage.toggle_mark(a) is True
    assert triage.toggle_mark(a) is False and not triage.marked
    triage.toggle_mark(b)
    triage.mark_all([a, b])
    assert list(triage.marked) == ["b", "a"]
    assert triage.unmark_all() is True and not triage.marked
    assert triage.unmark_all() is False


def test_marks_follow_a_sync_newest_version_kept_vanished_ones_unmarked() -> None:
    triage = Triage()
    for event_id in ("a", "b", "c"):
        triage.toggle_mark(_event(event_id))
    renamed = _event("a", subject="Renamed elsewhere")
    gone = triage.follow([renamed, _event("z")], ["b", "y"])
    assert gone == 1
    assert set(triage.marked) == {"a", "c"}
    assert triage.marked["a"].subject == "Renamed elsewhere"
    assert "z" not in triage.marked  # an unmarked event sent again stays unmarked


def test_a_bulk_cancel_sends_only_live_marks_one_organizes_unless_asked() -> None:
    triage = Triage()
    mine, theirs, off = _event("m"), _event("t", organizer=False), _event("o", cancelled=True)
    done = _event("d")
    for event in (mine, theirs, off, done):
        triage.toggle_mark(event)
    triage.cancelled(["d"])  # cancelled alone meanwhile
    live = triage.live_marks()
    assert [e.id for e in live] == ["m", "t", "o"]
    assert [e.id for e in triage.to_send(live, include_others=False)] == ["m"]
    assert [e.id for e in triage.to_send(live, include_others=True)] == ["m", "t", "o"]


def test_the_toggles_make_the_filter() -> None:
    triage = Triage()
    assert triage.keep is None
    events = [_event("mine"), _event("theirs", organizer=False),
              _event("off", cancelled=True), _event("no", response="declined")]
    triage.flip("mine")
    assert triage.keep is not None
    assert [e.id for e in events if triage.keep(e)] == ["mine", "off", "no"]
    triage.flip("cancelled")
    triage.flip("declined")
    assert [e.id for e in events if triage.keep(e)] == ["mine"]
    for name in ("mine", "cancelled", "declined"):
        triage.flip(name)
    assert triage.keep is None and not triage.toggles
    only_declined = keeps(["declined"])
    assert only_declined is not None
    assert [e.id for e in events if only_declined(e)] == ["mine", "theirs", "off"]


def test_one_send_per_event_at_a_time_and_busy_while_any_is_out() -> None:
    triage = Triage()
    assert not triage.busy
    assert triage.begin_send("a") is True
    assert triage.begin_send("a") is False  # never twice
    assert triage.busy
    triage.end_send("a")
    assert not triage.busy and triage.begin_send("a") is True


def test_bulk_answers_unmark_what_went_and_keep_the_rest_marked() -> None:
    triage = Triage()
    events = [_event(i) for i in "abcde"]
    triage.mark_all(events)
    triage.begin_bulk(len(events))
    assert triage.busy and triage.bulk.total == 5
    went = [triage.bulk_answered(_answer(e, status))
            for e, status in zip(events, ("done", "not_found", "refused", "failed",
                                          "unknown"), strict=True)]
    assert went == ["gone", "gone", "left", "left", "left"]
    assert set(triage.marked) == {"c", "d", "e"} and triage.gone == {"a", "b"}
    triage.bulk_answered(_answer(_event("f"), "done", unaudited="disk full"))
    # A reply that went changes the response and keeps the row; a decline takes it away.
    replied = [_event(i) for i in "gh"]
    triage.mark_all(replied)
    assert triage.bulk_answered(_answer(replied[0], "done"), "accept") == "answered"
    assert triage.bulk_answered(_answer(replied[1], "done"), "decline") == "gone"
    assert "g" not in triage.marked and "g" not in triage.gone and "h" in triage.gone
    assert triage.bulk.done_by_action() == {"cancel": 2, "accept": 1, "decline": 1}
    tally = triage.end_bulk()
    assert not triage.busy
    assert (tally.done, tally.left, tally.unaudited) == (4, 4, ["disk full"])


def test_a_new_bulk_cancel_starts_a_new_tally() -> None:
    triage = Triage()
    triage.begin_bulk(1)
    triage.bulk_answered(_answer(_event("a"), "failed", unaudited="no"))
    triage.end_bulk()
    triage.begin_bulk(2)
    assert triage.bulk.results == [] and triage.bulk.unaudited == [] and triage.bulk.running
    assert dataclasses.asdict(triage.bulk)["total"] == 2
