"""The acceptance checks of the foundation on real reports (../shared), and no crash on any."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.pipeline import check_path
from conftest import codes, real_files, real_params, real_path, shared_dir


def _seed(prefix: str):
    (path,) = shared_dir("seeds").glob(f"{prefix}_*.txt")
    return check_path(path)


def _by_code(result, code):
    return [f for f in result.findings if f.code == code]


def test_seed_000_old_regime_without_fees():
    result = _seed("000")
    assert result.facts.regime == "regulation-2008"
    assert any("收费及减免" in f.message for f in _by_code(result, "S106"))
    assert "N501" not in codes(result)  # it says 未收到 applications, appeals and suits


def test_seed_001_2019_format_traditional_pinyin_no_title_lost_tables():
    result = _seed("001")
    assert result.facts.regime == "format-2019"
    assert {"Q701", "Q702", "S105"} <= set(codes(result))
    # one cause, one finding: each lost table is one S104 on its heading, with T201 (and the
    # N501 counts the table held) kept countable under it, not as errors of their own
    empty = _by_code(result, "S104")
    assert [(f.section, f.loc.line) for f in empty] == [("二", 9), ("三", 10), ("四", 11)]
    assert not _by_code(result, "T201") and not _by_code(result, "N501")
    assert [sorted(r.code for r in f.related) for f in empty] == [["T201"], ["N501", "T201"], ["N501", "N501", "T201"]]
    assert result.facts.agency == "广州市体育局" and result.facts.agency_kind == "department"  # from the body


def test_seed_002_chinese_numeral_date_on_time():
    result = _seed("002")
    assert result.facts.published == dt.date(2012, 3, 16)
    assert "D601" not in codes(result)
    assert "S106" in codes(result)


def test_seed_003_page_residue_publication_and_garbled_date():
    result = _seed("003")
    assert "Q703" in codes(result)
    assert result.facts.published == dt.date(2019, 3, 14)
    assert any("1015日" in f.message for f in _by_code(result, "D602"))


def test_seed_004_title_joined_count_not_stated_fees_present():
    result = _seed("004")
    assert result.report.title.text == "张店区体育局2017年政府信息公开工作年度报告"
    assert [f.message for f in _by_code(result, "N501") if "申请" in f.message]
    assert "S106" not in codes(result)


def _corpus():
    return (real_files("corpus") + real_files("seeds", "*.txt")) or real_params("corpus")


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_every_real_report_runs_without_a_crash(path):
    result = check_path(real_path(path))
    assert result.facts is not None, [f.message for f in result.findings]
    assert not any("内部错误" in f.message for f in result.findings)


def _corpus_file(prefix: str):
    (path,) = shared_dir("corpus").glob(f"{prefix}_*")
    return check_path(path)


def test_seed_003_says_it_handled_one_request_and_that_nobody_applied():
    result = _seed("003")
    (finding,) = _by_code(result, "C405")
    assert "1件" in finding.message and "没有公民" in finding.message


def test_shanghai_2019_prose_contradicts_its_table():
    """REGULATION.md §4.8: the text said 258 and 265 where the table gave 275 and 337."""
    result = _corpus_file("007")
    messages = [f.message for f in _by_code(result, "C401")]
    assert any("258" in m and "275" in m for m in messages)
    assert any("265" in m and "337" in m for m in messages)
    assert _by_code(result, "T204")  # its blank (&nbsp;) cells are not zeros
    assert not {"T202", "T205"} & set(codes(result))  # 2019 columns in a 2019 report


def test_pingtan_manifest_defects():
    assert any("2016年，我们将" in f.message for f in _by_code(_corpus_file("016"), "C407"))  # was C402
    assert any("supportLists" in f.message for f in _by_code(_corpus_file("016"), "Q702"))
    assert any("《《" in f.message for f in _by_code(_corpus_file("018"), "Q704"))
    assert any("三是、三是" in f.message for f in _by_code(_corpus_file("023"), "Q704"))
    assert not _by_code(_corpus_file("015"), "Q704")  # nested 一是 lists are not slips


@pytest.mark.parametrize("prefix, errors", [("002", []), ("003", ["N503"])])
def test_huaian_pdfs_have_no_error_level_finding_but_what_the_source_lacks(prefix, errors):
    """Read and checked by hand: nothing in these two reports is wrong at error level, but for
    the 淮安市人民政府 2024 report saying nothing at all of 工作考核、社会评议、责任追究 (第五十条（四）;
    the words are nowhere in its text layer, pdftotext agrees)."""
    result = _corpus_file(prefix)
    assert [f.code for f in result.findings if f.severity == "error"] == errors


def test_lists_with_one_item_per_paragraph_are_not_slips():
    assert not _by_code(_seed("002"), "Q704")
    assert not _by_code(_seed("004"), "Q704")
    assert not _by_code(_corpus_file("003"), "Q704")  # items run over PDF lines


def test_ocr_markdown_fragments_give_the_tables_back():
    """004: table 三 cut into one table per group under invented headers, table 四 into three."""
    result = _corpus_file("004")
    cells = result.facts.cells
    assert cells["requests.new.total"].value == 713
    assert cells["requests.outcome.total.total"].value == 718
    assert [cells[f"appeals.{g}.total"].value for g in ("review", "litigation_direct", "litigation_after_review")] == [
        61,
        3,
        10,
    ]
    assert not {"T201", "T202", "T208", "N501"} & set(codes(result))
    assert not [f for f in result.findings if f.code.startswith("A")] and result.unassessed == []


def test_extracted_appeals_table_without_its_header_words_is_known_by_its_sums():
    result = _corpus_file("006")
    cells = result.facts.cells
    assert [cells[f"appeals.{g}.total"].value for g in ("review", "litigation_direct", "litigation_after_review")] == [
        55,
        12,
        22,
    ]
    assert not {"T201", "N501"} & set(codes(result))


def test_ocr_lookalike_in_the_agency_name_is_found_once_with_every_occurrence_counted():
    """004: OCR read 沭阳 as 沐阳 throughout; one Q706 names the real county and counts them all."""
    result = _corpus_file("004")
    (finding,) = _by_code(result, "Q706")
    assert "「沐阳县」" in finding.message and "「沭阳县」" in finding.message and "共4处" in finding.message
    assert finding.loc.line == 1


def test_no_real_report_has_a_lookalike_place_but_the_ocr_one():
    flagged = {
        p.name
        for p in [*shared_dir("corpus").iterdir(), *shared_dir("seeds").iterdir()]
        if p.suffix in (".txt", ".md", ".html", ".pdf") and "Q706" in codes(check_path(p))
    }
    assert flagged == {"004_shuyang-county-gov-2025_ocr.md"}


def test_extracted_row_that_lost_a_cell_is_not_guessed():
    """006: "| 规章 | 22 | 235 |" under 制发 | 废止 | 现行有效 — 235 is 现行有效, not 废止; no figure is
    placed in a column it may not belong to, and T202 says why."""
    result = _corpus_file("006")
    cells = result.facts.cells
    assert {cells[f"active.rules.{c}"].kind for c in ("issued", "repealed", "in_force")} == {"unsplit"}
    assert all(cells[f"active.rules.{c}"].value is None for c in ("issued", "repealed", "in_force"))
    # a table cut apart by extraction is one warning per table saying what could not be read,
    # at the first row that lost cells, never a run of errors about rows that are in fact there
    (active,) = [f for f in _by_code(result, "T208") if f.section == "二"]  # was T202
    assert active.severity == "warning" and active.loc.line == 97
    assert "「规章」行只读到「22、235」" in active.message and "「行政许可」" in active.message
    assert "以零散文字出现在表外" in active.message


def test_extraction_fragments_are_not_reported_missing():
    """006: rows present as loose lines, a garbled header piece (三、本法提供) and a lost 五 heading
    are "could not read", never errors; the fee stated as 信息公开处理费 and a nil statement about
    复议纠错 are read for what they say."""
    result = _corpus_file("006")
    assert [f for f in result.findings if f.severity == "error"] == []
    assert not _by_code(result, "S102") and not _by_code(result, "N505") and not _by_code(result, "C401")
    assert not _by_code(result, "T202") and [f.section for f in _by_code(result, "T208")] == ["二", "三"]
    (headless,) = _by_code(result, "S101")
    assert headless.severity == "warning" and headless.loc.line == 183 and "（一）2024 年工作中" in headless.message
