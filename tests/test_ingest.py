"""Ingest: every format into one Document, encodings detected, table spans expanded."""

from __future__ import annotations

import io

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.ingest import CellText, IngestError, Loc, TableBlock, TextBlock, ingest_bytes

REPORT = "一、总体情况\n2023年，本局收到申请5件。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected(encoding):
    doc = ingest_bytes(REPORT.encode(encoding), "r.txt")
    assert [b.text for b in doc.blocks] == ["一、总体情况", "2023年，本局收到申请5件。"]


def test_text_lines_keep_line_and_column():
    doc = ingest_bytes("\n\n    二、落实制度\n".encode(), "r.txt")
    (block,) = doc.blocks
    assert (block.loc.line, block.loc.column) == (3, 5)


def test_markdown_pipe_table_and_heading_hint():
    doc = ingest_bytes("# 标题\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".encode(), "r.md")
    title, table = doc.blocks
    assert title.hint == 1 and title.text == "标题"
    assert isinstance(table, TableBlock)
    assert [[c.text for c in row] for row in table.rows] == [["a", "b"], ["1", "2"]]
    assert table.rows[1][1].loc.line == 5


def test_markdown_cells_are_whole_cells_at_their_places():
    """Each pipe cell, however its row is written, is a complete CellText (every field set, so
    equality reads them all) at its line, its text's column and its (table, row, column)."""
    rows = ["| 收到申请 |  12 |   | 3|", "|a\\|b| c |", "  | 前导空格 | 0 |", "| 无尾竖线 | 1", "|||"]
    text = "# 标题\n\n" + rows[0] + "\n|---|---|---|---|\n" + "\n".join(rows[1:]) + "\n"
    doc = ingest_bytes(text.encode(), "r.md")
    (table,) = [b for b in doc.blocks if isinstance(b, TableBlock)]
    lines = text.splitlines()
    for r, row in enumerate(table.rows):
        line = next(i for i, t in enumerate(lines, 1) if t == rows[r])
        source = lines[line - 1]
        for c, cell in enumerate(row):
            raw = source[source.index("|") + 1 :].rstrip().removesuffix("|").replace("\\|", "\0\0").split("|")[c]
            written = raw.strip().replace("\0\0", "|")
            before = (
                source.index("|")
                + 1
                + sum(len(p) + 1 for p in source[source.index("|") + 1 :].replace("\\|", "\0\0").split("|")[:c])
            )
            column = before + len(raw) - len(raw.lstrip()) + 1 if written else before + len(raw) + 1
            assert cell == CellText(written, Loc(line, column, None, "line", (1, r + 1, c + 1)), r, c), (r, c)


def test_html_table_spans_expand_into_a_full_grid():
    html = """<html><body><script>var x = "不要";</script><nav>首页 导航</nav>
    <p>一、总体情况</p>
    <table><tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td></tr>
    <tr><td>3</td><td>&nbsp;</td></tr></table></body></html>"""
    doc = ingest_bytes(html.encode(), "r.html")
    texts = [b.text for b in doc.blocks if isinstance(b, TextBlock)]
    assert texts == ["一、总体情况"]
    (table,) = [b for b in doc.blocks if isinstance(b, TableBlock)]
    assert [[c.text for c in row] for row in table.rows] == [
        ["三、本年度办理结果", "（一）予以公开", "（一）予以公开"],
        ["三、本年度办理结果", "3", ""],
    ]
    assert table.rows[0][0] is table.rows[1][0]  # a merged cell stays one object


def test_html_cells_are_placed_by_table_row_and_column_merged_ones_at_their_top_left():
    html = """<html><body><table><tr><td>甲</td></tr></table><p>一、总体情况</p>
    <table><tr><td rowspan="2">三、办理结果</td><td colspan="2">（一）予以公开</td></tr>
    <tr><td>3</td></tr></table></body></html>"""
    doc = ingest_bytes(html.encode(), "r.html")
    first, second = [b for b in doc.blocks if isinstance(b, TableBlock)]
    assert first.rows[0][0].loc.cell == (1, 1, 1)
    assert [[c.loc.cell for c in row] for row in second.rows] == [
        [(2, 1, 1), (2, 1, 2), (2, 1, 2)],
        [(2, 1, 1), (2, 2, 2), (2, 2, 3)],
    ]  # the last slot: made empty


def test_html_word_pasted_spans_are_joined():
    html = "<p class=MsoNormal><span lang=EN-US>20</span><span>23</span><span>年</span><o:p></o:p></p>"
    doc = ingest_bytes(html.encode(), "r.htm")
    assert doc.blocks[0].text == "2023年"


def test_html_declared_gbk_is_read():
    html = '<html><head><meta charset="gbk"></head><body><p>政府信息公开</p></body></html>'
    doc = ingest_bytes(html.encode("gbk"), "r.html")
    assert doc.blocks[0].text == "政府信息公开"


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_heading("某局2023年政府信息公开工作年度报告", level=0)
    document.add_paragraph("一、总体情况")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "三、本年度办理结果"
    table.cell(0, 0).merge(table.cell(2, 0))  # vertical merge
    table.cell(0, 1).text = "行政复议"
    table.cell(0, 1).merge(table.cell(0, 2))  # horizontal merge
    table.cell(1, 1).text = "1"
    table.cell(1, 2).text = "2"
    document.add_paragraph("二、主动公开政府信息情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_tables_in_order_with_merged_cells():
    doc = ingest_bytes(_docx_bytes(), "r.docx")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["TextBlock", "TextBlock", "TableBlock", "TextBlock"]
    assert doc.blocks[0].hint == 1
    table = doc.blocks[2]
    grid = [[c.text for c in row] for row in table.rows]
    assert grid[0] == ["三、本年度办理结果", "行政复议", "行政复议"]
    assert [row[0].text for row in table.rows] == ["三、本年度办理结果"] * 3
    assert table.rows[0][0] is table.rows[2][0]
    assert doc.blocks[3].loc.unit == "paragraph"


@pytest.mark.parametrize(
    "data,name,words",
    [
        (b"", "r.txt", "没有可读取"),
        (b"\x00\x01\x02binary" * 50, "r.txt", "二进制"),
        (b"PK\x03\x04 not really a zip", "r.docx", "Word"),
        (b"hello", "r.docx", "不是 Word"),
        (b"hello", "r.pdf", "不是 PDF"),
        (b"hello", "r.xls", "不支持"),
    ],
)
def test_unreadable_input_is_an_ingest_error(data, name, words):
    with pytest.raises(IngestError) as error:
        ingest_bytes(data, name)
    assert words in str(error.value)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(st.sampled_from("本年 新收\u3000\xa0\t\n\r\x0b\x0c\u2003\u200b\u2028\u0085\x1c１a")))
def test_white_space_is_dropped_and_collapsed_as_the_regular_expressions_did(text):
    """compact and html.clean break at str.split()'s white space: exactly what \\s matches."""
    import re

    from checker.ingest.document import compact
    from checker.ingest.html import _CJK_GAP, clean

    assert compact(text) == re.sub(r"\s+", "", text)
    assert clean(text) == _CJK_GAP.sub("", re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip())


def _whole(cell) -> bool:
    """Every field of the cell and of its Loc is set (a field left unset fails the comparison)."""
    loc = Loc(*(getattr(cell.loc, name) for name in Loc.__slots__))
    return cell == CellText(cell.text, loc, cell.row, cell.col)


def test_html_and_word_cells_are_whole_cells_at_their_places():
    """The html and Word readers make their cells field by field (document.new_cell): each is
    complete and carries its reader's unit and its (table, row, column) from 1."""
    html = (
        "<html><body><p>二、主动公开政府信息情况</p><table>\n<tr><td rowspan='2'>信息内容</td><td>本年制发件数</td><td></td></tr>\n"
        "<tr><td>12</td><td> 3 </td></tr>\n</table></body></html>"
    )
    (table,) = [b for b in ingest_bytes(html.encode(), "r.html").blocks if isinstance(b, TableBlock)]
    assert all(_whole(cell) for row in table.rows for cell in row)
    assert [[(c.text, c.loc.unit, c.loc.cell) for c in row] for row in table.rows] == [
        [("信息内容", "line", (1, 1, 1)), ("本年制发件数", "line", (1, 1, 2)), ("", "line", (1, 1, 3))],
        [("信息内容", "line", (1, 1, 1)), ("12", "line", (1, 2, 2)), ("3", "line", (1, 2, 3))],
    ]
    assert table.rows[1][1].loc.line == 3 and html.splitlines()[2][table.rows[1][1].loc.column - 1 :].startswith("12")

    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    grid = document.add_table(rows=2, cols=3)
    for (r, c), text in {(0, 1): "本年制发件数", (1, 1): "12", (1, 2): "3"}.items():
        grid.cell(r, c).text = text
    grid.cell(0, 0).merge(grid.cell(1, 0)).text = "信息内容"
    buffer = io.BytesIO()
    document.save(buffer)
    (table,) = [b for b in ingest_bytes(buffer.getvalue(), "r.docx").blocks if isinstance(b, TableBlock)]
    assert all(_whole(cell) for row in table.rows for cell in row)
    assert [[(c.text, c.loc.unit, c.loc.cell, c.loc.column) for c in row] for row in table.rows] == [
        [
            ("信息内容", "paragraph", (1, 1, 1), 1),
            ("本年制发件数", "paragraph", (1, 1, 2), 2),
            ("", "paragraph", (1, 1, 3), 3),
        ],
        [("信息内容", "paragraph", (1, 1, 1), 1), ("12", "paragraph", (1, 2, 2), 2), ("3", "paragraph", (1, 2, 3), 3)],
    ]
