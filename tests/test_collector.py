"""The collector pause every heavy step runs in."""

from __future__ import annotations

import gc
import weakref

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


class _Node:
    me: _Node | None = None


def test_a_small_blocks_cycles_are_left_to_the_young_generation() -> None:
    """A block that leaves few objects behind does not hand them to the oldest generation,
    where a cycle waits for a full collection: a test suite's thousands of small commands kept
    every error's traceback, and the 8 MB its frame held, that way (5 GB in all)."""
    gc.collect()
    with collector_paused():
        node = _Node()
        node.me = node
        gone = weakref.ref(node)
        del node
    gc.collect(0)
    assert gone() is None


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
