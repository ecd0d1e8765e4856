"""Dates: published on time, and every date in the text a real one."""

from __future__ import annotations

import re

from checker.engine.registry import P, check, require
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.facts.dates import deadlines_for, month_day as _month_day, valid_date as _valid
from checker.facts.report_meta import KIND_NAMES, KINDS
from checker.ingest.document import Loc


def _prepare_deadline(params: dict) -> dict:
    require(params, "deadlines")
    for regime, kinds in params["deadlines"].items():
        for kind, month_day in kinds.items():
            _month_day(month_day, f"deadlines.{regime}.{kind}")
    if params.get("township_deadline") is not None:
        _month_day(params["township_deadline"], "township_deadline")
    local = params.get("local_deadlines") or {}
    if not isinstance(local, dict):
        raise ValueError('local_deadlines 应为映射（机关类别: 月-日），如 {township: "02-20"}')
    for kind, month_day in local.items():
        if kind not in KINDS or kind in ("organisation", "unknown"):
            raise ValueError(
                f"local_deadlines 的机关类别「{kind}」无效；可用：{'、'.join(k for k in KINDS if k not in ('organisation', 'unknown'))}"
            )
        _month_day(month_day, f"local_deadlines.{kind}")
    _month_day(params.get("reference") or "03-31", "reference")
    return params


def cn_date(day) -> str:
    """2025年4月8日, as a 公文 writes a date."""
    return f"{day.year}年{day.month}月{day.day}日"


_SOURCE = {"page": "页面发布时间为{}", "signature": "落款日期为{}", "lead": "标题下的日期为{}"}


@check(
    "deadline",
    _prepare_deadline,
    options=("township_deadline", "local_deadlines"),
    params={
        "deadlines": P("dict", "regime → agency kind (or all) → MM-DD: the 条例's deadlines", True),
        "reference": P("str", "MM-DD held to where no national and no local deadline applies (a warning)"),
        "local_deadlines": P(
            "dict", 'agency kind → MM-DD set by local rules (configuration: deadlines = {township = "02-20"})'
        ),
        "township_deadline": P("str", "a local deadline MM-DD for 乡镇 and 街道 (also --township-deadline)"),
    },
    reads="facts.published, facts.year, facts.regime, facts.agency_kind (facts.dates.deadlines_for)",
)
def deadline(ctx: Context, params: dict):
    """Published by the deadline for the report's regime and the agency's kind: the 条例's where it
    sets one (error), a local one where configured, a reference date otherwise (warnings)."""
    facts = ctx.facts
    if facts.published is None:
        return
    late = [(due, which) for due, which in deadlines_for(facts, params) if facts.published > due]
    if not late:
        return
    due, which = next(((d, w) for d, w in late if w == "statutory"), late[-1])
    loc = (
        facts.published_loc
        if isinstance(facts.published_loc, Loc)
        else (Loc(facts.published_loc) if isinstance(facts.published_loc, int) else ctx.first_loc())
    )
    when = _SOURCE.get(facts.published_source, "公布日期为{}").format(cn_date(facts.published))
    variant = (
        None
        if which == "statutory"
        else which
        if which == "local"
        else ("unknown_kind" if facts.agency_kind == "unknown" else "reference")
    )
    yield Hit(
        {
            "when": when,
            "published": cn_date(facts.published),
            "deadline": cn_date(due),
            "days": (facts.published - due).days,
            "kind": KIND_NAMES.get(facts.agency_kind, ""),
        },
        loc=loc,
        section=None,
        anchor="published",
        key="late",
        severity=None if which == "statutory" else "warning",
        variant=variant,
    )


# Each pattern opens with a digit class, its lookbehinds moved past that digit: the engine then
# skips from digit to digit, where a pattern opening with a lookbehind or a counted repeat is
# tried at every character (half the time of this check). DATE_FORMS in tests/test_dates.py are
# the readable forms; a test holds these to their matches.
_FULL = re.compile(r"(\d\d\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,3})\s*日")
_MONTH_DAY = re.compile(r"(\d(?<![\d年]\d)(?<!年\s\d)\d{0,2})\s*月\s*(\d{1,3})\s*日")
_ISO = re.compile(r"(\d(?<!\d\d)\d\d\d)-(\d{1,2})-(\d{1,2})(?!\d)")
# "1015日": month and day run together, no 月 between them
_RUN_TOGETHER = re.compile(r"(\d(?<![\d月第共近约满超每延长期限计]\d)\d\d\d?)日(?![内以之起后前的])")


@check("date-valid", params={}, reads="the text (dates as written)")
def date_valid(ctx: Context, params: dict):
    """Every date written in the report exists."""
    for unit in ctx.texts():
        text = unit.text
        if "日" not in text and "-" not in text:
            continue
        has_month = "月" in text  # most lines hold no date: skip the patterns that cannot match
        for match in _FULL.finditer(text) if has_month else ():
            if not _valid(*(int(g) for g in match.groups())):
                yield Hit(
                    {"text": match.group(0)},
                    loc=unit.loc_at(match.start()),
                    section=unit.section,
                    anchor=None,
                    key=match.group(0),
                    evidence=match.group(0),
                    variant="invalid",
                )
        for match in _MONTH_DAY.finditer(text) if has_month else ():
            if not _valid(2000, int(match.group(1)), int(match.group(2))):  # 2000: 2月29日 exists
                yield Hit(
                    {"text": match.group(0)},
                    loc=unit.loc_at(match.start()),
                    section=unit.section,
                    anchor=None,
                    key=match.group(0),
                    evidence=match.group(0),
                    variant="invalid",
                )
        for match in _ISO.finditer(text) if "-" in text else ():
            if not _valid(*(int(g) for g in match.groups())):
                yield Hit(
                    {"text": match.group(0)},
                    loc=unit.loc_at(match.start()),
                    section=unit.section,
                    anchor=None,
                    key=match.group(0),
                    evidence=match.group(0),
                    variant="invalid",
                )
        for match in _RUN_TOGETHER.finditer(text):
            digits = match.group(1)
            month, day = int(digits[:-2]), int(digits[-2:])
            if 1 <= month <= 12 and 1 <= day <= 31:
                yield Hit(
                    {"text": match.group(0), "month": month, "day": day},
                    loc=unit.loc_at(match.start()),
                    section=unit.section,
                    anchor=None,
                    key=match.group(0),
                    evidence=match.group(0),
                    variant="run_together",
                )


@check("date-known", params={}, reads="facts.published")
def date_known(ctx: Context, params: dict):
    """The report says when it was published (page date, signature date or date under the title)."""
    if ctx.facts.published is None:
        yield Hit({}, loc=ctx.first_loc(), section=None, anchor="published", key="unknown")
