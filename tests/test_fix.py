"""`xxgk check --fix`: the certain corrections are made in a copy (or in place, or shown as a
diff), each said with its code; checking the fixed copy shows those findings gone and every
other finding unchanged — on every example and every seed."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from collections import Counter

import pytest

from checker.pipeline import check_path
from conftest import EXAMPLES, real_params, real_path, run_cli

FIXABLE = {"Q701", "Q702", "Q703"}
# what goes with them: the file no longer shows the capture they were the evidence of
CONSEQUENT = {"E007"}


def _reports():
    return sorted(EXAMPLES.glob("*.md")) + sorted(EXAMPLES.glob("*.docx")) + real_params("seeds", "*.txt")


@pytest.mark.parametrize("source", _reports(), ids=lambda p: p.name)
def test_fixing_removes_only_what_it_fixed(source, tmp_path):
    source = real_path(source)
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    before = check_path(copy)
    done = run_cli("check", copy, "--fix", "-qq")
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == digest  # the input is never touched
    fixed = copy.with_name(f"{copy.stem}.fixed{copy.suffix}")
    said = done.stderr.decode()
    if not fixed.exists():
        assert not said
        return
    after = check_path(fixed)
    gone = Counter((f.code, f.anchor) for f in before.findings) - Counter((f.code, f.anchor) for f in after.findings)
    new = Counter((f.code, f.anchor) for f in after.findings) - Counter((f.code, f.anchor) for f in before.findings)
    assert not new, new  # nothing appears
    assert {code for code, _ in gone} <= FIXABLE | CONSEQUENT, gone  # only what --fix fixes goes
    for code, _ in gone:
        assert code in CONSEQUENT or f" {code} " in said  # and each fix is said with its code
    assert {k: c.value for k, c in after.facts.cells.items()} == {k: c.value for k, c in before.facts.cells.items()}


def test_the_defective_example_is_fixed_and_the_diff_shows_it(tmp_path):
    copy = tmp_path / "report.md"
    shutil.copyfile(EXAMPLES / "defective-2021.md", copy)
    shown = run_cli("check", copy, "--diff")
    assert shown.returncode == 1 and not (tmp_path / "report.fixed.md").exists()
    diff = shown.stdout.decode()
    assert "-当前位置：首页" in diff and "+（五）监督保障" in diff and "-（五）監督保障" in diff
    run_cli("check", copy, "--fix-in-place", "-qq")
    codes = {f.code for f in check_path(copy).findings}
    assert not codes & {"Q701", "Q703"} and "D602" in codes  # a date slip is not a certain fix


def test_a_word_copy_keeps_everything_but_the_fixed_text(tmp_path):
    copy = tmp_path / "report.docx"
    shutil.copyfile(EXAMPLES / "defective-2021.docx", copy)
    run_cli("check", copy, "--fix", "-qq")
    fixed = tmp_path / "report.fixed.docx"
    with zipfile.ZipFile(copy) as old, zipfile.ZipFile(fixed) as new:
        assert old.namelist() == new.namelist()
        assert all(old.read(n) == new.read(n) for n in old.namelist() if n != "word/document.xml")
        assert "監督" in old.read("word/document.xml").decode() and "監督" not in new.read("word/document.xml").decode()
    assert {"Q701", "Q703"}.isdisjoint(f.code for f in check_path(fixed).findings)


def test_full_width_digits_in_a_table_are_made_half_width(tmp_path):
    source = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    row = next(line for line in source.splitlines() if line.startswith("| 一、本年新收"))
    wide = row.replace("38", "３８")
    report = tmp_path / "wide.md"
    report.write_text(source.replace(row, wide), encoding="utf-8")
    done = run_cli("check", report, "--fix", "-qq")
    assert row in (tmp_path / "wide.fixed.md").read_text(encoding="utf-8") and "全角数字" in done.stderr.decode()


def test_a_web_page_is_fixed_in_its_text_never_in_its_markup(tmp_path):
    """繁体 and pinyin in a web page's text are fixed; its tags, attributes and script stay as
    written, byte for byte."""
    import sys

    sys.path.insert(0, str(EXAMPLES.parent / "tests"))
    from batch import md_to_html

    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    page = md_to_html(markdown.replace("监督保障", "監督保障").replace("主动公开。", "主动公开(gōng)。", 1))
    page = page.replace("<body>", '<body><div class="公開" data-note="開放">')
    report = tmp_path / "page.html"
    report.write_text(page, encoding="utf-8")
    before = check_path(report)
    assert {"Q701", "Q702"} <= {f.code for f in before.findings}
    run_cli("check", report, "--fix", "-qq")
    fixed = (tmp_path / "page.fixed.html").read_text(encoding="utf-8")
    assert "监督保障" in fixed and "(gōng)" not in fixed
    assert 'class="公開" data-note="開放"' in fixed  # markup untouched
    assert not {"Q701", "Q702"} & {f.code for f in check_path(tmp_path / "page.fixed.html").findings}


def test_a_word_diff_shows_a_fixed_table_row(tmp_path):
    """--diff on a Word file shows every table row, so a fix below a table's first row is seen."""
    import docx

    copy = tmp_path / "report.docx"
    shutil.copyfile(EXAMPLES / "clean-2021.docx", copy)
    document = docx.Document(str(copy))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "总计")
    cell = next(c for row in table.rows[1:] for c in row.cells if c.text == "38")
    cell.paragraphs[0].runs[0].text = "３８"
    document.save(str(copy))
    shown = run_cli("check", copy, "--diff").stdout.decode()
    assert "３８" in shown and any(line.startswith("+") and " 38 " in line + " " for line in shown.splitlines())
