"""Reports the rules were not written against, with one defect injected at a time: each defect
is found by the rule meant for it, and the untouched report stays clean."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from checker.pipeline import check_bytes

FIXTURES = Path(__file__).parent / "fixtures"
UNSEEN = (FIXTURES / "unseen-2022.html").read_text(encoding="utf-8")
ABOVE_INFO = ("error", "warning")


def check_html(text: str):
    return check_bytes(text.encode("utf-8"), "unseen.html")


def serious(result) -> set[str]:
    return {f.code for f in result.findings if f.severity in ABOVE_INFO}


def test_the_unseen_report_is_clean():
    assert serious(check_html(UNSEEN)) == set()


def _cell(row_label: str, old: str, new: str) -> tuple[str, str]:
    """Change the first numeric cell `old` of the table row that starts with `row_label`."""
    start = UNSEEN.index(row_label)
    end = UNSEEN.index("</tr>", start)
    row = UNSEEN[start:end]
    return row, row.replace(f"<td>{old}</td>", f"<td>{new}</td>", 1)


INJECTED = [
    # the fee statement goes with its section: one cause, N505 is listed under S101, not beside it
    ("deleted section", [("<p>六、其他需要报告的事项</p>\n<p>本年度未收取信息处理费。</p>\n", "")], {"S101"}),
    (
        "section shifted into another numbering",
        [("<p>五、政府信息公开工作存在", "<p>（五）政府信息公开工作存在")],
        {"S101"},
    ),
    # one wrong cell breaks its row total and its column's relations: one finding (A302), the
    # others under it as related
    ("altered request cell", [_cell("一、本年新收", "20", "21")], {"A302"}),
    ("altered outcome cell", [_cell("2.重复申请", "1", "2")], {"A302"}),
    (
        "altered appeals total",
        [
            (
                "<td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td>",
                "<td>1</td><td>0</td><td>0</td><td>0</td><td>2</td><td>0</td>",
            )
        ],
        {"A304", "C401"},
    ),
    ("prose figure changed", [("全年收到政府信息公开申请24件", "全年收到政府信息公开申请42件")], {"C401"}),
    ("blank cell", [_cell("行政规范性文件", "9", "")], {"T204"}),
    ("slash cell", [_cell("规章", "0", "/")], {"T204"}),
    (
        "negative count",
        [('<td>行政强制</td><td colspan="3">5</td>', '<td>行政强制</td><td colspan="3">-5</td>')],
        {"T203"},
    ),
    ("moved date", [("发布时间：2023-01-18", "发布时间：2023-02-18")], {"D601"}),
    ("fee statement removed", [("本年度未收取信息处理费。", "本年度无其他需要报告的事项。")], {"N505"}),
    ("period year wrong", [("统计期限为2022年1月1日", "统计期限为2021年1月1日")], {"C402"}),
    (
        "problems section emptied",
        [
            (
                "上年度问题的改进情况：针对上年度执法信息公开不全的问题，已建立执法信息公开清单并按月核对。存在的问题：一是环境执法信息公开不够及时；二是政策解读形式较为单一。改进措施：一是建立执法信息公开周调度机制；二是增加图解和短视频解读。",
                "无。",
            )
        ],
        {"N504"},
    ),
    ("list numbering slip", [("二是增加图解", "三是增加图解")], {"Q704"}),
]


@pytest.mark.parametrize("name,edits,expected", INJECTED, ids=[i[0] for i in INJECTED])
def test_an_injected_defect_is_found(name, edits, expected):
    text = UNSEEN
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    found = serious(check_html(text))
    assert expected <= found, found
    # nothing unrelated to the defect appears
    assert found - expected <= {"C401", "A301", "A302", "A303", "S104", "N501"}, found - expected


def test_swapped_script_is_found_and_the_facts_survive():
    traditional = opencc.OpenCC("s2t").convert(UNSEEN)
    result = check_html(traditional)
    assert "Q701" in serious(result)
    assert serious(result) - {"Q701"} == set()  # still read as the same report
    assert result.facts.cells["requests.new.total"].value == 24
