"""Property-based fuzzing of ingest and parse (hypothesis, a fixed budget and seed so CI is
repeatable): whatever the bytes or text, checking yields a result — findings, never an
exception — and every finding has a code the rule set knows."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.rules import builtin_rules
from checker.ingest import IngestError, ingest_bytes
from checker.normalize import normalize
from checker.parse import parse
from checker.pipeline import check_bytes
from conftest import EXAMPLES

CODES = {r.code for r in builtin_rules()}
BUDGET = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CLEAN = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
PIECES = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "（一）",
    "1.",
    "一是",
    "| 一、本年新收政府信息公开申请数量 | 3 | 4 |",
    "|---|---|",
    "| 行政复议 | 1 | 2 |",
    "申请12件",
    "2025年1月20日",
    "2025年13月40日",
    "1015日",
    "關(guān)",
    "锟斤拷",
    "\ufffd",
    "当前位置：首页",
    "<!-- xxgk-disable A302 -- 理由 -->",
    "<!-- xxgk-disable -->",
    "# ",
    "## ",
    "\n",
    "\n\n",
    "。",
    "，",
    "0",
    "45",
    "/",
    "-",
    "　",
    "\t",
    "\u200b",
]


def _check(data: bytes, name: str):
    result = check_bytes(data, name)
    assert result.findings is not None
    assert {f.code for f in result.findings} <= CODES
    return result


@BUDGET
@given(
    st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=60), st.sampled_from(["r.md", "r.txt", "r.html"])
)
def test_any_text_made_of_report_pieces(pieces, name):
    _check("".join(pieces).encode("utf-8"), name)


@BUDGET
@given(st.binary(max_size=4000), st.sampled_from(["r.md", "r.txt", "r.html", "r.docx", "r.pdf", "-"]))
def test_any_bytes(data, name):
    _check(data, name)


@BUDGET
@given(st.integers(0, len(CLEAN) - 1), st.integers(1, 400), st.text(max_size=30))
def test_the_clean_report_cut_and_spliced(at, length, insert):
    """Delete a stretch of the clean report and put anything in its place."""
    _check((CLEAN[:at] + insert + CLEAN[at + length :]).encode("utf-8"), "r.md")


@BUDGET
@given(st.text(max_size=3000))
def test_parse_never_raises_on_ingested_text(text):
    try:
        doc = ingest_bytes(text.encode("utf-8"), "r.txt")
    except IngestError:
        return
    report = parse(normalize(doc))
    assert report is not None
