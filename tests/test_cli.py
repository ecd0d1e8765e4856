"""The `xxgk` command as a user runs it: exit codes, JSON contract. In process (fast); the
console script and `python -m checker` are each run once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from pathlib import Path

from conftest import EXAMPLES, run_cli


def xxgk(*args, stdin: bytes | None = None):
    return run_cli(*args, stdin=stdin)


def test_python_m_checker_and_the_console_script_run_as_processes():
    module = subprocess.run(
        [sys.executable, "-m", "checker", "check", str(EXAMPLES / "defective-2021.md"), "-q"], capture_output=True
    )
    assert module.returncode == 1 and "错误 3 项" in module.stdout.decode()
    script = Path(sys.executable).with_name("xxgk")
    if script.exists():
        version = subprocess.run([str(script), "--version"], capture_output=True)
        assert version.returncode == 0 and version.stdout.decode().startswith("xxgk-checker ")


def test_clean_examples_exit_zero():
    run = xxgk("check", str(EXAMPLES / "clean-2021.md"), str(EXAMPLES / "clean-2008.md"))
    assert run.returncode == 0, run.stdout.decode()
    assert "未发现问题" in run.stdout.decode()


def test_defective_example_exits_one_with_positions():
    run = xxgk("check", str(EXAMPLES / "defective-2021.md"))
    out = run.stdout.decode()
    assert run.returncode == 1
    assert "defective-2021.md:43:51 A302 错误" in out and "（同一原因另有1处问题，已并入本条）" in out


def test_fail_on_threshold():
    path = str(EXAMPLES / "defective-2021.md")
    assert xxgk("check", path, "--fail-on", "error").returncode == 1
    path = str(EXAMPLES / "clean-2021.md")
    assert xxgk("check", path, "--fail-on", "info").returncode == 0


def test_json_contract(tmp_path):
    run = xxgk("check", "--format", "json", str(EXAMPLES / "defective-2021.md"))
    data = json.loads(run.stdout)
    assert data["schema"] == "xxgk-findings/1" and data["tool"]["name"] == "xxgk-checker"
    (doc,) = data["documents"]
    assert doc["agency"] == "云溪县人民政府" and doc["agency_kind"] == "government"
    assert (doc["year"], doc["regime"], doc["published"]) == (2024, "format-2021", "2025-04-08")
    finding = next(f for f in doc["findings"] if f["code"] == "A302")
    assert set(finding) >= {
        "code",
        "name",
        "severity",
        "message",
        "line",
        "column",
        "section",
        "anchor",
        "basis",
        "fingerprint",
        "evidence",
        "excerpt",
        "cell",
    }
    assert finding["anchor"] == "requests/new/total" and finding["section"] == "三"
    # the column balance the same wrong cell breaks is kept, under its root
    (related,) = finding["related"]
    assert related["code"] == "A301" and related["anchor"] == "requests/new/natural_person"


def test_stdin_and_unreadable_file_is_a_finding_not_a_crash(tmp_path):
    run = xxgk("check", "-", "--stdin-filename", "r.md", stdin=(EXAMPLES / "clean-2021.md").read_bytes())
    assert run.returncode == 0
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04garbage")
    run = xxgk("check", str(broken), "--format", "json")
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert json.loads(run.stdout)["documents"][0]["findings"][0]["code"] == "E001"


def test_directory_recursion_skips_other_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r.md").write_bytes((EXAMPLES / "clean-2008.md").read_bytes())
    (tmp_path / "notes.tsv").write_text("x")
    run = xxgk("check", "--format", "json", str(tmp_path))
    assert [d["path"].endswith("r.md") for d in json.loads(run.stdout)["documents"]] == [True]


def test_usage_errors_exit_two():
    assert xxgk("check", "/no/such/file.md").returncode == 2
    assert xxgk("check", "--format", "yaml", str(EXAMPLES)).returncode == 2
    assert xxgk("explain", "Z999").returncode == 2


def test_bad_rule_pack_exits_two_naming_the_field(tmp_path):
    pack = tmp_path / "bad.yaml"
    pack.write_text("- code: N599\n  name: x\n", encoding="utf-8")
    run = xxgk("check", "--rules", str(pack), str(EXAMPLES / "clean-2021.md"))
    assert run.returncode == 2 and "bad.yaml" in run.stderr.decode() and "title" in run.stderr.decode()


def test_parse_json_has_ast_and_keyed_cells():
    run = xxgk("parse", "--format", "json", str(EXAMPLES / "clean-2021.md"))
    data = json.loads(run.stdout)
    assert data["ast"]["title"].startswith("云溪县人民政府")
    assert list(data["facts"]["sections"]) == list("一二三四五六")
    cell = data["facts"]["cells"]["requests.new.natural_person"]
    assert cell["kind"] == "number" and cell["value"] == 38 and cell["line"] > 0


def test_parse_tree_and_rules_listing():
    tree = xxgk("parse", str(EXAMPLES / "clean-2008.md")).stdout.decode()
    assert "Section[1]" in tree and "Closing" in tree
    listing = xxgk("rules").stdout.decode()
    assert "A301" in listing and "request-balance" in listing
    assert "依据" in xxgk("explain", "A301").stdout.decode()


def test_overrides_change_the_regime():
    run = xxgk("check", "--format", "json", "--regime", "format-2019", str(EXAMPLES / "clean-2008.md"))
    assert json.loads(run.stdout)["documents"][0]["regime"] == "format-2019"


def test_docs_rules_md_is_current():
    from pathlib import Path

    generated = xxgk("rules", "--format", "markdown").stdout.decode()
    checked_in = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    assert generated == checked_in, "run: xxgk rules --format markdown > docs/rules.md"


def test_township_deadline_is_configurable(tmp_path):
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8").replace("2025年1月20日", "2025年4月20日")
    path = tmp_path / "township.md"
    path.write_text(text, encoding="utf-8")
    default = xxgk("check", str(path), "--agency-kind", "township", "--format", "json")
    local = xxgk("check", str(path), "--agency-kind", "township", "--township-deadline", "04-30", "--format", "json")
    codes = lambda out: [f["code"] for d in json.loads(out.stdout.decode())["documents"] for f in d["findings"]]  # noqa: E731
    assert "D601" in codes(default) and "D601" not in codes(local)
    bad = xxgk("check", str(path), "--township-deadline", "4月30日")
    assert bad.returncode == 2 and "township_deadline" in bad.stderr.decode() and "Traceback" not in bad.stderr.decode()


def test_template_command_prints_markdown_and_writes_docx(tmp_path):
    md = xxgk("template", "--year", "2024")
    assert md.returncode == 0 and "## 三、收到和处理政府信息公开申请情况" in md.stdout.decode()
    assert xxgk("template", "--year", "2024", "--format", "docx").returncode == 2
    target = tmp_path / "blank.docx"
    written = xxgk("template", "--year", "2020", "--format", "docx", "-o", str(target))
    assert written.returncode == 0 and target.stat().st_size > 0
    checked = xxgk("check", str(target), "--format", "json")
    found = {f["code"] for d in json.loads(checked.stdout.decode())["documents"] for f in d["findings"]}
    assert "T205" not in found and "T201" not in found and "Q705" in found
