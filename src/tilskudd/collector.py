"""Pausing Python's cycle collector around work that builds a round's worth of objects.

Reading, validating, allocating and writing 100 000 applications each make hundreds of
thousands of small objects with no reference cycles among them; reference counting frees them.
The cycle collector would still walk all of them, again and again as the heap grows (measured:
a rule 3.6 -> 1.8 s, the workbook about 1 s, a whole command 0.3-0.6 s at 100 000
applications). So the heavy steps run inside :func:`collector_paused`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["HANDED_ON", "collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cycle collector paused; afterwards it is as it was.

    When the block paused it (it was running before) and left many objects behind (at least
    :data:`HANDED_ON`: a round's worth), they are handed to the collector's oldest generation
    unexamined (``gc.freeze()`` then ``gc.unfreeze()``: nothing stays frozen): else the first
    allocation after re-enabling would walk all of them as the young generation, to find no
    cycles (0.28 s after a 100 000-application command). Cycles made before the block are then
    found by the next full collection instead. Fewer are left to the young generation, as
    usual: the oldest is collected only now and then, so a program that runs many small blocks
    (a test suite, a service allocating round after round) would otherwise keep every cycle
    they left, an error's traceback and what its frames hold, to a full collection that may
    not come (5 GB over a test suite's run). Skipped when the program froze objects of its
    own, which unfreezing would release. Nested uses do nothing.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] >= HANDED_ON and not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        gc.enable()


HANDED_ON = 50_000
"""How many objects a block must leave behind for :func:`collector_paused` to hand them to the
oldest generation unexamined. Walking fewer costs the young generation's next collection a few
milliseconds at most. Measured at the end of `allocate -o x.xlsx`'s blocks: a round of 1 000
applications leaves 20 000 to 30 000 objects, one of 10 000 60 000 to 80 000."""
