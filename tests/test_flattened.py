"""Flattened text: a report scraped into one line gives its sections and its tables back, the
same cells as the clean copy, and never an invented number."""

from __future__ import annotations

import re

import pytest

from checker.facts.flattened import splits
from conftest import EXAMPLES, check_text, codes, shared_dir


def flatten(markdown: str) -> str:
    """What an archive crawler makes of the page: one line, tables as label + run-on digits."""
    out = []
    for line in markdown.splitlines():
        line = line.strip()
        if not line or re.fullmatch(r"\|?[-| ]+\|?", line):
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            labels = list(dict.fromkeys(c for c in cells if c and not c.isdigit() and not re.fullmatch(r"[\d.]+", c)))
            out.append("".join(labels) + "".join(c for c in cells if re.fullmatch(r"[\d.]+", c)))
        else:
            out.append(line.lstrip("# "))
    return "".join(out) + "\n"


@pytest.fixture(scope="module")
def clean():
    return (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")


def test_a_flattened_report_gives_its_structure_and_tables_back(clean):
    text = flatten(clean)
    assert text.count("\n") == 1 and "640020470" not in text  # really one line, run-on digits
    md, flat = check_text(clean), check_text(text, "report.txt")
    assert len(flat.facts.sections) == 6
    for table in ("requests", "appeals"):
        expected = {k: c.value for k, c in md.facts.cells.items() if k.startswith(table + ".")}
        got = {k: c.value for k, c in flat.facts.cells.items() if k.startswith(table + ".")}
        assert got == expected, table
    found = set(codes(flat))
    assert not found & {"S101", "T201", "T202", "T208", "A301", "A302", "A303", "A304", "N501"}, found
    assert "T206" in found


def test_arithmetic_findings_match_the_clean_copy(clean):
    """A wrong cell whose row still splits one way only (one digit per cell) is found in the
    flattened copy exactly as in the clean copy."""
    altered = clean.replace(
        "| 2 | 1 | 0 | 1 | 4 | 1 | 0 | 0 | 1 | 2 | 1 | 0 | 0 | 0 | 1 |",
        "| 2 | 1 | 0 | 1 | 5 | 1 | 0 | 0 | 1 | 2 | 1 | 0 | 0 | 0 | 1 |",
    )
    assert altered != clean
    md, flat = check_text(altered), check_text(flatten(altered), "report.txt")
    arithmetic = lambda r: sorted((f.code, f.anchor) for f in r.findings if f.code.startswith("A"))  # noqa: E731
    assert arithmetic(md) == arithmetic(flat) == [("A304", "appeals/review/total")]


def test_an_ambiguous_run_stays_unknown():
    # 1|11|12 and 11|1|12 both satisfy "the last is the sum of the others"
    assert len(splits(["11112"], 3, lambda v: v[0] + v[1] == v[2], limit=5)) == 2
    assert splits(["0000000"], 7, lambda v: sum(v[:-1]) == v[-1]) == [(0,) * 7]
    assert splits(["12", "5"], 2, lambda v: True) == [(12, 5)]  # a space is a certain boundary
    assert splits(["123"], 2, lambda v: False) == []


def test_a_row_that_cannot_be_split_is_reported_not_invented(clean):
    text = flatten(clean).replace("行政规范性文件6241", "行政规范性文件62411")
    flat = check_text(text, "report.txt")
    cell = flat.facts.cells["active.normative_docs.issued"]
    assert cell.kind == "unsplit" and cell.value is None
    (t206,) = [f for f in flat.findings if f.code == "T206" and f.section == "二"]
    assert "62411" in t206.message


@pytest.mark.parametrize("prefix,new,review,litigation", [("021", 70, 3, 12), ("025", 154, 36, 9)])
def test_pingtan_flattened_tables(prefix, new, review, litigation):
    from checker.pipeline import check_path

    (path,) = shared_dir("corpus").glob(f"{prefix}_*.txt")
    result = check_path(path)
    cells = result.facts.cells
    assert cells["requests.new.total"].value == new
    assert cells["appeals.review.total"].value == review
    assert (
        cells["appeals.litigation_direct.total"].value + cells["appeals.litigation_after_review.total"].value
        == litigation
    )
    found = set(codes(result))
    assert not found & {"S101", "T201", "N501", "A301", "A302", "A303", "A304"}, found


def test_a_long_paragraph_with_an_enumeration_is_not_cut(clean):
    sentence = (
        "本年度重点做了两方面工作：一、主动公开工作，围绕重点领域及时发布信息；二、依申请公开工作，规范答复流程。"
        + "我们持续改进工作方法，" * 40
    )
    text = clean.replace("（一）主动公开。", sentence + "（一）主动公开。")
    result = check_text(text)
    assert len(result.report.sections) == 6
    assert "S102" not in codes(result)


def test_prose_that_names_table_rows_is_not_taken_for_a_table(clean):
    start = clean.index("| 本列数据的勾稽关系为")
    end = clean.index("## 四、")
    text = (
        clean[:start]
        + "本年新收政府信息公开申请45件，上年结转政府信息公开申请3件，结转下年度继续办理3件。\n\n"
        + clean[end:]
    )
    result = check_text(text)
    assert "T201" in codes(result) and "T206" not in codes(result)
    assert not [k for k in result.facts.cells if k.startswith("requests.")]


def test_tables_flattened_by_one_capture_are_one_finding_naming_them_all(clean):
    """One cause (the page was captured as text), one finding: at the first table, naming each."""
    flat = check_text(flatten(clean), "report.txt")
    (t206,) = [f for f in flat.findings if f.code == "T206"]
    assert t206.section == "二" and t206.severity == "warning"
    assert all(f"第{o}部分" in t206.message for o in "二三四") and "网页抓取或格式转换" in t206.message


@pytest.mark.parametrize("digits", [17, 22, 27, 40])
def test_splitting_a_long_digit_run_is_bounded_not_exponential(digits, monkeypatch):
    """Issue 36: one space-free run of city-scale figures was split by enumerating every
    composition of its digits (2^(n−1): 27 digits took minutes). The search now stops where it
    loops; the parts a row cannot hold are never made. Counted, not timed: the number of ways
    looked at stays under the cap however long the run."""
    from checker.facts import flattened

    made = []
    real = flattened._parts

    def counted(token, most):
        for part in real(token, most):
            made.append(part)
            yield part

    monkeypatch.setattr(flattened, "_parts", counted)
    run = "123456789" * 5
    found = splits([run[:digits]], 7, lambda values: sum(values[:-1]) == values[-1])
    # (each way the search takes is made through at most one nested part per number of the row)
    assert isinstance(found, list) and len(made) <= (flattened._MAX_TRIES + 1) * 7
    # and a short run is split as before: the one reading whose row adds up
    assert splits(["3126"], 4, lambda values: sum(values[:-1]) == values[-1]) == [(3, 1, 2, 6)]
