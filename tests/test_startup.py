"""The collector pause around start-up: paused once, resumed once, and never turned on when
something else had turned it off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui.startup import collector as startup


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    startup._paused = False
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_until_resumed_then_start_up_objects_are_frozen() -> None:
    gc.enable()
    startup.pause_collection()
    assert not gc.isenabled()
    startup.resume_collection()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    gc.disable()  # a second resume does nothing
    startup.resume_collection()
    assert not gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    startup.pause_collection()
    startup.resume_collection()
    assert not gc.isenabled()
