"""Every field of an event survives the cache, whatever shape the event has."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cache.conftest import bulk_events
from tui.cache import codec
from tui.graph import jsonpages
from tui.graph.models import Attendee, Event, Person
from tui.graph.recurrence import Recurrence
from tui.graph.urls import CalendarRef, EventRef, Mailbox

BERLIN = ZoneInfo("Europe/Berlin")
SERIES = Recurrence("relativeMonthly", 2, ("monday", "friday"), 0, 0, "last", "endDate",
                    "2026-01-05", "2027-01-05", 0)


def _round_trip(event: Event, tz: dt.tzinfo = BERLIN) -> Event:
    return codec.event_from(codec.loads(codec.dumps(codec.event_json(event))), tz)


def _fields(event: Event) -> dict[str, object]:
    return {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}


def test_a_realistic_event_comes_back_equal() -> None:
    event = bulk_events(1, days=1, tz=BERLIN)[0]
    back = _round_trip(event)
    assert _fields(back) == _fields(event)
    assert back.start is not None and back.start.utcoffset() == dt.timedelta(hours=1)


def test_series_masters_all_day_events_and_other_mailboxes() -> None:
    base = bulk_events(1, days=1)[0]
    group = Mailbox("group", "0b7f-group")
    master = dataclasses.replace(
        base, ref=EventRef("MASTER", group, CalendarRef(group)), type="seriesMaster",
        recurrence=SERIES, is_all_day=True,
        start=dt.datetime(2026, 12, 24, tzinfo=BERLIN),
        end=dt.datetime(2026, 12, 25, tzinfo=BERLIN))
    back = _round_trip(master, dt.UTC)
    assert back == master and back.recurrence == SERIES
    # All-day events keep their own dates, whatever zone the reader asks for.
    assert back.start is not None and back.start.date() == dt.date(2026, 12, 24)
    loose = dataclasses.replace(base, ref=EventRef("LOOSE", Mailbox("user", "adele@x.test")),
                                start=None, end=None, series_master_id="S", type="occurrence")
    assert _round_trip(loose) == loose


texts = st.text(max_size=30)
_BASE = bulk_events(1, days=1)[0]


@given(subject=texts, name=texts, address=texts, preview=st.text(max_size=200),
       response=st.sampled_from(["none", "accepted", "declined"]),
       cancelled=st.booleans(), minutes=st.integers(-10**6, 10**6))
def test_any_text_and_time_round_trips(subject: str, name: str, address: str, preview: str,
                                       response: str, cancelled: bool, minutes: int) -> None:
    start = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    event = dataclasses.replace(
        _BASE, subject=subject, body_preview=preview, is_cancelled=cancelled,
        organizer=Person(name, address), start=start, end=start + dt.timedelta(minutes=30),
        attendees=(Attendee(Person(name, address), "optional", response),))
    assert _round_trip(event, dt.UTC) == event



def test_a_lone_surrogate_from_graph_does_not_break_caching() -> None:
    import json

    subject = json.loads('"Launch \\ud83d"')
    event = dataclasses.replace(_BASE, subject=subject)
    assert _round_trip(event, dt.UTC).subject == subject


def test_the_fields_graph_sent_unreadable_are_still_named_from_the_cache() -> None:
    base = bulk_events(1, days=1)[0]
    odd = dataclasses.replace(base, start=None, location="", unreadable=("start", "location"))
    back = _round_trip(odd)
    assert back.unreadable == ("start", "location")
    assert back.start is None and _fields(back) == _fields(odd)
    assert _round_trip(base).unreadable == ()  # a whole event says nothing of the kind


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _json_reading(data: bytes) -> object:
    """How rows were read before the quicker decoder: json, surrogates cleaned."""
    text = data.decode("utf-8", "surrogatepass")
    value = json.loads(text)
    return jsonpages.clean(value) if jsonpages.has_surrogate(text) else value


@given(_json_values)
def test_a_row_reads_as_the_json_reading_does(value: object) -> None:
    data = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    assert codec.read(data) == _json_reading(data)


@pytest.mark.parametrize("data", [
    b'{"s":"\\ud800"}', '{"s":"\ud800"}'.encode("utf-8", "surrogatepass"), b"[NaN]",
    b"[" + b"9" * 30 + b"]", b"[1e999]", b'{"a":1,"a":2}',
])
def test_odd_rows_read_as_the_json_reading_does(data: bytes) -> None:
    assert repr(codec.read(data)) == repr(_json_reading(data))
