"""`xxgk template`: the blank report has the shape the table rules expect, for every regime."""

from __future__ import annotations

import re

import pytest

from checker.formats.docx_writer import write
from checker.formats.template import render
from checker.pipeline import check_path
from conftest import EXAMPLES, check_text, codes

SHAPE = {"T201", "T202", "T205", "T208", "S101", "S102", "S104", "E002"}


@pytest.mark.parametrize("year,regime", [(2016, "regulation-2008"), (2020, "format-2019"), (2024, "format-2021")])
def test_blank_template_has_the_official_shape(year, regime):
    result = check_text(render(year, "department"))
    found = set(codes(result))
    assert result.facts.regime == regime and result.facts.year == year
    assert not found & SHAPE, found
    assert "Q705" in found  # its instructions must be replaced before publishing
    if regime != "regulation-2008":
        assert "T204" in found  # and its cells filled in
        assert len(result.facts.sections) == 6


@pytest.mark.parametrize("example,year", [("clean-2021.md", 2024), ("clean-2019.md", 2020)])
def test_clean_example_figures_in_the_template_shape_pass_the_table_rules(example, year):
    clean = check_text((EXAMPLES / example).read_text(encoding="utf-8"))
    values = {key: cell.text for key, cell in clean.facts.cells.items()}
    result = check_text(render(year, "department", values))
    table_codes = {c for c in codes(result) if c[0] in "TA"}
    assert table_codes == set(), table_codes
    assert {k: c.value for k, c in result.facts.cells.items()} == {k: c.value for k, c in clean.facts.cells.items()}


def test_docx_template_reads_back_with_the_same_cells(tmp_path):
    values = {"requests.new.total": "7", "appeals.review.total": "2"}
    markdown = render(2024, "government", values)
    path = tmp_path / "template.docx"
    write(markdown, path)
    from_docx = check_path(path)
    from_md = check_text(markdown)
    assert from_docx.facts.cells.keys() == from_md.facts.cells.keys()
    assert from_docx.facts.cells["requests.new.total"].value == 7
    assert from_docx.facts.cells["appeals.review.total"].value == 2
    assert not set(codes(from_docx)) & SHAPE


def test_government_template_asks_for_accountability_and_deadline():
    text = render(2024, "government")
    assert "责任追究" in text and "2025年3月31日前" in text
    assert "2025年1月31日前" in render(2024, "department")
    assert re.search(r"^## 四、政府信息公开的收费及减免情况$", render(2012), re.M)
