"""The date patterns of the date-valid check are written to be scanned fast (a digit class first,
lookbehinds after it): they must find exactly what their readable forms find."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker.engine.wording import words

DATE_FORMS = {  # the patterns as one would first write them
    "full": r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,3})\s*日",
    "month_day": r"(?<![\d年])(?<!年\s)(\d{1,3})\s*月\s*(\d{1,3})\s*日",
    "iso": r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)",
    "run_together": r"(?<![\d月第共近约满超每延长期限计])(\d{3,4})日(?![内以之起后前的])",
}
# texts built of the pieces dates are written with, so that near-dates and dates meet often
PIECES = [
    "1",
    "0",
    "12",
    "31",
    "2021",
    "１",
    "年",
    "月",
    "日",
    "-",
    " ",
    "第",
    "内",
    "起",
    "，",
    "至",
    "年 ",
    "12月",
    "31日",
    "2021年",
    "1015日",
    "2022-01-18",
    "12-1",
    "月 ",
    "第1",
]
BUDGET = settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _found(pattern: re.Pattern, text: str):
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@BUDGET
@example("年 12月31日，年12月3日，2021年 3月5日")  # what each lookbehind is there to refuse …
@example("第1015日，月1015日，11015日，12022-01-18，2022-01-181")
@example("1015日内，12月31日，2021年12月31日，1231日，2022-1-8")  # … and what they let through
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_the_fast_date_patterns_find_what_the_readable_ones_find(text):
    for name, readable in DATE_FORMS.items():
        assert _found(getattr(words("date-valid").re, name), text) == _found(re.compile(readable), text), name


def test_the_readable_forms_find_the_dates_a_report_writes():
    text = "统计期限自2021年1月1日起至2021年12月31日止，2月30日，1015日，于2022-01-18发布，第1015日内"
    assert [m.group(0) for m in words("date-valid").re.full.finditer(text)] == ["2021年1月1日", "2021年12月31日"]
    assert [m.group(0) for m in words("date-valid").re.month_day.finditer(text)] == ["2月30日"]
    assert [m.group(0) for m in words("date-valid").re.run_together.finditer(text)] == ["1015日"]
    assert [m.group(0) for m in words("date-valid").re.iso.finditer(text)] == ["2022-01-18"]
