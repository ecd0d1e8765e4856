"""The command line a linter user expects: SARIF that validators accept for any path, the
misconfigurations refused, quiet/colour/basis switches, completion, and the Python API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

import checker
from checker.cli import app
from conftest import EXAMPLES

DEFECTIVE = EXAMPLES / "defective-2021.md"
CLEAN = EXAMPLES / "clean-2021.md"


def cli(*args, input=None):
    run = CliRunner().invoke(app, [*map(str, args)], input=input)
    assert "Traceback" not in run.output
    return run


def _multitool() -> str | None:
    """Microsoft's SARIF multitool (npm @microsoft/sarif-multitool), as .ci/run installs it."""
    found = os.environ.get("XXGK_SARIF_MULTITOOL") or shutil.which("sarif-multitool")
    if not found and os.environ.get("XXGK_REQUIRE_SARIF_MULTITOOL"):
        pytest.fail("the SARIF multitool is required here (see .ci/run)")
    return found


@pytest.mark.parametrize("how", ["absolute", "relative", "stdin", "chinese name"])
def test_sarif_passes_the_multitool_for_any_path(tmp_path, how, monkeypatch):
    tool = _multitool()
    if not tool:
        pytest.skip("SARIF multitool not installed (npm install @microsoft/sarif-multitool)")
    report = tmp_path / ("中文 报告.md" if how == "chinese name" else "r.md")
    report.write_bytes(DEFECTIVE.read_bytes())
    monkeypatch.chdir(tmp_path)
    if how == "stdin":
        run = cli(
            "check",
            "-",
            "--stdin-filename",
            "年报.md",
            "--format",
            "sarif",
            input=DEFECTIVE.read_text(encoding="utf-8"),
        )
    else:
        run = cli("check", str(report) if how == "absolute" else report.name, "--format", "sarif")
    out = tmp_path / "out.sarif"
    out.write_text(run.stdout, encoding="utf-8")
    data = json.loads(run.stdout)
    uri = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    if how == "absolute":
        assert uri == {"uri": "r.md", "uriBaseId": "%SRCROOT%"}  # under the working directory
    check = subprocess.run([tool, "validate", str(out)], capture_output=True, text=True, timeout=300)
    errors = [line for line in check.stdout.splitlines() if ": error " in line]
    assert check.returncode == 0 and not errors, check.stdout


def test_sarif_outside_the_working_directory_is_a_file_uri(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    report = tmp_path / "r.md"
    report.write_bytes(DEFECTIVE.read_bytes())
    data = json.loads(cli("check", report, "--format", "sarif").stdout)
    location = data["runs"][0]["artifacts"][0]["location"]
    assert location == {"uri": report.as_uri()}


def test_an_unknown_output_format_prefix_exits_2(tmp_path):
    run = cli("check", CLEAN, "-o", f"bogus:{tmp_path / 'foo.txt'}")
    assert run.exit_code == 2 and "bogus" in run.output and "sarif" in run.output
    assert not list(tmp_path.iterdir())


def test_a_run_that_found_nothing_to_check_exits_2(tmp_path):
    run = cli("check", tmp_path)
    assert run.exit_code == 2 and "--allow-empty" in run.output
    assert cli("check", tmp_path, "--allow-empty").exit_code == 0


def test_quiet_levels():
    loud, quiet, silent = cli("check", DEFECTIVE), cli("check", DEFECTIVE, "-q"), cli("check", DEFECTIVE, "-qq")
    assert loud.exit_code == quiet.exit_code == silent.exit_code == 1
    assert quiet.stdout.strip().splitlines() == [loud.stdout.strip().splitlines()[-1]]
    assert silent.stdout == ""


def test_colour_switch_and_no_color():
    assert "\x1b[" in cli("check", DEFECTIVE, "--color", "always").stdout
    assert "\x1b[" not in cli("check", DEFECTIVE, "--color", "never").stdout
    assert "\x1b[" not in cli("check", DEFECTIVE).stdout  # auto: not a terminal here


def test_output_format_is_an_alias_of_format():
    assert json.loads(cli("check", DEFECTIVE, "--output-format", "json").stdout)["schema"] == "xxgk-findings/1"


def test_show_basis_prints_the_legal_basis_under_each_finding():
    lines = cli("check", DEFECTIVE, "--show-basis").stdout.splitlines()
    index = next(i for i, line in enumerate(lines) if " D601 " in line)
    assert any(line.strip().startswith("依据：《条例》第四十九条") for line in lines[index + 1 : index + 4])


def test_explain_says_the_severity_in_chinese():
    out = cli("explain", "A301").stdout
    assert "级别：错误" in out


def test_completion_script_and_answers():
    script = cli("completion", "bash").stdout
    assert "_XXGK_COMPLETE" in script and "complete" in script
    assert cli("completion", "tcsh").exit_code == 2


# the Python API ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".md", ".docx")), ids=lambda p: p.name
)
def test_the_api_gives_what_the_cli_gives(path):
    report = checker.check_path(path)
    document = json.loads(cli("check", path, "--format", "json").stdout)["documents"][0]
    assert [f.code for f in report.findings] == [f["code"] for f in document["findings"]]
    assert report.to_json()["findings"] == document["findings"]
    assert (report.agency, report.year, report.regime) == (document["agency"], document["year"], document["regime"])
    same = checker.check_bytes(path.read_bytes(), path.name)
    assert [(f.code, f.location) for f in same.findings] == [(f.code, f.location) for f in report.findings]


def test_the_api_types():
    report = checker.check_path(DEFECTIVE)
    (root,) = [f for f in report.errors if f.code == "A302"]
    assert isinstance(root, checker.Finding) and isinstance(root.location, checker.Location)
    assert (root.location.line, root.location.cell[0]) == (43, 2) and root.evidence == "45"
    assert [f.code for f in root.related] == ["A301"] and "45" in root.excerpt
    assert report.published.isoformat() == "2025-04-08"


def test_the_api_reports_unreadable_input_and_refuses_bad_arguments():
    broken = checker.check_bytes(b"%PDF-1.4 broken", "r.pdf")
    assert [f.code for f in broken.findings] == ["E001"]
    for bad in ({"regime": "2021"}, {"year": 12}, {"agency_kind": "ministry"}):
        with pytest.raises(ValueError):
            checker.check_bytes(CLEAN.read_bytes(), "r.md", **bad)
    with pytest.raises(ValueError):
        checker.check_bytes("not bytes", "r.md")
