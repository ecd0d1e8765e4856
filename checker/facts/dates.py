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


def valid_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
        return True
    except ValueError:
        return False


def month_day(value, name: str) -> tuple[int, int]:
    """"03-31" → (3, 31); a ValueError naming the setting otherwise."""
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(value).strip())
    if not match or not valid_date(2001, int(match.group(1)), int(match.group(2))):
        raise ValueError(f"{name} 的值「{value}」应为“月-日”，如 03-31")
    return int(match.group(1)), int(match.group(2))


def due_date(facts, params: dict) -> dt.date | None:
    """The publication deadline for the report's regime and the agency's kind (the deadline
    rule's params): a fact the deadline check and the audit's summary both read."""
    if facts.year is None or facts.regime is None:
        return None
    kinds = params["deadlines"].get(facts.regime) or {}
    day = kinds.get(facts.agency_kind) or kinds.get("all") or kinds.get("unknown")
    if facts.agency_kind == "township" and params.get("township_deadline") and "all" not in kinds:
        day = params["township_deadline"]  # no national deadline for 乡镇/街道: local rules set it
    if not day:
        return None
    month, day_of_month = month_day(day, "deadline")
    return dt.date(facts.year + 1, month, day_of_month)
