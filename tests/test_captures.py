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
            out.append("\n".join(line[i : i + width] for i in range(0, len(line), width)))
    return "\n".join(out)


def sentence_lines(text: str) -> str:
    """One sentence a line, no blank line between: a paragraph broken after each 。."""
    lines = text.splitlines()
    start = _body_start(lines)
    return "\n".join(
        line
        if index < start or line.lstrip().startswith("|")
        else "\n".join(part for part in re.split(r"(?<=。)", line) if part)
        for index, line in enumerate(lines)
    )


def one_line(text: str) -> str:
    """The body's lines run together, a space where each break stood, as a crawler writes a page's
    text (tables, written as | rows, stay rows)."""
    lines = text.splitlines()
    start = _body_start(lines)
    out, run = lines[:start], []
    for line in lines[start:]:
        if line.lstrip().startswith("|"):
            out += [" ".join(run)] if run else []
            out.append(line)
            run = []
        elif line.strip():
            run.append(line.strip())
    return "\n".join(out + ([" ".join(run)] if run else []))


_DIGIT_RUN = re.compile(r"\d[\d ]{9,}\d")


def broken_runs(text: str) -> str:
    """A line break inside each long run of figures (a flattened table's row broken by the page)."""
    return _DIGIT_RUN.sub(
        lambda m: m.group(0)[: len(m.group(0)) // 2] + "\n" + m.group(0)[len(m.group(0)) // 2 :], text
    )


def _signature(result) -> tuple:
    facts = result.facts
    return (
        sorted(facts.sections),
        {k: c.value for k, c in facts.cells.items()},
        facts.agency,
        facts.year,
        sorted(f.code for f in result.findings),
    )


TEXTS = [
    *(EXAMPLES / n for n in ("clean-2008.md", "clean-2019.md", "clean-2021.md", "defective-2021.md")),
    *real_files("seeds", "*.txt"),
    *real_files("corpus", "*.txt"),
]
# what is not read alike yet (issue 30, open): a crawler's run-on body (the whole report on one
# line) wrapped at 40 characters where a wrapped line ends a sentence just before a heading, or
# broken after every sentence, which leaves each heading on one line with its first sentence
RUN_ON = ("014", "015", "017", "018", "019", "021", "023", "025")
KNOWN: set = set()
VARIANTS = {
    "wrap30": lambda t: wrapped(t, 30),
    "wrap40": lambda t: wrapped(t, 40),
    "sentences": sentence_lines,
    "one-line": one_line,
    "broken-runs": broken_runs,
}


def _cases():
    cases = []
    for path in TEXTS:
        for name in VARIANTS:
            marks = (
                [pytest.mark.xfail(reason="not read alike yet (issue 30)", strict=True)]
                if (path.name, name) in KNOWN
                else []
            )
            cases.append(pytest.param(path, name, marks=marks, id=f"{path.name}-{name}"))
    return cases


@pytest.mark.parametrize("path, variant", _cases())
def test_a_text_report_reads_the_same_however_its_lines_are_broken(path, variant):
    text = _as_text(path)
    assert _signature(check_text(VARIANTS[variant](text), "report.txt")) == _signature(check_text(text, "report.txt"))


def test_a_hard_wrapped_figure_is_one_sentence_again():
    """ "区政府办受理政府⏎信息公开申请17件": the wrap cut the figure's sentence; the reader joins it."""
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
@pytest.mark.parametrize(
    "head",
    [
        "{agency}\n\n{year}年政府信息公开工作年度报告",
        "{agency}{year}年\n\n政府信息公开工作年度报告",
        "{agency}\n\n{year}年政府信息公开\n\n工作年度报告",
    ],
)
def test_a_title_centred_over_two_or_three_lines_is_one_title(name, head):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    agency, year = re.match(r"#\s*(.+?)((?:19|20)\d{2})年", title).groups()
    split = check_text(text.replace(title, head.format(agency=agency, year=year), 1), name)
    assert split.facts.agency == agency and split.facts.year == int(year)
    assert _signature(split) == _signature(check_text(text, name))


@pytest.mark.parametrize(
    "chrome",
    [
        "时间：2025-01-18 15:34",
        "来源：云溪县人民政府办公室  时间：2025-01-18 15:34  浏览次数：120",
        "日期：2025年1月18日",
        "发布日期：2025-01-18",
    ],
)
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
    chrome = "当前位置：首页 > 政务公开 > 年度报告\n\n" + text.replace(
        "## 六、", "【打印本页】【关闭窗口】\n\n## 六、", 1
    )
    (finding,) = [f for f in check_text(chrome, "page.md").findings if f.code == "Q703"]
    assert finding.loc.line == 1 and finding.message.startswith("报告正文中有2处网页残留文字")


@pytest.mark.parametrize(
    "toolbar", ["简体版 | 繁體版 | 无障碍 | English", "首页 | 繁體版 | 無障礙 | 长者版", "【繁體】【打印】"]
)
def test_a_sites_toolbar_is_page_chrome_not_traditional_script(toolbar):
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    result = check_text(toolbar + "\n\n" + text, "page.md")
    assert sorted((f.code, f.loc.line) for f in result.findings) == [("E007", 3), ("Q703", 1)]


def test_a_sentence_that_names_the_sites_versions_is_report_text():
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    said = text.replace(
        "（四）政府信息公开平台建设。", "（四）政府信息公开平台建设。门户网站开设繁体版和无障碍浏览服务。"
    )
    assert check_text(said, "report.md").findings == []


def test_a_captured_file_is_said_once_to_be_one():
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    crawled = (
        "标题: 云溪县人民政府2024年政府信息公开工作年度报告\n发布时间: 2025-01-20 09:00\n原文链接: https://example.gov.cn/a.htm\n"
        "==================== 正文 ====================\n当前位置：首页 > 政务公开 > 年度报告\n\n" + text
    )
    result = check_text(crawled, "page.txt")
    (said,) = [f for f in result.findings if f.code == "E007"]
    assert said.severity == "info" and "带有网页抓取程序的文件头" in said.message and "网页框架文字1处" in said.message
    assert not [f for f in check_text(text, "report.md").findings if f.code == "E007"]  # a file as published


# A crawler's flattened copy of a report (test_flattened.flatten: one line, the tables' figures run
# together) broken again by another program: after every sentence, at 40 characters, inside the
# tables' runs of figures. The headings are found across the lines and the tables read back alike.
_FLAT_VARIANTS = {
    "sentences": sentence_lines,
    "wrap40": lambda t: wrapped(t, 40),
    "broken-runs": broken_runs,
    "sentences+broken-runs": lambda t: broken_runs(sentence_lines(t)),
}


@pytest.mark.parametrize("variant", sorted(_FLAT_VARIANTS))
def test_a_flattened_copy_broken_again_reads_the_same(variant):
    from test_flattened import flatten

    flat = flatten((EXAMPLES / "clean-2021.md").read_text(encoding="utf-8"))
    broken = _FLAT_VARIANTS[variant](flat)
    assert broken.count("\n") > flat.count("\n")
    assert _signature(check_text(broken, "report.txt")) == _signature(check_text(flat, "report.txt"))


def test_headings_no_line_opens_are_found_between_those_that_do():
    """ "…电子邮箱：x@y.cn一、总体情况…" and a table's line holding 三、四、五: the numbers no line
    opens are found mid-line, after the heading before them and before the next."""
    from test_flattened import flatten

    flat = flatten((EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")).rstrip("\n")
    first, second = flat.index("一、总体情况"), flat.index("二、主动公开")
    text = (
        "联系电话：0000-1234567 电子邮箱：gk@example.gov.cn"
        + flat[first:second]
        + "\n"
        + flat[second : flat.index("六、其他")]
        + "\n"
        + flat[flat.index("六、其他") :]
    )
    result = check_text(text, "report.txt")
    assert set(result.facts.sections) == set("一二三四五六")
    assert [(s.ordinal, s.loc.line) for s in result.report.sections] == [
        ("一、", 1),
        ("二、", 2),
        ("三、", 2),
        ("四、", 2),
        ("五、", 2),
        ("六、", 3),
    ]
    assert not {"S101", "T201"} & {f.code for f in result.findings}


def test_an_enumeration_in_prose_is_not_taken_for_headings():
    """A report whose own headings open their lines: "一、…二、…" inside a paragraph stays text."""
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    said = text.replace(
        "（四）政府信息公开平台建设。",
        "（四）政府信息公开平台建设。主要做法：一、深化主动公开；二、规范依申请公开；三、加强复议诉讼应诉。",
    )
    assert said != text
    result = check_text(said, "report.md")
    assert [s.ordinal for s in result.report.sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert result.findings == []


@pytest.mark.parametrize("lead", ["", "当前位置：首页 > 政务公开 > 年度报告 > "])
def test_a_title_run_on_into_the_text_is_the_title(lead):
    """ "云溪县人民政府2024年政府信息公开工作年度报告 发布时间：2025-01-20 09:00 来源：县政府办 2024年，…":
    the title, the page's date and the body are told apart on one line."""
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    body_start = text.index("## 一、")
    head = lead + title[2:] + " 发布时间：2025-01-20 09:00 来源：县政府办 "
    first_paragraph_end = text.index("\n\n", body_start + 10)
    run_on = (
        head + text[body_start:first_paragraph_end].replace("## ", "").replace("\n\n", " ") + text[first_paragraph_end:]
    )
    result = check_text(run_on, "page.txt")
    plain = check_text(text, "report.md")
    assert (result.facts.agency, result.facts.year) == (plain.facts.agency, plain.facts.year)
    assert str(result.facts.published) == "2025-01-20"
    assert sorted(result.facts.sections) == sorted(plain.facts.sections)


def test_a_traditional_script_copy_run_on_finds_its_headings():
    from test_flattened import flatten

    import opencc

    flat = flatten((EXAMPLES / "clean-2021.md").read_text(encoding="utf-8"))
    traditional = opencc.OpenCC("s2t").convert(flat)
    assert traditional != flat and "處理" in traditional
    result = check_text(sentence_lines(traditional), "report.txt")
    assert set(result.facts.sections) == set("一二三四五六")


def with_chrome(text: str) -> str:
    """A site's breadcrumb above the body and its page tools below it."""
    lines = text.splitlines()
    start = _body_start(lines)
    return "\n".join(
        lines[:start]
        + ["当前位置：首页 > 政务公开 > 政府信息公开年报", ""]
        + lines[start:]
        + ["", "【打印本页】【关闭窗口】"]
    )


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_page_chrome_around_a_report_is_one_finding_and_changes_nothing_else(path):
    text = _as_text(path)
    plain, framed = check_text(text, "report.txt"), check_text(with_chrome(text), "report.txt")
    page = {"Q703", "E007"}
    assert _signature(framed)[:4] == _signature(plain)[:4]
    assert [c for c in _signature(framed)[4] if c not in page] == [c for c in _signature(plain)[4] if c not in page]
    assert [f.code for f in framed.findings].count("Q703") == 1 and "E007" in {f.code for f in framed.findings}
