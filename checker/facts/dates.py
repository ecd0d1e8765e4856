"""Dates as reports write them: 2025年1月20日, 2025-01-20, 二〇一二年三月十六日."""

from __future__ import annotations

import datetime as dt
import re

from checker.parse.numerals import digit_string

_ARABIC = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_CHINESE = re.compile(r"([〇○零一二三四五六七八九OＯ]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def parse_date(text: str) -> dt.date | None:
    for pattern, convert in ((_ARABIC, int), (_CHINESE, digit_string)):
        match = pattern.search(text)
        if match:
            try:
                return dt.date(*(convert(g) for g in match.groups()))
            except (TypeError, ValueError):
                return None
    return None
