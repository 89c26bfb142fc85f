"""The collector pause every heavy step runs in."""

from __future__ import annotations

import gc

import pytest

from tilskudd.collector import collector_paused


def test_paused_inside_and_back_after_with_what_was_made_in_the_oldest_generation() -> None:
    gc.collect()
    with collector_paused():
        assert not gc.isenabled()
        made = [[index] for index in range(50_000)]
    assert gc.isenabled()
    assert gc.get_count()[0] < 1_000  # not 50 000 objects waiting as the young generation
    assert gc.get_freeze_count() == 0
    del made


def test_back_after_an_error_too() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_and_already_paused_leave_the_state_alone() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block did not turn it back on
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_the_program_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
