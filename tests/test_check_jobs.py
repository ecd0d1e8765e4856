"""`xxgk check FOLDER` on every core: worker processes send each report's compact record back in
input order, the parent gates it and writes it out as it comes. Whatever the number of jobs, the
outputs are the same bytes; a worker that dies costs one finding; JSON Lines streams."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil

import pytest

import batch
from conftest import EXAMPLES, run_cli


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Generated reports of three formats, some defective, with a clean and a defective example
    in a subfolder (so two folders' configurations are looked up)."""
    root = tmp_path_factory.mktemp("jobs")
    batch.make(root / "reports", agencies=3, formats=("md", "html", "docx"))
    (root / "reports" / "sub").mkdir()
    for name in ("clean-2021.md", "defective-2021.md"):
        shutil.copy(EXAMPLES / name, root / "reports" / "sub" / name)
    return root / "reports"


@pytest.mark.parametrize("kind", ["text", "json", "sarif", "junit", "jsonl"])
def test_every_number_of_jobs_writes_the_same_output(folder, kind):
    one = run_cli("check", folder, "-j", "1", "-f", kind, "--color", "never")
    two = run_cli("check", folder, "-j", "2", "-f", kind, "--color", "never")
    assert one.returncode == two.returncode == 1  # the defective example fails the gate
    assert one.stdout == two.stdout and one.stdout


def test_json_lines_is_the_json_documents_one_a_line(folder, tmp_path):
    whole = json.loads(run_cli("check", folder, "-j", "2", "-f", "json").stdout)["documents"]
    lines = run_cli("check", folder, "-j", "2", "-f", "jsonl").stdout.decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == whole
    defective = next(d for d in whole if d["path"].endswith("defective-2021.md"))
    assert {"A302", "A301"} & {f["code"] for f in defective["findings"]}
    # the same stream, written to a file beside stdout's text
    target = tmp_path / "out.jsonl"
    run = run_cli("check", folder, "-j", "2", "-q", "-o", f"jsonl:{target}")
    assert target.read_text(encoding="utf-8").splitlines() == lines
    assert run.stdout.decode().startswith(f"共检查 {len(whole)} 份报告")


def test_an_unused_waiver_is_known_only_at_the_end_and_is_reported_with_jobs(folder, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        'waivers:\n  - rule: A302\n    documents: "**/clean-2021.md"\n    reason: 口径说明\n', encoding="utf-8"
    )
    runs = [run_cli("check", folder, "-j", j, "-f", "json", "--waivers", waivers) for j in ("1", "2")]
    assert runs[0].stdout == runs[1].stdout
    clean = next(d for d in json.loads(runs[1].stdout)["documents"] if d["path"].endswith("clean-2021.md"))
    assert [f["code"] for f in clean["findings"]] == ["E011"]


def test_a_report_that_kills_its_worker_is_a_finding_and_the_rest_are_checked(folder, monkeypatch):
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the crash is handed to workers by forking")
    from checker import pipeline

    poison = str(sorted(folder.glob("*.md"))[2])
    checked = pipeline.check_one

    def crashing(path, *args, **kwargs):
        if str(path) == poison:
            os._exit(9)  # as a reader that crashes the interpreter would
        return checked(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_one", crashing)
    run = run_cli("check", folder, "-j", "2", "-f", "json")
    documents = json.loads(run.stdout)["documents"]
    monkeypatch.setattr(pipeline, "check_one", checked)
    expected = json.loads(run_cli("check", folder, "-j", "1", "-f", "json").stdout)["documents"]
    assert [d["path"] for d in documents] == [d["path"] for d in expected]
    (died,) = [d for d in documents if d["path"] == poison]
    assert [f["code"] for f in died["findings"]] == ["E001"] and "意外终止" in died["findings"][0]["message"]
    assert [d for d in documents if d["path"] != poison] == [d for d in expected if d["path"] != poison]


def test_an_output_file_is_replaced_only_when_complete(folder, tmp_path, monkeypatch):
    """A run stopped midway (here: a report whose output cannot be written) leaves the earlier
    output whole, and no temporary file."""
    from checker.formats import sink

    target = tmp_path / "out.json"
    target.write_text("earlier\n", encoding="utf-8")
    calls = {"n": 0}
    add = sink.Sink.add

    def failing(self, result):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return add(self, result)

    monkeypatch.setattr(sink.Sink, "add", failing)
    run = run_cli("check", folder, "-j", "2", "-o", f"json:{target}", "-q")
    assert run.returncode == 2 and "无法写出结果" in run.stderr.decode()
    assert target.read_text(encoding="utf-8") == "earlier\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
