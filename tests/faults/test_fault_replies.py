"""Replies and deletes against the fake, alone and in $batch: each sent once, a lost answer
settled by a look, Graph's refusals told apart."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.faults.rig import Rig
from tui.fake import Fault
from tui.fake.model import Person
from tui.graph import EventRef, OrganizerCannotRespond, WriteNotSent, WriteOutcomeUnknown

ORGANIZER = Person("Noah Williams", "noah@example.test")


def _replies(rig: Rig, event_id: str) -> list[str]:
    return [r.reply for r in rig.fake.store.reply_log if r.event_id == event_id]


async def test_a_bulk_decline_of_40_invitations_uses_two_batches_and_replies_once_each(
    rig: Rig,
) -> None:
    refs = rig.meetings(40, organizer=ORGANIZER)
    bulk = rig.client.reply_many(refs, "decline", "Away that week")
    outcomes = [o async for o in bulk]
    assert Counter(o.status for o in outcomes) == {"done": 40}
    sizes = [len(json.loads(r.body)["requests"]) for r in rig.fake.requests
             if r.method == "POST" and r.path.endswith("/$batch") and not r.in_batch]
    assert sizes == [20, 20] and bulk.stats.batches == 2
    assert all(_replies(rig, r.event_id) == ["decline"] for r in refs)
    assert {r.comment for r in rig.fake.store.reply_log} == {"Away that week"}
    assert rig.fake.gate.peak[rig.fake.store.me_id] <= 4


async def test_a_reply_to_ones_own_meeting_is_refused_as_the_organizers(rig: Rig) -> None:
    (mine,) = rig.meetings(1)
    (theirs,) = rig.meetings(1, organizer=ORGANIZER)
    with pytest.raises(OrganizerCannotRespond):
        await rig.client.reply(mine, "accept", None)
    outcomes = {o.ref.event_id: o.status async for o in rig.client.reply_many(
        [mine, theirs, EventRef("AAMkGone")], "tentativelyAccept", None)}
    assert outcomes == {mine.event_id: "is_organizer", theirs.event_id: "done",
                        "AAMkGone": "not_found"}
    assert _replies(rig, mine.event_id) == [] and _replies(rig, theirs.event_id) == [
        "tentativelyAccept"]


@pytest.mark.parametrize("reply", ["accept", "decline"])
async def test_an_accept_or_decline_whose_answer_was_lost_is_settled_by_a_look(
    rig: Rig, reply: str
) -> None:
    (ref,) = rig.meetings(1, organizer=ORGANIZER)
    rig.fake.faults.add(Fault("reset_after", method="POST", path=f"/{reply}$"))
    outcome = await rig.client.reply(ref, reply, None)  # type: ignore[arg-type]
    assert outcome.checked and _replies(rig, ref.event_id) == [reply]


async def test_a_reply_that_never_went_is_said_so_and_sent_once_when_asked_again(
    rig: Rig,
) -> None:
    (ref,) = rig.meetings(1, organizer=ORGANIZER)  # accepted already
    rig.fake.faults.add(Fault("reset_before", method="POST", path="/tentativelyAccept$"))
    with pytest.raises(WriteNotSent, match="not tentatively accepted"):
        await rig.client.reply(ref, "tentativelyAccept", "maybe")
    assert _replies(rig, ref.event_id) == []
    assert not (await rig.client.reply(ref, "tentativelyAccept", "maybe")).checked
    assert _replies(rig, ref.event_id) == ["tentativelyAccept"]


async def test_a_lost_accept_of_an_accepted_invitation_never_claims_its_comment_went(
    rig: Rig,
) -> None:
    (ref,) = rig.meetings(1, organizer=ORGANIZER)  # accepted long before this send
    rig.fake.faults.add(Fault("reset_before", method="POST", path="/accept$"))
    with pytest.raises(WriteOutcomeUnknown):
        await rig.client.reply(ref, "accept", "See you there")
    assert _replies(rig, ref.event_id) == []


async def test_a_delete_whose_answer_was_lost_is_done_once_the_event_is_gone(rig: Rig) -> None:
    refs = rig.meetings(3)
    rig.fake.faults.add(Fault("reset_after", method="DELETE"))
    assert (await rig.client.delete_event(refs[0])).checked
    assert rig.fake.store.event_json(refs[0].event_id) is None
    outcomes = {o.ref.event_id: o.status async for o in rig.client.delete_many(refs)}
    assert outcomes == {refs[0].event_id: "not_found", refs[1].event_id: "done",
                        refs[2].event_id: "done"}
    assert all(rig.fake.store.event_json(r.event_id) is None for r in refs)
