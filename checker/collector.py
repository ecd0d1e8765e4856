"""How the cyclic garbage collector runs while reports are checked one after another.

A check makes a few thousand small objects that live as long as the check does (a report's
cells and their places, tokens, facts) and leaves no reference cycles behind: reference counting
frees all of it. CPython's default threshold runs a young-generation pass every 700 net
allocations: about one inside every check, walking the report's live cells, and every tenth pass
moves the survivors into an older generation that is walked again later. While a batch runs (a
folder, an audit's workers) the young threshold is raised so that a pass comes every few reports
instead. The collector still runs and still frees any cycle; a check does ~3% fewer instructions
(benchmarks/instructions.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BATCH_THRESHOLD = 10_000  # net allocations between young passes (5,000 and 20,000 measured the same)


def for_batch() -> None:
    """For a process that only checks reports (an audit's worker): keep the raised threshold."""
    gc.set_threshold(BATCH_THRESHOLD, *gc.get_threshold()[1:])


@contextmanager
def batch() -> Iterator[None]:
    """The raised threshold while the block runs; the caller's own afterwards (tests and library
    users run the CLI in process)."""
    old = gc.get_threshold()
    gc.set_threshold(max(BATCH_THRESHOLD, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
