"""Dates: published on time, and every date in the text a real one."""

from __future__ import annotations

import re

from checker.engine.checks import P, check, require
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.facts.dates import due_date, month_day as _month_day, valid_date as _valid
from checker.ingest.document import Loc


def _prepare_deadline(params: dict) -> dict:
    require(params, "deadlines")
    for regime, kinds in params["deadlines"].items():
        for kind, month_day in kinds.items():
            _month_day(month_day, f"deadlines.{regime}.{kind}")
    if params.get("township_deadline") is not None:
        _month_day(params["township_deadline"], "township_deadline")
    return params


@check("deadline", _prepare_deadline, options=("township_deadline",), params={"deadlines": P("dict", "regime → agency kind (or all) → MM-DD", True), "township_deadline": P("str", "a local deadline MM-DD for 乡镇/街道 (also --township-deadline)")}, reads='facts.published, facts.year, facts.regime, facts.agency_kind (facts.dates.due_date)')
def deadline(ctx: Context, params: dict):
    """Published by the deadline for the report's regime and the agency's kind."""
    facts = ctx.facts
    due = due_date(facts, params)
    if facts.published is None or due is None or facts.published <= due:
        return
    loc = facts.published_loc if isinstance(facts.published_loc, Loc) else (
        Loc(facts.published_loc) if isinstance(facts.published_loc, int) else ctx.first_loc())
    source = {"page": "页面发布时间", "signature": "落款日期", "lead": "标题下日期"}.get(facts.published_source, "")
    which, severity = "法定期限", None
    kinds = params["deadlines"].get(facts.regime) or {}
    if "all" not in kinds and facts.agency_kind == "township" and not params.get("township_deadline"):
        which, severity = "参照期限（乡镇、街道无全国统一期限，可用 --township-deadline 设定地方期限）", "warning"
    elif "all" not in kinds and facts.agency_kind == "unknown":
        which, severity = "期限（机关类型未识别，按人民政府的期限计）", "warning"
    elif facts.agency_kind == "township":
        which = "地方规定的期限"
    yield Hit({"published": facts.published.isoformat(), "deadline": due.isoformat(),
               "days": (facts.published - due).days, "source": source, "which": which}, loc, None, "published",
              "late", severity=severity)


# Each pattern opens with a digit class, its lookbehinds moved past that digit: the engine then
# skips from digit to digit, where a pattern opening with a lookbehind or a counted repeat is
# tried at every character (half the time of this check). DATE_FORMS in tests/test_dates.py are
# the readable forms; a test holds these to their matches.
_FULL = re.compile(r"(\d\d\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,3})\s*日")
_MONTH_DAY = re.compile(r"(\d(?<![\d年]\d)(?<!年\s\d)\d{0,2})\s*月\s*(\d{1,3})\s*日")
_ISO = re.compile(r"(\d(?<!\d\d)\d\d\d)-(\d{1,2})-(\d{1,2})(?!\d)")
# "1015日": month and day run together, no 月 between them
_RUN_TOGETHER = re.compile(r"(\d(?<![\d月第共近约满超每延长期限计]\d)\d\d\d?)日(?![内以之起后前的])")


@check("date-valid", params={}, reads='the text (dates as written)')
def date_valid(ctx: Context, params: dict):
    """Every date written in the report exists."""
    for unit in ctx.texts():
        text = unit.text
        if "日" not in text and "-" not in text:
            continue
        has_month = "月" in text  # most lines hold no date: skip the patterns that cannot match
        for match in (_FULL.finditer(text) if has_month else ()):
            if not _valid(*(int(g) for g in match.groups())):
                yield Hit({"text": match.group(0)}, unit.loc_at(match.start()),
                          unit.section, None, match.group(0), evidence=match.group(0), variant="invalid")
        for match in (_MONTH_DAY.finditer(text) if has_month else ()):
            if not _valid(2000, int(match.group(1)), int(match.group(2))):  # 2000: 2月29日 exists
                yield Hit({"text": match.group(0)}, unit.loc_at(match.start()),
                          unit.section, None, match.group(0), evidence=match.group(0), variant="invalid")
        for match in (_ISO.finditer(text) if "-" in text else ()):
            if not _valid(*(int(g) for g in match.groups())):
                yield Hit({"text": match.group(0)}, unit.loc_at(match.start()),
                          unit.section, None, match.group(0), evidence=match.group(0), variant="invalid")
        for match in _RUN_TOGETHER.finditer(text):
            digits = match.group(1)
            month, day = int(digits[:-2]), int(digits[-2:])
            if 1 <= month <= 12 and 1 <= day <= 31:
                yield Hit({"text": match.group(0), "month": month, "day": day}, unit.loc_at(match.start()),
                          unit.section, None, match.group(0), evidence=match.group(0), variant="run_together")


@check("date-known", params={}, reads='facts.published')
def date_known(ctx: Context, params: dict):
    """The report says when it was published (page date, signature date or date under the title)."""
    if ctx.facts.published is None:
        yield Hit({}, ctx.first_loc(), None, "published", "unknown")
