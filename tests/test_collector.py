"""The collector's batch setting: raised while reports are checked one after another, the
caller's own afterwards, and cycles still freed."""

from __future__ import annotations

import gc
import shutil
import weakref

import pytest

from checker import collector
from conftest import EXAMPLES, run_cli


@pytest.fixture
def default_threshold():
    old = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*old)


def test_batch_raises_the_young_threshold_and_restores_the_callers_own(default_threshold):
    gc.set_threshold(900, 7, 5)
    with collector.batch():
        assert gc.get_threshold() == (collector.BATCH_THRESHOLD, 7, 5)
    assert gc.get_threshold() == (900, 7, 5)
    with pytest.raises(KeyError), collector.batch():
        raise KeyError("a report that broke the loop")
    assert gc.get_threshold() == (900, 7, 5)


def test_a_caller_who_chose_a_higher_threshold_keeps_it(default_threshold):
    gc.set_threshold(collector.BATCH_THRESHOLD * 5)
    with collector.batch():
        assert gc.get_threshold()[0] == collector.BATCH_THRESHOLD * 5


def test_cycles_made_in_a_batch_are_still_freed(default_threshold):
    class Node:
        pass

    alive = []
    with collector.batch():
        for _ in range(collector.BATCH_THRESHOLD * 2):
            node = Node()
            node.me = node  # a cycle: reference counting alone never frees it
            alive.append(weakref.ref(node))
            del node
        assert sum(ref() is None for ref in alive) >= collector.BATCH_THRESHOLD // 2


def test_a_folder_check_runs_few_young_passes_and_leaves_the_threshold(tmp_path, default_threshold):
    for n in range(12):
        shutil.copy(EXAMPLES / "clean-2021.md", tmp_path / f"r{n}.md")
    run_cli("check", tmp_path / "r0.md")  # warm: rules, grammar, OpenCC
    passes = []

    def count(phase, info):
        if phase == "start" and info["generation"] == 0:
            passes.append(1)

    gc.callbacks.append(count)
    try:
        done = run_cli("check", tmp_path, "-q")
    finally:
        gc.callbacks.remove(count)
    assert done.returncode == 0, done.stdout
    # at the default threshold this is a pass or more per report; raised, one every few reports
    assert len(passes) <= 4, len(passes)
    assert gc.get_threshold() == (700, 10, 10)
