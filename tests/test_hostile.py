"""Hostile and broken input: every case ends with a finding or a clear exit-2 message, in
bounded time and memory, without a traceback, and the input file is never modified."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile

import pytest

from checker.pipeline import check_bytes, check_path
from conftest import EXAMPLES

LIMIT_SECONDS = 20  # a generous bound: a hang, not a slow machine, is what this catches


def _cap_memory():
    """The child's memory is capped, so a bomb fails loudly instead of taking the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))


def run_cli(*args, stdin: bytes | None = None):
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "checker", "check", *map(str, args), "--format", "concise"],
        capture_output=True,
        input=stdin,
        timeout=LIMIT_SECONDS * 3,
        preexec_fn=_cap_memory if sys.platform.startswith("linux") else None,
    )
    return run, time.perf_counter() - start


def assert_handled(run, seconds, codes=("E001", "E003")):
    err = run.stderr.decode("utf-8", "replace")
    out = run.stdout.decode("utf-8", "replace")
    assert "Traceback" not in err and "Traceback" not in out, err
    assert run.returncode in (0, 1, 2), (run.returncode, err)
    assert seconds < LIMIT_SECONDS
    if codes and run.returncode == 1:
        assert any(code in out for code in codes), out


def _docx_with(document_xml: bytes, extra: dict | None = None) -> bytes:
    with zipfile.ZipFile(EXAMPLES / "clean-2021.docx") as source:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            extra = dict(extra or {})
            for item in source.infolist():
                data = document_xml if item.filename == "word/document.xml" else extra.pop(item.filename, None)
                target.writestr(item, data if data is not None else source.read(item))
            for name, data in extra.items():  # parts the example does not have
                target.writestr(name, data)
    return buffer.getvalue()


CASES = {
    "random.txt": os.urandom(20000),
    "random.pdf": b"%PDF-1.7\n" + os.urandom(20000),
    "random.docx": b"PK\x03\x04" + os.urandom(20000),
    "random.html": b"<html>" + os.urandom(20000),
    "empty.md": b"",
    "blank.txt": b"   \n\n \t\n",
    "truncated.docx": (EXAMPLES / "clean-2021.docx").read_bytes()[:3000],
    "text-as.pdf": "这不是PDF文件".encode(),
    "html-as.docx": b"<html><body>not a word file</body></html>",
    "pdf-bytes.txt": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 50,
    "unknown.xyz": b"hello",
    "nul-utf16.txt": "一、总体情况\n".encode("utf-16-le"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_files_give_a_finding(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(CASES[name])
    run, seconds = run_cli(path)
    assert_handled(run, seconds)


def test_docx_zip_bomb_is_refused_quickly(tmp_path):
    bomb = _docx_with(
        b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
        + b"<w:p><w:r><w:t>"
        + b"0" * (400 * 1024 * 1024)
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )
    assert len(bomb) < 2 * 1024 * 1024
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    run, seconds = run_cli(path)
    assert_handled(run, seconds)
    assert run.returncode == 1 and "E001" in run.stdout.decode()


def test_docx_with_entity_expansion_is_not_expanded(tmp_path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
        )
        + b"]><w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
        + b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "laughs.docx"
    path.write_bytes(_docx_with(laughs))
    run, seconds = run_cli(path)
    assert_handled(run, seconds)


def test_html_with_entity_expansion_and_deep_nesting(tmp_path):
    laughs = (
        b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><html><body><p>&c;&c;&c;</p></body></html>'
    )
    (tmp_path / "laughs.html").write_bytes(laughs)
    (tmp_path / "deep.html").write_bytes(
        b"<html><body>" + b"<div>" * 200_000 + "一、总体情况".encode() + b"</div>" * 200_000 + b"</body></html>"
    )
    for name in ("laughs.html", "deep.html"):
        run, seconds = run_cli(tmp_path / name)
        assert_handled(run, seconds, codes=())


def test_a_100_mb_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.seek(100 * 1024 * 1024)
        handle.write(b"\n")
    run, seconds = run_cli(path)
    assert_handled(run, seconds)
    assert run.returncode == 1 and "过大" in run.stdout.decode()


def test_one_long_line_of_text_is_bounded(tmp_path):
    line = ("一、总体情况本年度收到申请12件。" + "我局认真贯彻落实条例，" * 40 + "二、主动公开政府信息情况") * 800
    path = tmp_path / "long.txt"
    path.write_text(line, encoding="utf-8")
    run, seconds = run_cli(path)
    assert_handled(run, seconds, codes=())


def test_gbk_labelled_utf8_is_still_read(tmp_path):
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    page = (
        '<html><head><meta charset="utf-8"></head><body>'
        + "".join(f"<p>{line.lstrip('# ')}</p>" for line in text.splitlines() if not line.startswith("|"))
        + "</body></html>"
    )
    path = tmp_path / "gbk.html"
    path.write_bytes(page.encode("gbk"))
    result = check_bytes(path.read_bytes(), str(path))
    assert result.facts and result.facts.agency == "云溪县人民政府"


def test_a_folder_of_thousands_of_files(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    data = (EXAMPLES / "clean-2008.md").read_bytes()
    for i in range(2000):
        (folder / f"{i:04d}.md").write_bytes(data)
    run, seconds = run_cli(folder)
    assert_handled(run, seconds * 0.5, codes=())  # 2,000 reports: allow twice the single-file bound
    assert run.returncode == 0


def test_input_files_are_never_modified(tmp_path):
    path = tmp_path / "report.md"
    path.write_bytes((EXAMPLES / "defective-2021.md").read_bytes())
    path.chmod(0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    run, _ = run_cli(path)
    assert run.returncode == 1
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_directory_given_as_stdin_filename_and_missing_paths_exit_2(tmp_path):
    run, _ = run_cli(tmp_path / "missing.md")
    assert run.returncode == 2 and "不存在" in run.stderr.decode()


# --- issue 12: the user's files, special files, bounded work, batches, every file validated -----

from typer.testing import CliRunner  # noqa: E402

from checker.cli import app  # noqa: E402

CLEAN = EXAMPLES / "clean-2021.md"


def cli(*args):
    """The command in process (fast); exit code and everything it printed."""
    run = CliRunner().invoke(app, [*map(str, args)])
    assert "Traceback" not in run.output, run.output
    assert not isinstance(run.exception, Exception) or isinstance(run.exception, SystemExit), run.exception
    return run.exit_code, run.output


def _report(tmp_path, name="r.md", text=None):
    path = tmp_path / name
    path.write_text(text or CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    return path


# 1. nothing the user owns is overwritten or lost


@pytest.mark.parametrize("option", ["-o", "-o json:", "--write-baseline"])
def test_an_output_that_is_an_input_is_refused_before_reading(tmp_path, option):
    report = _report(tmp_path)
    before = report.read_bytes()
    args = ["check", report, "-o", f"json:{report}"] if option == "-o json:" else ["check", report, option, report]
    code, output = cli(*args)
    assert code == 2 and "拒绝覆盖" in output
    assert report.read_bytes() == before


def test_an_output_reached_through_another_spelling_is_still_the_input(tmp_path):
    report = _report(tmp_path)
    (tmp_path / "sub").mkdir()
    code, _ = cli("check", tmp_path, "-o", f"sarif:{tmp_path / 'sub' / '..' / 'r.md'}")
    assert code == 2 and report.read_text(encoding="utf-8").startswith("# 云溪县")


def test_outputs_are_written_atomically_and_leave_no_temp_file(tmp_path):
    report = _report(tmp_path)
    target = tmp_path / "out" / "r.json"
    target.parent.mkdir()
    target.write_text("earlier good copy", encoding="utf-8")
    os.chmod(target.parent, 0o500)  # a folder that cannot take the temp file: the write fails …
    try:
        code, output = cli("check", report, "-o", f"json:{target}")
    finally:
        os.chmod(target.parent, 0o700)
    if os.geteuid() != 0:  # (root writes anyway)
        assert code == 2 and "无法写入" in output
        assert target.read_text(encoding="utf-8") == "earlier good copy"  # … and the old copy stays
    code, _ = cli("check", report, "-o", f"json:{target}")
    assert target.read_text(encoding="utf-8").startswith("{")
    assert [p.name for p in target.parent.iterdir()] == ["r.json"]  # no .tmp left behind


def test_template_never_overwrites_a_draft(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("我已经写了一半", encoding="utf-8")
    code, output = cli("template", "--year", "2024", "-o", draft)
    assert code == 2 and "--force" in output and draft.read_text(encoding="utf-8") == "我已经写了一半"
    code, _ = cli("template", "--year", "2024", "-o", draft, "--force")
    assert code == 0 and "政府信息公开" in draft.read_text(encoding="utf-8")


def test_audit_owns_its_folder(tmp_path):
    reports = tmp_path / "in"
    reports.mkdir()
    for name in ("a.md", "b.md"):
        _report(reports, name)
    out = tmp_path / "out"
    assert cli("audit", reports, "-o", out, "-q")[0] == 0
    assert (out / ".xxgk-audit.json").is_file() and (out / "index.html").is_file()
    stale = out / "reports" / "stale.html"  # a page an earlier run of ours might have left …
    manifest = json.loads((out / ".xxgk-audit.json").read_text(encoding="utf-8"))
    manifest["files"].append("reports/stale.html")
    (out / ".xxgk-audit.json").write_text(json.dumps(manifest), encoding="utf-8")
    stale.write_text("old", encoding="utf-8")
    assert cli("audit", reports, "-o", out, "-q")[0] == 0  # … a re-run replaces its own folder
    assert not stale.exists()
    mine = out / "notes.txt"
    mine.write_text("我的笔记", encoding="utf-8")
    code, output = cli("audit", reports, "-o", out, "-q")
    assert code == 2 and "notes.txt" in output and "--force" in output
    assert cli("audit", reports, "-o", out, "-q", "--force")[0] == 0
    assert mine.read_text(encoding="utf-8") == "我的笔记"
    # the input folder as output: refused, the reports untouched
    before = {p.name: p.read_bytes() for p in reports.iterdir()}
    code, _ = cli("audit", reports, "-o", reports, "-q")
    assert code == 2 and {p.name: p.read_bytes() for p in reports.iterdir()} == before
    # forced into the input folder, its own pages are never read back as reports
    assert cli("audit", reports, "-o", reports, "-q", "--force")[0] == 0
    again = tmp_path / "again"
    assert cli("audit", reports, "-o", again, "-q")[0] == 0
    assert len(json.loads((again / "findings.json").read_text(encoding="utf-8"))["documents"]) == 2


def test_audit_refuses_a_symlinked_folder_and_leaves_no_temp(tmp_path):
    reports = tmp_path / "in"
    reports.mkdir()
    _report(reports, "a.md")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere)
    code, output = cli("audit", reports, "-o", tmp_path / "out", "-q")
    assert code == 2 and "符号链接" in output and list(elsewhere.iterdir()) == []
    assert not [p for p in tmp_path.iterdir() if ".xxgk-" in p.name]


# 2. bounded time and memory


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_special_files_are_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for target in (fifo, "/dev/zero"):
        run, seconds = run_cli(target)
        assert_handled(run, seconds)
        assert "不是普通文件" in run.stdout.decode()
    run, seconds = run_cli(tmp_path)  # a folder holding one: reported, not skipped, not hung
    assert_handled(run, seconds)
    assert "pipe.txt" in run.stdout.decode()


@pytest.mark.parametrize("size", [20_000, 100_000])
def test_long_digit_runs_are_linear(size):
    text = (
        "# 某局2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n全年共收到政府信息公开申请" + "9" * size + "件。\n"
    )
    start = time.perf_counter()
    result = check_bytes(text.encode(), "r.md")
    assert time.perf_counter() - start < 2
    assert not [f for f in result.facts.figures if f.topic == "new"]  # no figure of 100,000 digits


def test_a_table_cell_of_thousands_of_digits_is_text(clean_2021):
    text = clean_2021.replace("| 规章 | 0 | 0 | 0 |", "| 规章 | " + "9" * 5000 + " | 0 | 0 |")
    result = check_bytes(text.encode(), "r.md")
    assert [f.code for f in result.findings if f.code == "T203"] == ["T203"]
    assert not [f for f in result.findings if f.code == "E001"]


def test_a_line_of_invisible_characters_is_linear():
    text = "# 某局2024年政府信息公开工作年度报告\n\n" + "报\u200b" * 200_000 + "\n"
    start = time.perf_counter()
    check_bytes(text.encode(), "r.txt")
    assert time.perf_counter() - start < 5


def test_tens_of_thousands_of_directives():
    body = "".join(f"<!-- xxgk-disable-next A302 -- 理由 -->\n段落{i}\n\n" for i in range(20_000))
    text = "# 某局2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n" + body
    start = time.perf_counter()
    run = CliRunner().invoke(app, ["check", "-", "--stdin-filename", "r.md", "--format", "json"], input=text)
    assert run.exit_code in (0, 1) and time.perf_counter() - start < 20


def test_html_spans_that_expand_to_millions_of_cells():
    row = "<tr>" + '<td colspan="200" rowspan="200">1</td>' * 50 + "</tr>"
    page = (
        "<html><body><h1>某局2024年政府信息公开工作年度报告</h1><p>一、总体情况</p><table>"
        + row * 500
        + "</table></body></html>"
    )
    start = time.perf_counter()
    result = check_bytes(page.encode(), "r.html")
    assert time.perf_counter() - start < 5
    (finding,) = [f for f in result.findings if f.code == "E005"]
    assert finding.severity == "warning" and finding.loc.line == 1


def test_docx_grid_declared_huge_but_sparse():
    span = '<w:tc><w:tcPr><w:gridSpan w:val="200"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    rows = ("<w:tr>" + span * 50 + "</w:tr>") * 50 + "<w:tr/>" * 20_000
    body = f"<w:p><w:r><w:t>某局2024年政府信息公开工作年度报告</w:t></w:r></w:p><w:tbl>{rows}</w:tbl>"
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    ).encode()
    start = time.perf_counter()
    result = check_bytes(_docx_with(xml), "r.docx")
    assert time.perf_counter() - start < 10
    assert [f.code for f in result.findings if f.code == "E005"] == ["E005"]


def test_docx_styles_that_would_backtrack():
    styles = (
        '<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + '<w:style w:styleId="a"><w:basedOn w:val="b"/></w:style>' * 30_000
        + "</w:styles>"
    ).encode()
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="s{i}"/></w:pPr><w:r><w:t>段落{i}</w:t></w:r></w:p>' for i in range(300)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    ).encode()
    start = time.perf_counter()
    check_bytes(_docx_with(xml, {"word/styles.xml": styles}), "r.docx")
    assert time.perf_counter() - start < 5


def test_a_utf8_character_cut_at_the_end_changes_nothing(clean_2021):
    data = clean_2021.encode()
    whole = check_bytes(data, "r.md")
    cut = check_bytes(data + "中".encode()[:2], "r.md")
    assert [f.code for f in cut.findings] == [f.code for f in whole.findings]
    assert cut.report.title.text == whole.report.title.text


# 3. a batch survives a failing worker and an interrupt


def _audit_with_workers(tmp_path, reports: int):
    """An `audit -j 2` of `reports` reports, returned once its two workers are at work."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(reports):
        _report(folder, f"r{i:03}.md")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "checker", "audit", str(folder), "-o", str(out), "-j", "2", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    workers: list[str] = []
    while time.monotonic() < deadline and process.poll() is None and len(workers) < 2:
        workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        time.sleep(0.05)
    time.sleep(0.1)  # at work on its first reports
    assert process.poll() is None, "the audit ended before the test could act"
    return process, workers, out


@pytest.mark.full  # the smaller case: the forked worker that crashes on one report, below
def test_a_killed_worker_does_not_abort_the_batch(tmp_path):
    # enough reports that the audit is still at work when a worker is killed: a report takes
    # two or three milliseconds, and 200 were sometimes all done before the test could act
    process, workers, out = _audit_with_workers(tmp_path, 1000)
    os.kill(int(workers[-1]), 9)
    _, err = process.communicate(timeout=180)
    assert process.returncode == 0 and b"Traceback" not in err, err.decode()
    documents = json.loads((out / "findings.json").read_text(encoding="utf-8"))["documents"]
    assert len(documents) == 1000


def test_a_report_that_kills_its_worker_every_time_is_a_finding_and_the_rest_are_checked(tmp_path, monkeypatch):
    """A report whose worker dies whenever it is read (its reader crashes the process): the pool
    breaks, the reports it lost run again in a fresh pool, the one lost again runs alone, and
    dying there too it becomes a finding. Workers are forked: they inherit the crash."""
    import multiprocessing

    from checker.audit import run
    from checker.engine.rules import builtin_rules

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the crash is handed to workers by forking")
    paths = [str(_report(tmp_path, f"r{i:02}.md")) for i in range(40)]
    poison = str(_report(tmp_path, "r20-crash.md"))
    checked = run.analyse_one

    def crashing(path):
        if path == poison:
            os._exit(9)  # as a reader that crashes the interpreter would
        return checked(path)

    monkeypatch.setattr(run, "analyse_one", crashing)
    summaries = run.check_all(paths[:20] + [poison] + paths[20:], builtin_rules(), 2, (), quiet=True)
    assert [s.path for s in summaries] == paths[:20] + [poison] + paths[20:]
    (died,) = [s for s in summaries if s.path == poison]
    assert [f.code for f in died.findings] == ["E001"] and "意外终止" in died.findings[0].message
    assert all(s.readable and s.year == 2024 for s in summaries if s.path != poison)


def test_ctrl_c_stops_cleanly_with_130_and_no_output(tmp_path):
    import signal

    process, _, out = _audit_with_workers(tmp_path, 1000)  # mid-audit, as a user would press it
    process.send_signal(signal.SIGINT)
    start = time.monotonic()
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - start < 5
    assert process.returncode == 130 and b"Traceback" not in err and "已中断" in err.decode()
    assert not out.exists() and not [p for p in tmp_path.iterdir() if ".xxgk-" in p.name]


# 4. every file a user gives is validated: exit 2 with the file and what is wrong

RULE = """- code: N901
  name: my-rule
  title: 自定义
  severity: warning
  basis: 本地
  check: section-covers
  params: {topics: [{name: x, label: 某事, patterns: ["某事"]}]}
  message: "未涉及{topic}"
"""

BAD_RULES = {
    "invalid regex": RULE.replace('["某事"]', '["(某事"]'),
    "catastrophic regex": RULE.replace('["某事"]', '["(x+x+)+y"]'),
    "check is a list": RULE.replace("check: section-covers", "check: [a, b]"),
    "attribute in message": RULE.replace("未涉及{topic}", "{topic.__class__}"),
    "huge width in message": RULE.replace("未涉及{topic}", "{topic:999999999}"),
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nrules: [*b]\n",
    "unknown function": RULE.replace("check: section-covers", "check: equation").replace(
        'params: {topics: [{name: x, label: 某事, patterns: ["某事"]}]}',
        'params: {table: requests, each: column, expr: "new == foo(new)"}',
    ),
    "deep expression": RULE.replace("check: section-covers", "check: equation").replace(
        'params: {topics: [{name: x, label: 某事, patterns: ["某事"]}]}',
        'params: {table: requests, each: column, expr: "new == ' + "(" * 300 + "1" + ")" * 300 + '"}',
    ),
    "5000-digit constant": RULE.replace("check: section-covers", "check: equation").replace(
        'params: {topics: [{name: x, label: 某事, patterns: ["某事"]}]}',
        'params: {table: requests, each: column, expr: "new == ' + "9" * 1500 + '"}',
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_a_bad_rule_pack_exits_2_naming_the_file(tmp_path, case):
    pack = tmp_path / "pack.yaml"
    pack.write_text(BAD_RULES[case], encoding="utf-8")
    start = time.perf_counter()
    code, output = cli("check", CLEAN, "--rules", pack)
    assert code == 2 and "pack.yaml" in output, output
    assert time.perf_counter() - start < 10


def test_a_rule_pack_not_in_utf8(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_bytes(RULE.encode("gbk"))
    code, output = cli("check", CLEAN, "--rules", pack)
    assert code == 2 and "UTF-8" in output


USER_FILES = {
    "config not utf-8": ("--config", "c.toml", 'select = ["A"]\n'.encode("utf-16")),
    "config nested deep": ("--config", "c.toml", ("a = " + "[" * 5000 + "]" * 5000 + "\n").encode()),
    "waivers documents: 5": ("--waivers", "w.yaml", b"documents: 5\n"),
    "waivers mixed keys": ("--waivers", "w.yaml", b"- {1: 2, rule: A301, reason: x}\n"),
    "waivers alias": ("--waivers", "w.yaml", b"- &a {rule: A301, reason: x}\n- *a\n"),
    "baseline wrong types": (
        "--baseline",
        "b.json",
        b'{"schema": "xxgk-baseline/1", "entries": [{"path": 1, "code": 2, "fingerprint": 3}]}',
    ),
    "baseline nested deep": ("--baseline", "b.json", b"[" * 100_000 + b"]" * 100_000),
    "baseline not utf-8": ("--baseline", "b.json", b"\xff\xfe\x00{"),
}


@pytest.mark.parametrize("case", sorted(USER_FILES))
def test_a_bad_user_file_exits_2(tmp_path, case):
    option, name, data = USER_FILES[case]
    path = tmp_path / name
    path.write_bytes(data)
    code, output = cli("check", CLEAN, option, path)
    assert code == 2 and name in output, output


def test_a_datetime_expiry_is_a_date(tmp_path):
    waivers = tmp_path / "w.yaml"
    waivers.write_text("- {rule: A302, reason: 上级口径, expires: 2099-01-01T00:00:00}\n", encoding="utf-8")
    code, output = cli("check", CLEAN, "--waivers", waivers)
    assert code in (0, 1)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_baseline_or_history_is_refused(tmp_path):
    fifo = tmp_path / "b.json"
    os.mkfifo(fifo)
    code, output = cli("check", CLEAN, "--baseline", fifo)
    assert code == 2 and "不是普通文件" in output
    code, output = cli("audit", CLEAN, "-o", tmp_path / "out", "--history", fifo, "-q")
    assert code == 2 and "不是普通文件" in output


def test_history_that_is_not_an_audit(tmp_path):
    history = tmp_path / "h.json"
    history.write_text('{"documents": [{"path": "x", "facts": 5}]}', encoding="utf-8")
    code, output = cli("audit", CLEAN, "-o", tmp_path / "out", "--history", history, "-q")
    assert code == 2 and "h.json" in output


def test_a_utf16_file_with_bom_is_read_as_the_text_it_is(tmp_path):
    """Notepad's "Unicode" is UTF-16 with a BOM: its bytes are full of NULs, yet it is text."""
    import codecs

    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        report = tmp_path / f"{codec}.md"
        report.write_bytes(bom + text.encode(codec))
        result = check_path(report)
        assert result.findings == [] and result.facts.agency == "云溪县人民政府"


@pytest.mark.parametrize(
    "variables",
    [
        {"XDG_CACHE_HOME": "relative/cache", "HOME": ""},
        {"HOME": ""},
        {"HOME": "/"},
        {"XDG_CACHE_HOME": "", "HOME": "relative"},
    ],
)
def test_no_cache_folder_outside_an_absolute_home(tmp_path, monkeypatch, variables):
    from checker import user_cache

    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert user_cache.cache_base() is None and user_cache.cache_file("x.json", ".json") is None
    assert not list(tmp_path.iterdir())


def test_a_damaged_json_cache_entry_is_rebuilt_not_believed(tmp_path, monkeypatch):
    import json

    from checker import user_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_NO_CACHE", raising=False)
    built = []

    def build():
        built.append(1)
        return {"rules": ["A301"]}

    assert user_cache.cached_json("probe", build) == {"rules": ["A301"]} and len(built) == 1
    assert user_cache.cached_json("probe", build) == {"rules": ["A301"]} and len(built) == 1  # read back
    (place,) = (tmp_path / "xxgk-checker").glob("probe-*.json")
    stored = json.loads(place.read_text(encoding="utf-8"))
    stored["value"] = {"rules": ["X999"]}  # altered on disk, still valid JSON
    place.write_text(json.dumps(stored), encoding="utf-8")
    assert user_cache.cached_json("probe", build) == {"rules": ["A301"]} and len(built) == 2


_CATASTROPHIC = "(a+)+$"
_PATTERN_FIELDS = {
    "section-order.subtopics": f'check: section-order\n  params: {{sections: [一, 二], subtopics: "{_CATASTROPHIC}"}}',
    "text-slips.doubled": f'check: text-slips\n  params: {{doubled: "{_CATASTROPHIC}"}}',
    "prose-sums.figure": (
        'check: prose-sums\n  params: {figure: "' + _CATASTROPHIC + '", whole: "共", parts: "其中", '
        'exhaustive: "分别", percent: "占(?P<p>\\\\d+)%"}'
    ),
}


@pytest.mark.parametrize("field", sorted(_PATTERN_FIELDS))
def test_a_catastrophic_pattern_in_any_pattern_field_is_refused_at_load(tmp_path, field):
    """(a+)+$ takes seconds on one heading and doubles with each character: every field of kind
    pattern goes through one guard when the pack is loaded, whatever its check does with it."""
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        f"- code: S199\n  name: local-rule\n  title: 本地规则\n  severity: warning\n  basis: 本地\n"
        f'  {_PATTERN_FIELDS[field]}\n  message: "本地"\n',
        encoding="utf-8",
    )
    start = time.perf_counter()
    code, output = cli("check", CLEAN, "--rules", pack)
    assert code == 2 and "pack.yaml" in output and field.split(".")[1] in output and "嵌套的重复" in output, output
    assert time.perf_counter() - start < 10


def test_a_catastrophic_pattern_in_a_packs_table_layout_is_refused_at_load(tmp_path):
    shipped = (EXAMPLES.parent / "rules" / "tables" / "format-2021.yaml").read_text(encoding="utf-8")
    pack = tmp_path / "pack"
    (pack / "tables").mkdir(parents=True)
    (pack / "rules.yaml").write_text("[]\n", encoding="utf-8")
    import re as _re

    planted, count = _re.subn(r"match: '\^规章\$'", f"match: '{_CATASTROPHIC}'", shipped, count=1)
    assert count == 1
    (pack / "tables" / "format-2021.yaml").write_text(planted, encoding="utf-8")
    code, output = cli("check", CLEAN, "--rules", pack)
    assert code == 2 and "format-2021.yaml" in output and "嵌套的重复" in output, output
