"""Work over many inputs in a pool of worker processes, the results handed back in input order as
they finish — so a caller can write each one out and let it go, and its memory stays flat however
many inputs there are. At most a few chunks per worker are in flight.

A worker that dies (killed, out of memory) breaks the pool and every chunk in flight with it:
those run again in a fresh pool; a chunk lost a second time runs input by input, each alone in a
pool of its own, and an input that kills its worker then is handed to `died`. The batch goes on."""

from __future__ import annotations

import contextlib
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator


def chunk_size(count: int, jobs: int) -> int:
    """Inputs per task: enough that a task is not mostly its hand-off, few enough that the
    workers stay evenly loaded to the end (eight tasks a worker, at most 16 inputs each)."""
    return max(1, min(16, count // (jobs * 8) or 1))


FORK_FROM = 200  # fewer items than this are done in the parent: forking costs more


def can_fork(count: int) -> bool:
    """Whether `count` items are worth a forked process (and this platform can fork one): forked
    children read the parent's data from memory they share, nothing pickled."""
    import multiprocessing

    return count >= FORK_FROM and "fork" in multiprocessing.get_all_start_methods()


def stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: queued work cancelled, running workers ended."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()


def ordered(
    work: Callable[[list], list],
    items: list,
    jobs: int,
    initializer: Callable,
    initargs: tuple,
    died: Callable[[object], object],
    size: int | None = None,
) -> Iterator[tuple[object, object]]:
    """(item, work's result for it) for every item, in order. `work` takes a list of items and
    returns a list of results (a module-level function, as the pool pickles it by name)."""
    size = size or chunk_size(len(items), jobs)
    waiting: deque = deque((tuple(items[i : i + size]), 0) for i in range(0, len(items), size))
    in_flight: deque = deque()
    window = jobs * 4

    def pool_of(workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=initializer, initargs=initargs)

    pool = pool_of(jobs)
    try:
        while waiting or in_flight:
            while waiting and len(in_flight) < window:
                chunk, losses = waiting[0]
                if losses >= 2:  # lost twice: each of its inputs alone, in order
                    waiting.popleft()
                    in_flight.append((chunk, losses, None))
                    continue
                try:
                    future = pool.submit(work, list(chunk))
                except BrokenProcessPool:
                    if in_flight:  # what was in flight is lost with it: handled below
                        break
                    stop(pool)  # broken with nothing in flight (a worker killed while idle)
                    pool = pool_of(jobs)
                    continue
                waiting.popleft()
                in_flight.append((chunk, losses, future))
            chunk, losses, future = in_flight.popleft()
            if future is None:
                for item in chunk:
                    yield item, _alone(work, item, pool_of, died)
                continue
            try:
                results = future.result()
            except BrokenProcessPool:
                # the pool is gone, and with it every chunk in flight: back to the front, in order
                lost = [(chunk, losses + 1)] + [(c, n + (f is not None)) for c, n, f in in_flight]
                in_flight.clear()
                waiting.extendleft(reversed(lost))
                stop(pool)
                pool = pool_of(jobs)
                continue
            yield from zip(chunk, results)
    except BaseException:  # an error, Ctrl-C, or the caller stopped reading: end the workers now
        stop(pool)
        raise
    pool.shutdown(wait=True)


def _alone(work, item, pool_of, died):
    """One input in a pool of its own; `died(item)` when its worker dies on it."""
    pool = pool_of(1)
    try:
        return pool.submit(work, [item]).result()[0]
    except BrokenProcessPool:
        return died(item)
    finally:
        stop(pool)
