"""Normalisation records what it changes; the grammar builds the report structure."""

from __future__ import annotations

from checker.ingest import ingest_bytes
from checker.normalize import normalize
from checker.parse import parse


def _doc(text: str, name: str = "r.txt"):
    return normalize(ingest_bytes(text.encode("utf-8"), name))


def test_traditional_script_is_converted_and_recorded():
    doc = _doc("一、總體情況\n本局認真貫徹條例。\n")
    assert doc.blocks[0].text == "一、总体情况"
    assert any(c.kind == "t2s" and "總" in c.original for c in doc.changes)


def test_pinyin_debris_is_removed_and_columns_map_back():
    doc = _doc("有關(guān)規(guī)定和要求\n")
    (block,) = doc.blocks
    assert block.text == "有关规定和要求"
    pinyin = [c for c in doc.changes if c.kind == "pinyin"]
    assert [c.original for c in pinyin] == ["(guān)", "(guī)"]
    assert block.column_of(block.text.index("和")) == "有關(guān)規(guī)定和".index("和") + 1


def test_page_residue_is_removed_and_publication_date_kept():
    doc = _doc(
        "当前位置:首页 > 政务公开 > 年度报告 >\n某局2018年度政府信息公开工作年度报告\n"
        "发布时间:2019-03-14 09:17来源:办公室\n一、概述\n正文。\n"
    )
    assert doc.meta["published"] == "2019-03-14"
    assert [c.kind for c in doc.changes] == ["residue", "residue"]
    assert all("当前位置" not in b.text and "发布时间" not in b.text for b in doc.blocks)


def test_title_split_over_lines_inline_heading_and_closing():
    report = parse(
        _doc(
            "某区体育局2017年政府信息公开\n工作年度报告\n市政府办公室：\n"
            "一、领导重视，责任落实。我局领导高度重视。\n（一）建立机制。专人负责。\n"
            "二、存在问题\n人员不足。\n某区体育局\n二〇一八年三月十六日\n"
        )
    )
    assert report.title.text == "某区体育局2017年政府信息公开工作年度报告"
    assert report.addressee == "市政府办公室"
    first = report.sections[0]
    assert (first.ordinal, first.heading) == ("一、", "领导重视，责任落实")
    assert first.children[0].text == "我局领导高度重视。"
    assert first.children[1].heading == "建立机制"
    assert report.closing.signature == "某区体育局"
    assert report.closing.text == "二〇一八年三月十六日"


def test_table_row_label_after_its_section_is_not_a_heading():
    report = parse(
        _doc("一、总体情况\n概述。\n二、主动公开\n三、收到和处理申请情况\n一、本年新收政府信息公开申请数量 5\n")
    )
    assert [s.ordinal for s in report.sections] == ["一、", "二、", "三、"]
    assert report.sections[2].children[0].text.startswith("一、本年新收")


def test_no_line_structure_is_kept_as_paragraphs():
    report = parse(_doc("只有一段话，没有任何标题。\n"))
    assert not report.fallback
    assert [p.text for p in report.paragraphs()] == ["只有一段话，没有任何标题。"]
