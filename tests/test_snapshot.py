"""Findings and keyed cells of every example, seed and corpus report are what tests/snapshot.py
recorded: a speed-up or refactoring that changes one of them is caught here. The examples are
always checked; the real reports where ../shared is beside the project."""

from __future__ import annotations

import json

from conftest import shared_dir
from snapshot import FIXTURES, fixture, inputs, snapshot


def _check(name: str, data: bytes) -> None:
    got = json.loads(json.dumps(snapshot(name, data)))  # as the file stores it (tuples → lists)
    want = json.loads(fixture(name).read_text(encoding="utf-8"))
    assert got["findings"] == want["findings"], name
    changed = {k for k in set(got["cells"]) | set(want["cells"]) if got["cells"].get(k) != want["cells"].get(k)}
    assert not changed, (name, sorted(changed)[:10])


def test_every_example_gives_the_recorded_findings_and_cells():
    examples = [(name, data) for name, data in inputs() if name.startswith("examples/")]
    assert len(examples) >= 8
    for name, data in examples:
        _check(name, data)


def test_every_real_report_gives_the_recorded_findings_and_cells():
    shared_dir("corpus")  # skips, with the reason, on a user's clone
    files = dict(inputs())
    recorded = {p.name for p in FIXTURES.glob("*.json")}
    assert {fixture(name).name for name in files} == recorded, "rewrite with python tests/snapshot.py --write"
    for name, data in files.items():
        if not name.startswith("examples/"):
            _check(name, data)
