"""The 2008-era local statistics table (指标名称 / 计量单位 / 本年度 / 历年累计) is read only where
the reading is certain, and the same table gives the same findings as text, broken over lines, or
as a Word table."""

from __future__ import annotations

import docx

from checker.pipeline import check_path
from conftest import check_text

HEAD = "# 某县统计局2014年政府信息公开工作年度报告\n## 一、概述\n本局依照条例公开政府信息。\n## 六、政府信息公开情况统计表\n"
ROWS = [
    ("指标名称", "计量单位", "2014年度", "历年累计"),
    ("主动公开文件数", "条", "120", "980"),
    ("受理依申请公开信息总数", "条", "5", "20"),
    ("其中：1、当面申请数", "条", "1", "6"),
    ("2、网上申请数", "条", "3", "10"),
    ("3、信函、传真申请数", "条", "2", "4"),  # 1 + 3 + 2 = 6, not 5
    ("对申请的答复总数", "条", "5", "20"),
    ("其中：1、同意公开答复数", "条", "4", "15"),
    ("2、不予公开答复数", "条", "1", "3"),  # cumulative 15 + 3 = 18, not 20
    ("行政复议数", "件", "0", "0"),
]


def _found(result) -> list[tuple[str, str]]:
    return sorted((f.code, f.anchor) for f in result.findings if f.code in ("A309", "A310"))


EXPECTED = [
    ("A309", "local/受理依申请公开信息总数/this_year"),
    ("A309", "local/对申请的答复总数/cumulative"),
]


def test_a_flattened_table_is_read_and_its_sums_checked():
    text = HEAD + " ".join(" ".join(row) for row in ROWS) + " 附件下载\n"
    assert _found(check_text(text)) == EXPECTED


def test_the_same_table_broken_after_every_row_gives_the_same_findings():
    text = HEAD + "\n".join(" ".join(row) for row in ROWS) + "\n"
    assert _found(check_text(text)) == EXPECTED


def test_the_same_table_in_word_gives_the_same_findings(tmp_path):
    document = docx.Document()
    document.add_heading("某县统计局2014年政府信息公开工作年度报告", 0)
    document.add_paragraph("一、概述")
    document.add_paragraph("本局依照条例公开政府信息。")
    document.add_paragraph("六、政府信息公开情况统计表")
    table = document.add_table(rows=len(ROWS), cols=4)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = tmp_path / "report.docx"
    document.save(str(path))
    assert _found(check_path(path)) == EXPECTED


def test_figures_run_together_are_not_read():
    """ "条346085376": which digits are 本年度 and which 历年累计 is not certain — nothing is said."""
    text = HEAD + "".join("".join(row) for row in ROWS) + "\n"
    assert _found(check_text(text)) == []
