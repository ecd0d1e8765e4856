"""`xxgk check --fix`: the certain corrections are made in a copy (or in place, or shown as a
diff), each said with its code; checking the fixed copy shows those findings gone and every
other finding unchanged — on every example and every seed."""

from __future__ import annotations

import hashlib
from pathlib import Path
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


# --- the user's files are sacred (issue 31 §4) ---

_FURNITURE = "<w:p><w:r><w:t>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</w:t></w:r></w:p>"
_ANCHORED = {
    "bookmark": (
        '<w:p><w:bookmarkStart w:id="7" w:name="top"/><w:r><w:t>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</w:t></w:r>'
        '<w:bookmarkEnd w:id="7"/></w:p>',
        "w:bookmarkStart",
    ),
    "text box": (
        '<w:p><w:r><w:t>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</w:t></w:r><w:r><w:pict><v:shape id="b" '
        'style="width:90pt;height:30pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>附件</w:t></w:r></w:p>'
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>",
        "<w:txbxContent>",
    ),
    "comment": (
        '<w:p><w:commentRangeStart w:id="3"/><w:r><w:t>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</w:t></w:r>'
        '<w:commentRangeEnd w:id="3"/></w:p>',
        "w:commentRangeStart",
    ),
}


def _docx_with(tmp_path, paragraph: str, comment: bytes = b"") -> Path:
    source = EXAMPLES / "defective-2021.docx"
    target = tmp_path / "report.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        new.comment = comment
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(_FURNITURE.encode(), paragraph.encode(), 1)
                data = data.replace(
                    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n',
                    1,
                )
            new.writestr(item, data)
    return target


@pytest.mark.parametrize("kind", sorted(_ANCHORED))
def test_furniture_that_anchors_something_loses_only_its_text(tmp_path, kind):
    paragraph, kept = _ANCHORED[kind]
    report = _docx_with(tmp_path, paragraph)
    run_cli("check", report, "--fix", "-qq")
    with zipfile.ZipFile(tmp_path / "report.fixed.docx") as fixed:
        document = fixed.read("word/document.xml").decode()
    assert kept in document and "当前位置" not in document


def test_a_fixed_word_file_keeps_its_zip_comment_and_its_xml_prolog(tmp_path):
    report = _docx_with(tmp_path, _FURNITURE, comment=b"made by the clerk's office")
    run_cli("check", report, "--fix", "-qq")
    with zipfile.ZipFile(report) as given, zipfile.ZipFile(tmp_path / "report.fixed.docx") as fixed:
        assert fixed.comment == b"made by the clerk's office"
        prolog = given.read("word/document.xml").split(b"<w:document")[0]
        assert prolog.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n')
        assert fixed.read("word/document.xml").split(b"<w:document")[0] == prolog


def test_an_existing_fixed_copy_is_not_replaced_without_force(tmp_path):
    report = tmp_path / "report.md"
    shutil.copyfile(EXAMPLES / "defective-2021.md", report)
    earlier = tmp_path / "report.fixed.md"
    earlier.write_text("修正后又改过的稿子", encoding="utf-8")
    refused = run_cli("check", report, "--fix", "-qq")
    assert refused.returncode == 2 and "已存在" in refused.stderr.decode() and "--force" in refused.stderr.decode()
    assert earlier.read_text(encoding="utf-8") == "修正后又改过的稿子"
    run_cli("check", report, "--fix", "--force", "-qq")
    assert "监督保障" in earlier.read_text(encoding="utf-8")


def test_a_folder_where_the_fixed_copy_goes_is_a_clear_exit_2(tmp_path):
    report = tmp_path / "report.md"
    shutil.copyfile(EXAMPLES / "defective-2021.md", report)
    (tmp_path / "report.fixed.md").mkdir()
    done = run_cli("check", report, "--fix", "--force", "-qq")
    assert done.returncode == 2 and "无法写入" in done.stderr.decode()


def test_fixing_in_place_through_a_link_fixes_the_file_and_keeps_link_and_mode(tmp_path):
    import os

    draft = tmp_path / "draft.md"
    shutil.copyfile(EXAMPLES / "defective-2021.md", draft)
    draft.chmod(0o600)
    link = tmp_path / "report.md"
    link.symlink_to(draft)
    run_cli("check", link, "--fix-in-place", "-qq")
    assert link.is_symlink() and "监督保障" in draft.read_text(encoding="utf-8")
    assert os.stat(draft).st_mode & 0o777 == 0o600
    other = tmp_path / "other.md"
    shutil.copyfile(EXAMPLES / "defective-2021.md", other)
    other.chmod(0o600)
    run_cli("check", other, "--fix", "-qq")
    assert os.stat(tmp_path / "other.fixed.md").st_mode & 0o777 == 0o600  # a private draft's copy is private too


def test_files_a_fix_cannot_write_faithfully_are_skipped_and_the_rest_fixed(tmp_path):
    """A damaged UTF-8 file, and a Big5 page whose simplified text Big5 cannot hold: each is left
    alone with a message; the other file of the folder is fixed."""
    text = (EXAMPLES / "defective-2021.md").read_text(encoding="utf-8")
    (tmp_path / "a-damaged.md").write_bytes(text.encode("utf-8")[:-40] + b"\xff\xfe" + text.encode("utf-8")[-40:])
    import opencc

    page = (
        "<html><head><meta charset='big5'></head><body><h1>雲溪縣人民政府2024年政府信息公開工作年度報告</h1>"
        "<p>"
        + opencc.OpenCC("s2t").convert("本机关认真贯彻落实条例，监督保障到位，全年组织业务培训两次。")
        + "</p></body></html>"
    )
    (tmp_path / "b-big5.html").write_bytes(page.encode("big5"))
    shutil.copyfile(EXAMPLES / "defective-2021.md", tmp_path / "c-good.md")
    done = run_cli("check", tmp_path, "--fix", "-qq")
    said = done.stderr.decode()
    assert done.returncode in (0, 1), said
    assert (tmp_path / "c-good.fixed.md").exists()
    assert "a-damaged.md：未修正" in said and not (tmp_path / "a-damaged.fixed.md").exists()
    if (tmp_path / "b-big5.fixed.html").exists():  # what Big5 holds was fixed in Big5
        (tmp_path / "b-big5.fixed.html").read_bytes().decode("big5")
    else:
        assert "b-big5.html：未修正" in said and "big5" in said.lower()


def test_a_diff_of_a_file_without_a_last_newline_applies_with_git(tmp_path):
    import subprocess

    report = tmp_path / "report.md"
    report.write_bytes((EXAMPLES / "defective-2021.md").read_bytes().rstrip(b"\n"))
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shown = run_cli("check", report, "--diff", cwd=tmp_path)
    patch = tmp_path / "fix.patch"
    patch.write_bytes(
        shown.stdout.replace(f"a/{report}".encode(), b"a/report.md").replace(f"b/{report}".encode(), b"b/report.md")
    )
    applied = subprocess.run(["git", "apply", "--check", str(patch)], cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
