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


def test_docx_template_is_the_official_form(tmp_path):
    """A4 with the 公文 margins, the fonts of GB/T 9704 in the styles (with fallbacks in the font
    table), the 勾稽 note one cell over the table's corner, wide tables on landscape pages with
    their headings, no empty paragraphs left in merged cells, and the document's own properties;
    the template filled with zeros checks without a structure or table error."""
    import zipfile

    import docx
    from docx.shared import Mm

    path = _filled_form(tmp_path)
    document = docx.Document(str(path))
    first = document.sections[0]
    assert (round(first.page_width / Mm(1)), round(first.page_height / Mm(1))) == (210, 297)
    assert [round(getattr(first, f"{side}_margin") / Mm(1)) for side in ("top", "bottom", "left", "right")] == [
        37,
        35,
        28,
        26,
    ]
    assert any(s.page_width > s.page_height for s in document.sections)  # table 三 on a landscape page
    styles = document.styles
    assert styles["Normal"].font.name == "仿宋_GB2312" and styles["Normal"].font.size.pt == 16
    assert styles["Heading 1"].font.name == "黑体" and styles["Title"].font.name == "方正小标宋简体"
    assert str(styles["Heading 1"].font.color.rgb) == "000000"
    properties = document.core_properties
    assert properties.author == "xxgk-checker" and properties.created.year >= 2025 and "年度报告" in properties.title
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode()
        fonts = package.read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"' in fonts
    requests = next(t for t in document.tables if "申请人情况" in t.rows[0].cells[-1].text)
    corner = requests.rows[0].cells[0]
    assert corner._tc is requests.rows[2].cells[2]._tc and "勾稽关系" in corner.text  # one cell, 3 × 3
    assert len(corner.paragraphs) == 1
    assert "<w:gridSpan" in body and "<w:vMerge" in body
    result = check_path(path)
    assert not [c for c in codes(result) if c[0] in "STA"], codes(result)
    heading = next(i for i, p in enumerate(document.paragraphs) if p.text.startswith("三、收到和处理"))
    section_starts = [
        p
        for p in document.paragraphs[heading - 1 : heading + 1]
        if p._p.pPr is not None and p._p.pPr.sectPr is not None
    ]
    assert section_starts  # the heading went onto the landscape page with its table


def test_a_table_laid_out_before_is_copied_with_its_own_figures(tmp_path):
    """The second document with the same official tables reuses their layout: its XML is what a
    fresh layout gives, with its own figures in the cells and the figures' cells found again."""
    import zipfile

    from checker.formats import docx_writer

    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    other = text.replace("| 2 | 1 | 0 | 1 | 4 |", "| 3 | 1 | 0 | 1 | 5 |")
    assert other != text

    def body(markdown: str, name: str) -> str:
        write(markdown, tmp_path / name)
        with zipfile.ZipFile(tmp_path / name) as package:
            return package.read("word/document.xml").decode()

    docx_writer._PROTOTYPES.clear()
    body(text, "first.docx")
    copied = body(other, "copied.docx")
    docx_writer._PROTOTYPES.clear()
    assert copied == body(other, "fresh.docx")
    result = check_path(tmp_path / "copied.docx")
    assert result.facts.cells["appeals.review.total"].value == 5
    assert result.facts.cells["appeals.review.upheld"].value == 3
    assert "A304" not in codes(result)


def test_template_words_are_the_official_forms():
    """The details a clerk copies (issue 33 §2): the 勾稽 note in its parentheses, the deadline
    as 第四十九条 words it for each kind, 五 and 六 guidance, a government's 第五十条 items in 监督保障."""
    department = render(2024, "department")
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in department
    assert "2025年1月31日前提交本级政府信息公开工作主管部门并向社会公布（《条例》第四十九条第一款）" in department
    assert "公布期限由地方规定（《条例》第四十九条未作规定）" in render(2024, "township")
    assert "第四十九条第二款" in render(2024, "government")
    assert "不得以“无”代替" in department and "上年度存在问题的改进情况" in department
    assert "表三（六）2" in department and "表三（六）2" not in render(2020, "department")
    overview = render(2024, "government").split("## 一、总体情况", 1)[1].split("## 二、", 1)[0]
    assert re.search(r"监督保障中写明工作考核、社会评议和责任追究结果情况", overview)
    assert "责任追究" not in render(2024, "department")


def _filled_form(tmp_path):
    from checker.facts.layouts import layout

    spec = layout("format-2021")
    zeros = {
        f"{name}.{row.key}.{column.key}": "0"
        for name, table in spec.tables.items()
        for row in table.rows
        for column in row.columns
    }
    path = tmp_path / "form.docx"
    write(render(2024, "department", zeros), path)
    return path


def test_docx_template_spans_repeats_and_aligns_as_the_official_form(tmp_path):
    """Table 二's one-column blocks span the three figure columns (header and figure alike), table
    三's three header rows repeat on each page, figures and the empty cells for them share one
    alignment, the signature and date stand on the right — read from the document's XML."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = docx.Document(str(_filled_form(tmp_path)))
    active = next(t for t in document.tables if "第二十条第（一）项" in t.rows[0].cells[0].text)
    spans = {}
    for row in active.rows:
        first = row._tr.tc_lst[0]
        texts = [tc.xpath("string(.)") for tc in row._tr.tc_lst]
        spans[texts[0]] = [
            int(tc.tcPr.gridSpan.val) if tc.tcPr is not None and tc.tcPr.gridSpan is not None else 1
            for tc in row._tr.tc_lst
        ]
        assert first is not None
    assert spans["行政许可"] == [1, 3] and spans["行政处罚"] == [1, 3] and spans["行政事业性收费"] == [1, 3]
    assert spans["规章"] == [1, 1, 1, 1]
    headers = [r for r in active.rows if r.cells[1].text == "本年处理决定数量"]
    assert len(headers) == 2 and all(len(r._tr.tc_lst) == 2 for r in headers)
    requests = next(t for t in document.tables if "申请人情况" in t.rows[0].cells[-1].text)
    repeated = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in requests.rows]
    assert repeated[:3] == [True, True, True] and not any(repeated[3:])
    assert not any(r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None for r in active.rows)
    figure_styles = {cell.paragraphs[0].style.name for row in requests.rows[3:] for cell in row.cells[3:]}
    assert figure_styles == {"表格居中"}
    closing = [p for p in document.paragraphs if p.text.strip()][-3:-1]  # the agency and the date, before the note
    assert closing[1].text.startswith("2025年")
    assert all(p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in closing)


def test_libreoffice_prints_table_three_with_its_header_on_every_page(tmp_path):
    """The header repeat as a reader sees it: LibreOffice prints the form, and every page that
    holds a row of table 三 also holds its header (申请人情况)."""
    import pypdfium2

    from renderers import available, libreoffice_pdf

    if not available("libreoffice-pdf"):
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    pdf = pypdfium2.PdfDocument(str(libreoffice_pdf(_filled_form(tmp_path), tmp_path / "pdf")))
    pages = [page.get_textpage().get_text_range().replace("\r", "").replace("\n", "") for page in pdf]
    rows_of_three = ["本年新收", "予以公开", "国家秘密", "逾期不补正", "结转下年度"]
    holding = [text for text in pages if any(word in text for word in rows_of_three)]
    assert len(holding) >= 2, "table 三 should run over more than one page of the form"
    assert all("申请人情况" in text for text in holding)
