"""`xxgk check` over many files: with --jobs, worker processes check the reports and send back
each one's compact Record (checker.formats.record), in input order as they finish; the parent
gates each and hands it to the outputs, then lets it go — so a folder of any size is checked
on every core in memory that does not grow with it."""

from __future__ import annotations

import signal

from checker import collector, parallel, pipeline
from checker.formats.record import Record, record
from checker.gate.run import FolderSettings, Options, RuleSets

_STATE: dict = {}

SERIAL_BELOW = 8  # fewer files than this are checked in process: starting workers costs more


def _init(options: Options, overrides, worker: bool = False) -> None:
    if worker:  # Ctrl-C is the parent's to handle: a worker that saw it would print a traceback
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        collector.for_batch()  # the process checks reports and nothing else
    _STATE.update(settings=FolderSettings(options), rule_sets=RuleSets(options), overrides=overrides)


def _selected(path: str):
    return _STATE["rule_sets"].get(_STATE["settings"](path))[1]


def check_chunk(paths: list[str]) -> list[Record]:
    return [record(pipeline.check_one(path, None, _STATE["overrides"], _selected(path))) for path in paths]


def _died(path: str) -> Record:
    """A report whose worker died twice on it (killed, out of memory): a finding on it."""
    return record(pipeline.worker_died(path, _selected(path)))


def records(paths: list[str], options: Options, overrides, jobs: int):
    """(path, Record) for every path, in order, checked by `jobs` worker processes."""
    _init(options, overrides)  # for _died, which runs in this process
    return parallel.ordered(check_chunk, paths, jobs, _init, (options, overrides, True), _died)
