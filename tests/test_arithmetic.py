"""Mutate one cell of a clean 2021 table: the right A3xx fires on the right row and column."""

from __future__ import annotations

import re

import pytest

from checker.facts.layouts import layout
from conftest import EXAMPLES, check_text, every_finding

SPEC = layout("format-2021").tables["requests"]
COLUMNS = [c.key for c in SPEC.columns]


def _row_line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("| ") and label in line)


def _bump(text: str, label: str, column: int) -> str:
    """Add 1 to the column-th number (0 = 自然人) of the table row whose label contains `label`."""
    line = _row_line(text, label)
    cells = line.split("|")
    numbers = [i for i, c in enumerate(cells) if re.fullmatch(r"\s*\d+\s*", c)]
    index = numbers[column]
    cells[index] = f" {int(cells[index]) + 1} "
    return text.replace(line, "|".join(cells))


def _anchors(result, code):
    return sorted(f.anchor for f in every_finding(result) if f.code == code)  # a subsumed one still found it


def test_clean_report_has_no_arithmetic_finding(clean_2021):
    result = check_text(clean_2021)
    assert [f for f in result.findings if f.code.startswith("A")] == []
    assert result.unassessed == []


def test_every_keyed_cell_is_complete(clean_2021):
    """Keyed cells are made field by field: each has every field (equality reads them all) and
    says where it came from."""
    from checker.facts.tables import CellFact

    cells = check_text(clean_2021).facts.cells
    new = cells["requests.new.natural_person"]
    assert (new.table, new.row, new.column, new.kind, new.label) == (
        "requests",
        "new",
        "natural_person",
        "number",
        "一、本年新收政府信息公开申请数量",
    )
    for key, cell in cells.items():
        assert cell == CellFact(*(getattr(cell, name) for name in CellFact.__slots__))
        assert key == f"{cell.table}.{cell.row}.{cell.column}"


@pytest.mark.parametrize("column", range(6))
def test_new_applications_cell(clean_2021, column):
    result = check_text(_bump(clean_2021, "本年新收", column))
    key = COLUMNS[column]
    assert _anchors(result, "A301") == [f"requests/new/{key}"]
    assert _anchors(result, "A302") == ["requests/new/total"]
    assert _anchors(result, "A303") == []


@pytest.mark.parametrize(
    "label,row",
    [
        ("1.属于国家秘密", "outcome.withheld.state_secret"),
        ("2.重复申请", "outcome.unprocessed.repeated"),
        ("3.其他", "outcome.other.misc"),
    ],
)
def test_outcome_leaf_cell(clean_2021, label, row):
    result = check_text(_bump(clean_2021, label, 1))
    assert _anchors(result, "A303") == ["requests/outcome.total/commercial"]
    assert _anchors(result, "A302") == [f"requests/{row}/total"]
    assert _anchors(result, "A301") == []


def test_total_column_cell(clean_2021):
    result = check_text(_bump(clean_2021, "结转下年度", 6))
    assert _anchors(result, "A302") == ["requests/carried_forward/total"]
    assert _anchors(result, "A301") == ["requests/new/total"]


def test_appeal_total(clean_2021):
    text = clean_2021.replace("| 2 | 1 | 0 | 1 | 4 |", "| 2 | 1 | 0 | 1 | 5 |")
    result = check_text(text)
    assert _anchors(result, "A304") == ["appeals/review/total"]
    (finding,) = [f for f in result.findings if f.code == "A304"]
    assert "总计为5" in finding.message and "之和为4" in finding.message


def test_blank_cell_is_not_assessable_not_zero(clean_2021):
    line = _row_line(clean_2021, "7.属于行政执法案卷")
    text = clean_2021.replace(line, line.replace("| 0 |", "| / |", 1))
    result = check_text(text)
    assert not [f for f in result.findings if f.code == "A303"]
    assert any("requests.outcome.withheld.enforcement.natural_person" in u["unknown"] for u in result.unassessed)


def test_docx_twin_gives_the_same_cells(clean_2021):
    from pathlib import Path

    from checker.pipeline import check_path

    docx_result = check_path(Path(__file__).parent.parent / "examples" / "clean-2021.docx")
    md_result = check_text(clean_2021)
    assert {k: c.value for k, c in docx_result.facts.cells.items()} == {
        k: c.value for k, c in md_result.facts.cells.items()
    }
    assert docx_result.findings == []


def test_a_split_number_is_named_in_the_message(clean_2021):
    """PDF extraction turned 38 into "3 | 8": the row has one value too many."""
    line = _row_line(clean_2021, "本年新收")
    split = line.replace("| 38 |", "| 3 | 8 |")
    result = check_text(clean_2021.replace(line, split))
    a302 = [f for f in result.findings if f.code == "A302"]
    assert len(a302) == 1 and "「3」「8」合并为「38」" in a302[0].message


def test_two_adjacent_digits_that_do_not_restore_the_sum_get_no_hint(clean_2021):
    line = _row_line(clean_2021, "本年新收")
    result = check_text(clean_2021.replace(line, line.replace("| 0 | 45 |", "| 0 | 7 | 45 |")))
    a302 = [f for f in result.findings if f.code == "A302"]
    assert a302 and all("合并" not in f.message for f in a302)


def test_a_2019_table_with_one_other_row_sums_through_it():
    text = (EXAMPLES / "clean-2019.md").read_text(encoding="utf-8")
    result = check_text(text)
    assert not [f for f in result.findings if f.code.startswith("A")]
    assert not [u for u in result.unassessed if "outcome" in u["anchor"]]
