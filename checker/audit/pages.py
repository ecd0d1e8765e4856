"""Each report's page of the audit, and the spreadsheet and the notice, written by forked worker
processes while the parent writes the rest (findings.json, summary.csv, index.html): they were
most of the audit's serial tail (7 CPU-s of pages at 2,000 reports; a spreadsheet and a notice of
10,000 reports, 9 CPU-s). The workers are forked after the cross-report stage, so they read the
finished summaries from the memory they share with the parent — nothing is pickled but a range
of indexes — and write the pages themselves.

Where processes cannot be forked, for one job or a small batch, the pages are rendered here."""

from __future__ import annotations

import gc
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from checker import parallel

_SHARED: dict = {}


def _quiet() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.disable()  # a page leaves no cycles; a collection would write to every shared object


def _side(index: int) -> None:
    function, args = _SHARED["side"][index]
    function(*args)


def _render(span: tuple[int, int]) -> None:
    docs, outdir, page, name = _SHARED["docs"], _SHARED["outdir"], _SHARED["page"], _SHARED["name"]
    for index in range(*span):
        if not docs[index].absent:  # a roster of thousands: one list page, not a page each
            (outdir / name(index)).write_text(page(docs[index]), encoding="utf-8")


class Pages:
    """Start rendering on construction; wait() when the rest is written."""

    def __init__(self, docs: list, outdir: Path, jobs: int, page, name, side=()):
        """page(doc): a report's page; name(index): its file name below `outdir`; side: other
        outputs as (function, arguments), written by the workers first (the spreadsheet, the
        notice)."""
        _SHARED.update(docs=docs, outdir=outdir, page=page, name=name, side=list(side))
        count = len(docs)
        step = max(50, count // (jobs * 8) or 1)
        self.spans = [(a, min(a + step, count)) for a in range(0, count, step)]
        self.pool, self.futures, self.side = None, [], []
        if jobs > 1 and parallel.can_fork(count):
            context = multiprocessing.get_context("fork")
            # the summaries are shared with the workers page by page until written to: frozen,
            # no collection in either process walks (and so copies) them
            gc.freeze()
            self.pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_quiet)
            self.side = [self.pool.submit(_side, i) for i in range(len(_SHARED["side"]))]
            self.futures = [self.pool.submit(_render, span) for span in self.spans]

    def wait(self) -> None:
        try:
            if self.pool is None:
                for index in range(len(_SHARED["side"])):
                    _side(index)
                for span in self.spans:
                    _render(span)
                return
            for index, future in enumerate(self.side):
                try:
                    future.result()  # an error writing it is the audit's error, as it was here
                except BrokenProcessPool:  # its worker died (out of memory): written here
                    _side(index)
            for span, future in zip(self.spans, self.futures):
                try:
                    future.result()
                except Exception:  # noqa: BLE001 - a worker that died (out of memory): those pages here
                    _render(span)
            self.pool.shutdown(wait=True)
            self.pool = None
        finally:
            self.stop()
            _SHARED.clear()
            gc.unfreeze()

    def stop(self) -> None:
        if self.pool is not None:
            parallel.stop(self.pool)
            self.pool = None
