"""Dates as reports write them: 2025年1月20日, 2025-01-20, 二〇一二年三月十六日."""

from __future__ import annotations

import datetime as dt
import re

from checker.numerals import digit_string

_ARABIC = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_CHINESE = re.compile(
    r"([〇○零一二三四五六七八九OＯ]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)


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
    """ "03-31" → (3, 31); a ValueError naming the setting otherwise."""
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(value).strip())
    if not match or not valid_date(2001, int(match.group(1)), int(match.group(2))):
        raise ValueError(f"{name} 的值「{value}」应为“月-日”，如 03-31")
    return int(match.group(1)), int(match.group(2))


def local_deadlines(params: dict) -> dict[str, str]:
    """The local deadlines configured, by agency kind (`deadlines = {township = "02-20"}` in the
    configuration); --township-deadline sets 乡镇 and 街道 alike."""
    found = dict(params.get("local_deadlines") or {})
    if params.get("township_deadline"):
        for kind in ("township", "subdistrict"):
            found.setdefault(kind, params["township_deadline"])
    return found


def deadlines_for(facts, params: dict) -> list[tuple[dt.date, str]]:
    """The deadlines a report of this regime, year and agency kind is held to, each with what it
    is: "statutory" (the 条例's), "local" (configured), "reference" (no national deadline and no
    local one: the reference date, or the government's where the kind is unknown). The deadline
    rule's params; the deadline check and the audit's summary both read it. None apply to a
    公共企事业单位 or a report on a year before the 条例."""
    if facts.year is None or facts.regime is None or facts.out_of_scope:
        return []
    national = params["deadlines"].get(facts.regime) or {}
    statutory = national.get(facts.agency_kind) or national.get("all")
    local = local_deadlines(params).get(facts.agency_kind)
    out = []
    if statutory:
        out.append((statutory, "statutory"))
    if local and local != statutory:
        out.append((local, "local"))
    if not out:
        out.append((params.get("reference") or "03-31", "reference"))
    dates = [(dt.date(facts.year + 1, *month_day(day, "deadline")), which) for day, which in out]
    return sorted(dates)


def due_date(facts, params: dict) -> dt.date | None:
    """The earliest deadline the report is held to (the audit's 应公布日期)."""
    found = deadlines_for(facts, params)
    return found[0][0] if found else None
