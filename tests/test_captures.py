"""Real captures read as a person reads them (issue 30 §1): the same report with its lines
hard-wrapped at 30 or 40 characters, one sentence a line, its title split over two lines, or a
web page's chrome above it gives the same sections, keyed cells, agency, year and finding codes
(where they point aside). Over every example and every real text report in ../shared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, check_text, real_files

_BODY_MARK = re.compile(r"^=+\s*正文\s*=+$")


def _as_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".md":  # as a plain-text capture carries it: no markup
        text = "\n".join(line.lstrip("#").strip() for line in text.splitlines())
    return text


def _body_start(lines: list[str]) -> int:
    """A crawler's header (标题: … ==== 正文 ====) is its own, never wrapped."""
    return next((i + 1 for i, line in enumerate(lines[:15]) if _BODY_MARK.match(line)), 0)


def wrapped(text: str, width: int) -> str:
    """Every line of the body longer than `width` characters cut every `width` characters, as a
    program that hard-wraps text does (tables, written as | rows, are not prose and stay)."""
    lines = text.splitlines()
    start = _body_start(lines)
    out = []
    for index, line in enumerate(lines):
        if index < start or len(line) <= width or line.lstrip().startswith("|"):
            out.append(line)
        else:
            out.append("\n".join(line[i:i + width] for i in range(0, len(line), width)))
    return "\n".join(out)


def sentence_lines(text: str) -> str:
    """One sentence a line, no blank line between: a paragraph broken after each 。."""
    lines = text.splitlines()
    start = _body_start(lines)
    return "\n".join(line if index < start or line.lstrip().startswith("|") else
                     "\n".join(part for part in re.split(r"(?<=。)", line) if part)
                     for index, line in enumerate(lines))


def _signature(result) -> tuple:
    facts = result.facts
    return (sorted(facts.sections), {k: c.value for k, c in facts.cells.items()}, facts.agency, facts.year,
            sorted(f.code for f in result.findings))


TEXTS = [EXAMPLES / "clean-2008.md", *real_files("seeds", "*.txt"), *real_files("corpus", "*.txt")]
# what is not read alike yet (issue 30, open): a crawler's run-on body (the whole report on one
# line) wrapped at 40 characters where a wrapped line ends a sentence just before a heading, or
# broken after every sentence, which leaves each heading on one line with its first sentence
RUN_ON = ("014", "015", "017", "018", "019", "021", "023", "025")
KNOWN = ({("014_pingtan-zone-2014.txt", "wrap40"), ("016_pingtan-zone-2016.txt", "wrap40")}
         | {(p.name, "sentences") for p in real_files("corpus", "*.txt") if p.name[:3] in RUN_ON})
VARIANTS = {"wrap30": lambda t: wrapped(t, 30), "wrap40": lambda t: wrapped(t, 40), "sentences": sentence_lines}


def _cases():
    cases = []
    for path in TEXTS:
        for name in VARIANTS:
            marks = [pytest.mark.xfail(reason="not read alike yet (issue 30)", strict=True)] if (path.name, name) in KNOWN else []
            cases.append(pytest.param(path, name, marks=marks, id=f"{path.name}-{name}"))
    return cases


@pytest.mark.parametrize("path, variant", _cases())
def test_a_text_report_reads_the_same_however_its_lines_are_broken(path, variant):
    text = _as_text(path)
    assert _signature(check_text(VARIANTS[variant](text), "report.txt")) == _signature(check_text(text, "report.txt"))


def test_a_hard_wrapped_figure_is_one_sentence_again():
    """"区政府办受理政府⏎信息公开申请17件": the wrap cut the figure's sentence; the reader joins it."""
    text = _as_text(EXAMPLES / "clean-2008.md")
    figure = "全年共收到政府信息公开申请12件"
    assert figure in text
    result = check_text(wrapped(text, 30), "report.txt")
    assert any(figure in p.text for p in result.report.paragraphs())
    assert not [f for f in result.findings if f.code == "N501"]


def test_a_text_written_one_paragraph_a_line_is_not_joined():
    text = _as_text(EXAMPLES / "clean-2008.md")
    result = check_text(text, "report.txt")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(list(result.report.paragraphs())) + len(result.report.sections) + 1 >= len(lines) - 3


@pytest.mark.parametrize("name", ["clean-2021.md", "clean-2019.md", "defective-2021.md", "clean-2008.md"])
@pytest.mark.parametrize("head", ["{agency}\n\n{year}年政府信息公开工作年度报告", "{agency}{year}年\n\n政府信息公开工作年度报告",
                                  "{agency}\n\n{year}年政府信息公开\n\n工作年度报告"])
def test_a_title_centred_over_two_or_three_lines_is_one_title(name, head):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    agency, year = re.match(r"#\s*(.+?)((?:19|20)\d{2})年", title).groups()
    split = check_text(text.replace(title, head.format(agency=agency, year=year), 1), name)
    assert split.facts.agency == agency and split.facts.year == int(year)
    assert _signature(split) == _signature(check_text(text, name))


@pytest.mark.parametrize("chrome", ["时间：2025-01-18 15:34", "来源：云溪县人民政府办公室  时间：2025-01-18 15:34  浏览次数：120",
                                    "日期：2025年1月18日", "发布日期：2025-01-18"])
def test_a_page_headers_date_is_the_publication(chrome):
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    result = check_text(chrome + "\n\n" + text, "page.md")
    assert str(result.facts.published) == "2025-01-18" and result.facts.published_source == "page"
    # the chrome line itself, once; and the file said to be a capture
    assert sorted((f.code, f.loc.line) for f in result.findings) == [("E007", 3), ("Q703", 1)]


def test_a_signatures_date_line_is_not_taken_for_the_page_header():
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8").replace("\n2025年1月20日", "\n日期：2025年4月20日")
    result = check_text(text, "page.md")
    assert result.facts.published_source != "page"


def test_page_chrome_lines_are_one_finding_listing_them():
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    chrome = "当前位置：首页 > 政务公开 > 年度报告\n\n" + text.replace("## 六、", "【打印本页】【关闭窗口】\n\n## 六、", 1)
    (finding,) = [f for f in check_text(chrome, "page.md").findings if f.code == "Q703"]
    assert finding.loc.line == 1 and finding.message.startswith("报告正文中有2处网页残留文字")


@pytest.mark.parametrize("toolbar", ["简体版 | 繁體版 | 无障碍 | English", "首页 | 繁體版 | 無障礙 | 长者版", "【繁體】【打印】"])
def test_a_sites_toolbar_is_page_chrome_not_traditional_script(toolbar):
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    result = check_text(toolbar + "\n\n" + text, "page.md")
    assert sorted((f.code, f.loc.line) for f in result.findings) == [("E007", 3), ("Q703", 1)]


def test_a_sentence_that_names_the_sites_versions_is_report_text():
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    said = text.replace("（四）政府信息公开平台建设。", "（四）政府信息公开平台建设。门户网站开设繁体版和无障碍浏览服务。")
    assert check_text(said, "report.md").findings == []


def test_a_captured_file_is_said_once_to_be_one():
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    crawled = ("标题: 云溪县人民政府2024年政府信息公开工作年度报告\n发布时间: 2025-01-20 09:00\n原文链接: https://example.gov.cn/a.htm\n"
               "==================== 正文 ====================\n当前位置：首页 > 政务公开 > 年度报告\n\n" + text)
    result = check_text(crawled, "page.txt")
    (said,) = [f for f in result.findings if f.code == "E007"]
    assert said.severity == "info" and "带有网页抓取程序的文件头" in said.message and "网页框架文字1处" in said.message
    assert not [f for f in check_text(text, "report.md").findings if f.code == "E007"]  # a file as published
