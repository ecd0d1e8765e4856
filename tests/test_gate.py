"""The CI gate: machine formats, selection, configuration, waivers, directives and baselines,
run through the real command line on real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import EXAMPLES, run_cli

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
DEFECTIVE = EXAMPLES / "defective-2021.md"
CLEAN = EXAMPLES / "clean-2021.md"
FORMATS = ["text", "concise", "json", "sarif", "junit", "github", "gitlab"]


def xxgk(*args, cwd=None, env=None, stdin: bytes | None = None):
    return run_cli(*args, cwd=cwd, env=env, stdin=stdin)  # in process: the suite stays fast


def out(run) -> str:
    return run.stdout.decode("utf-8")


def codes_of(run) -> list[str]:
    return [f["code"] for d in json.loads(out(run))["documents"] for f in d["findings"] if "suppressed" not in f]


@pytest.fixture
def bad_cell(tmp_path):
    """The clean 2021 report with one table cell wrong (and the prose following it): A301 and
    A302, both anchored on the cell requests/new/total."""
    text = (
        CLEAN.read_text(encoding="utf-8")
        .replace(
            "| 一、本年新收政府信息公开申请数量 | | | 38 | 4 | 0 | 1 | 2 | 0 | 45 |",
            "| 一、本年新收政府信息公开申请数量 | | | 38 | 4 | 0 | 1 | 2 | 0 | 46 |",
        )
        .replace("全年共收到政府信息公开申请45件", "全年共收到政府信息公开申请46件")
    )
    path = tmp_path / "reports" / "2024" / "report.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


# formats ----------------------------------------------------------------------------------


def test_sarif_validates_against_the_2_1_0_schema(tmp_path):
    run = xxgk("check", DEFECTIVE, EXAMPLES / "clean-2021.docx", "--format", "sarif")
    data = json.loads(out(run))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    driver = data["runs"][0]["tool"]["driver"]
    assert {"id", "name", "shortDescription", "help"} <= set(driver["rules"][0])
    assert "helpUri" not in driver["rules"][0]  # no placeholder URL until a public one exists
    assert data["runs"][0]["columnKind"] == "unicodeCodePoints"
    results = data["runs"][0]["results"]
    a302 = next(r for r in results if r["ruleId"] == "A302")
    assert a302["level"] == "error" and a302["partialFingerprints"]
    assert a302["locations"][0]["physicalLocation"]["region"] == {"startLine": 43, "startColumn": 51}
    assert driver["rules"][a302["ruleIndex"]]["id"] == "A302"


def test_junit_has_one_suite_per_document_and_a_case_per_rule(tmp_path):
    run = xxgk("check", DEFECTIVE, CLEAN, EXAMPLES / "clean-2008.md", "--format", "junit")
    root = ET.fromstring(run.stdout)
    suites = root.findall("testsuite")
    assert len(suites) == 3
    for suite in suites:
        names = [case.get("name") for case in suite.findall("testcase")]
        assert len(names) == len(set(names)) and int(suite.get("tests")) == len(names)
    defective = suites[0]
    failed = {c.get("name").split()[0] for c in defective.findall("testcase") if c.find("failure") is not None}
    passed = {c.get("name").split()[0] for c in defective.findall("testcase") if len(c) == 0}
    assert {"A302", "S101", "D601"} <= failed and "A304" in passed
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites)


def test_gitlab_code_quality_fields():
    data = json.loads(out(xxgk("check", DEFECTIVE, "--format", "gitlab")))
    assert data and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in data)
    assert all(i["severity"] in {"info", "minor", "major", "critical", "blocker"} for i in data)
    assert all(set(i["location"]) == {"path", "lines"} and i["location"]["lines"]["begin"] >= 1 for i in data)
    assert len({i["fingerprint"] for i in data}) == len(data)


def test_github_annotations_and_step_summary(tmp_path):
    summary = tmp_path / "summary.md"
    run = xxgk("check", DEFECTIVE, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = out(run).splitlines()
    assert any(line.startswith("::error file=") and ",line=43,col=51," in line and "A302" in line for line in lines)
    assert all(line.startswith("::") for line in lines)
    assert "| `" in summary.read_text(encoding="utf-8") and "A302" in summary.read_text(encoding="utf-8")


def test_concise_lines():
    lines = out(xxgk("check", DEFECTIVE, "--format", "concise")).splitlines()
    assert f"{DEFECTIVE}:43:51: A302 [error]" in "\n".join(lines)
    assert all(line.startswith(str(DEFECTIVE) + ":") for line in lines)


@pytest.mark.parametrize("fmt", FORMATS)
def test_exit_codes_do_not_depend_on_the_format(fmt):
    assert xxgk("check", DEFECTIVE, "--format", fmt).returncode == 1
    assert xxgk("check", CLEAN, "--format", fmt).returncode == 0
    assert xxgk("check", DEFECTIVE, "--format", fmt, "--exit-zero").returncode == 0
    assert xxgk("check", DEFECTIVE, "--format", fmt, "--select", "Q7", "--fail-on", "error").returncode == 0


def test_several_outputs_in_one_run(tmp_path):
    sarif, junit = tmp_path / "r.sarif", tmp_path / "r.xml"
    run = xxgk("check", DEFECTIVE, "-o", f"sarif:{sarif}", "-o", f"junit:{junit}")
    assert "A302" in out(run) and run.returncode == 1  # text still on the terminal
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    ET.parse(junit)


def test_text_shows_the_line_and_a_caret_under_the_spot():
    lines = out(xxgk("check", DEFECTIVE)).splitlines()
    index = next(i for i, line in enumerate(lines) if " D602 " in line)
    excerpt, caret = lines[index + 1], lines[index + 2]
    assert "1015日" in excerpt and caret.strip() == "^"
    # the caret stands under 1015: Chinese characters are two cells wide
    from checker.formats.excerpt import cells

    assert cells(caret) - 1 == cells(excerpt[: excerpt.index("1015日")])


# selection --------------------------------------------------------------------------------


def test_select_ignore_extend_select():
    assert set(codes_of(xxgk("check", DEFECTIVE, "-f", "json", "--select", "A3"))) == {"A302"}  # A301 under it
    assert set(codes_of(xxgk("check", DEFECTIVE, "-f", "json", "--select", "A301"))) == {"A301"}  # alone, it stands
    assert set(codes_of(xxgk("check", DEFECTIVE, "-f", "json", "--select", "arithmetic", "--ignore", "A301"))) == {
        "A302"
    }
    assert set(
        codes_of(xxgk("check", DEFECTIVE, "-f", "json", "--select", "A3", "--extend-select", "late-publication"))
    ) == {"A302", "D601"}
    assert "A301" not in codes_of(xxgk("check", DEFECTIVE, "-f", "json", "--ignore", "A"))
    bad = xxgk("check", DEFECTIVE, "--select", "A39")
    assert bad.returncode == 2 and "A39" in bad.stderr.decode()


def test_statistics_counts_per_rule():
    text = out(xxgk("check", DEFECTIVE, EXAMPLES / "defective-2021.docx", "--statistics"))
    assert any(line.split()[:2] == ["2", "A302"] for line in text.splitlines())


# configuration ----------------------------------------------------------------------------


def test_a_config_in_a_parent_folder_changes_a_run_in_a_child_folder(bad_cell, tmp_path):
    assert xxgk("check", bad_cell).returncode == 1
    (tmp_path / "reports" / "xxgk.toml").write_text('ignore = ["A3"]\n', encoding="utf-8")
    run = xxgk("check", bad_cell, "-f", "json")
    assert run.returncode == 0 and "A302" not in codes_of(run)
    assert "A302" in codes_of(xxgk("check", bad_cell, "-f", "json", "--isolated"))
    # the command line beats the file
    assert "A302" in codes_of(xxgk("check", bad_cell, "-f", "json", "--select", "A3"))


def test_pyproject_section_and_extends_and_rule_settings(bad_cell, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text('fail-on = "warning"\n[rules.A302]\nseverity = "warning"\n', encoding="utf-8")
    (tmp_path / "reports" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.xxgk]\nextends = "../policy.toml"\n', encoding="utf-8"
    )
    run = xxgk("check", bad_cell, "-f", "json")
    doc = json.loads(out(run))["documents"][0]
    assert [f["severity"] for f in doc["findings"] if f["code"] == "A302"] == ["warning"]
    assert run.returncode == 1  # fail-on = warning from the shared policy
    shown = json.loads(out(xxgk("config", bad_cell)))
    assert shown["fail-on"] == "warning" and shown["sources"][0].endswith("policy.toml")


@pytest.mark.parametrize(
    "content,words",
    [
        ('selct = ["A3"]\n', ["selct", "select"]),
        ('[rules.D601]\ntownship_deadlin = "04-30"\n', ["township_deadlin", "township_deadline"]),
        ('[rules.D601]\ntownship_deadline = "4月30日"\n', ["township_deadline"]),
        ('[rules.X999]\nseverity = "info"\n', ["X999"]),
        ('fail-on = "fatal"\n', ["fail-on", "fatal"]),
        ("select = [\n", ["TOML"]),
    ],
)
def test_a_bad_config_exits_2_naming_the_key(bad_cell, tmp_path, content, words):
    (tmp_path / "reports" / ".xxgk.toml").write_text(content, encoding="utf-8")
    run = xxgk("check", bad_cell)
    message = run.stderr.decode()
    assert run.returncode == 2 and all(w in message for w in words) and "Traceback" not in message, message


def test_township_deadline_from_config(tmp_path):
    text = CLEAN.read_text(encoding="utf-8").replace("2025年1月20日", "2025年4月20日")
    path = tmp_path / "t.md"
    path.write_text(text, encoding="utf-8")
    assert "D601" in codes_of(xxgk("check", path, "-f", "json", "--agency-kind", "township"))
    (tmp_path / "xxgk.toml").write_text('[rules.D601]\ntownship_deadline = "04-30"\n', encoding="utf-8")
    assert "D601" not in codes_of(xxgk("check", path, "-f", "json", "--agency-kind", "township"))


# waivers ----------------------------------------------------------------------------------


def _waivers(tmp_path, body: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(body, encoding="utf-8")
    return path


CELL_WAIVER = """waivers:
  - rule: [A301, row-total]
    documents: "reports/**/*.md"
    anchor: requests/new/total
    reason: 上级通报口径，已与市政务公开办确认
    approver: 王科长
    expires: {expires}
"""


def test_a_waiver_keyed_to_a_cell_survives_a_paragraph_inserted_above(bad_cell, tmp_path):
    waivers = _waivers(tmp_path, CELL_WAIVER.format(expires="2099-12-31"))
    run = xxgk("check", bad_cell, "-f", "json", "--waivers", waivers)
    assert run.returncode == 0
    finding = next(f for f in json.loads(out(run))["documents"][0]["findings"] if f["code"] == "A302")
    assert finding["suppressed"]["kind"] == "waiver" and finding["suppressed"]["approver"] == "王科长"
    text = bad_cell.read_text(encoding="utf-8").replace(
        "## 三、收到和处理政府信息公开申请情况\n",
        "## 三、收到和处理政府信息公开申请情况\n\n新增一段说明文字。\n\n另一段。\n",
    )
    bad_cell.write_text(text, encoding="utf-8")
    assert xxgk("check", bad_cell, "--waivers", waivers).returncode == 0
    sarif = json.loads(out(xxgk("check", bad_cell, "-f", "sarif", "--waivers", waivers)))
    waived = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "A302"]
    assert waived[0]["suppressions"][0]["kind"] == "external"
    # an auditor sees it anyway
    assert xxgk("check", bad_cell, "--waivers", waivers, "--no-waivers").returncode == 1


def test_an_expired_waiver_fires_and_no_longer_covers(bad_cell, tmp_path):
    waivers = _waivers(tmp_path, CELL_WAIVER.format(expires="2020-01-01"))
    run = xxgk("check", bad_cell, "-f", "json", "--waivers", waivers)
    found = codes_of(run)
    assert run.returncode == 1 and "A302" in found and "E010" in found


def test_an_unmatched_waiver_is_reported(tmp_path):
    waivers = _waivers(tmp_path, CELL_WAIVER.format(expires="2099-12-31").replace('"reports/**/*.md"', '"*.md"'))
    assert "E011" in codes_of(xxgk("check", CLEAN, "-f", "json", "--waivers", waivers))


def test_a_waiver_without_reason_is_a_usage_error(bad_cell, tmp_path):
    waivers = _waivers(tmp_path, "waivers:\n  - rule: A302\n")
    run = xxgk("check", bad_cell, "--waivers", waivers)
    assert run.returncode == 2 and "reason" in run.stderr.decode()


def test_html_comment_directives(bad_cell):
    text = bad_cell.read_text(encoding="utf-8")
    table = "| 本列数据的勾稽关系为"
    bad_cell.write_text(
        text.replace(table, "<!-- xxgk-disable-next A301 A302 -- 按上级口径填报 -->\n" + table, 1), encoding="utf-8"
    )
    run = xxgk("check", bad_cell, "-f", "json")
    assert run.returncode == 0 and "A302" not in codes_of(run)
    bad_cell.write_text("<!-- xxgk-disable A301 A302 -->\n" + text, encoding="utf-8")  # no reason
    run = xxgk("check", bad_cell, "-f", "json")
    assert "E012" in codes_of(run) and "A302" in codes_of(run)
    bad_cell.write_text("<!-- xxgk-disable A304 -- 没有这个问题 -->\n" + text, encoding="utf-8")
    assert "E011" in codes_of(xxgk("check", bad_cell, "-f", "json"))


# baseline ---------------------------------------------------------------------------------


def test_baseline_keeps_old_findings_out_and_reports_stale_ones(tmp_path):
    report = tmp_path / "report.md"
    shutil.copy(DEFECTIVE, report)
    baseline = tmp_path / "baseline.json"
    written = xxgk("check", report, "--write-baseline", baseline)
    assert written.returncode == 0 and baseline.exists()
    assert xxgk("check", report, "--baseline", baseline).returncode == 0
    # an edit elsewhere keeps the entries matched
    text = report.read_text(encoding="utf-8")
    report.write_text(
        text.replace("## 二、主动公开政府信息情况\n", "## 二、主动公开政府信息情况\n\n补充说明。\n"), encoding="utf-8"
    )
    assert xxgk("check", report, "--baseline", baseline).returncode == 0
    # a new defect fails; a fixed one is reported as stale
    text = (
        report.read_text(encoding="utf-8")
        .replace("2025年4月8日", "2025年1月8日")
        .replace("| 行政强制 | 12 | | |", "| 行政强制 | -12 | | |")
    )
    report.write_text(text, encoding="utf-8")
    run = xxgk("check", report, "-f", "json", "--baseline", baseline)
    found = codes_of(run)
    assert run.returncode == 1 and "T203" in found and "E013" in found and "D601" not in found


# stdin ------------------------------------------------------------------------------------


def test_stdin_with_a_filename_finds_the_config_of_that_path(bad_cell, tmp_path):
    (tmp_path / "reports" / "xxgk.toml").write_text('ignore = ["A3"]\n', encoding="utf-8")
    data = bad_cell.read_bytes()
    run = xxgk("check", "-", "--stdin-filename", bad_cell, "-f", "json", stdin=data)
    assert run.returncode == 0 and json.loads(out(run))["documents"][0]["path"] == str(bad_cell)
