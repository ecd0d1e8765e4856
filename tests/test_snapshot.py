"""Findings and keyed cells of every example, seed and corpus report are what tests/snapshot.py
recorded: a speed-up or refactoring that changes one of them is caught here."""

from __future__ import annotations

import json


from conftest import shared_dir
from snapshot import FIXTURE, inputs, snapshot


def test_every_report_gives_the_recorded_findings_and_cells():
    shared_dir("corpus")
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    files = dict(inputs())
    assert set(files) == set(expected)
    for name, data in files.items():
        got = json.loads(json.dumps(snapshot(name, data)))  # as the fixture stores it (tuples → lists)
        want = expected[name]
        assert got["findings"] == want["findings"], name
        changed = {k for k in set(got["cells"]) | set(want["cells"]) if got["cells"].get(k) != want["cells"].get(k)}
        assert not changed, (name, sorted(changed)[:10])
