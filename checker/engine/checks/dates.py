"""Dates: published on time, and every date in the text a real one."""

from __future__ import annotations


from checker.engine.registry import P, check, require
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.engine.wording import words as _words
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
        raise ValueError(_words("deadline").say("local_not_mapping"))
    for kind, month_day in local.items():
        if kind not in KINDS or kind in ("organisation", "unknown"):
            words = _words("deadline")
            kinds = words.listed(k for k in KINDS if k not in ("organisation", "unknown"))
            raise ValueError(words.say("local_unknown_kind", kind=kind, kinds=kinds))
        _month_day(month_day, f"local_deadlines.{kind}")
    _month_day(params.get("reference") or "03-31", "reference")
    return params


def cn_date(day) -> str:
    """2025年4月8日, as a 公文 writes a date."""
    return _words("deadline").say("date", year=day.year, month=day.month, day=day.day)


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
    words = _words("deadline")
    said = words["published"]
    when = said.get(facts.published_source, said["other"]).format(cn_date(facts.published))
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


@check("date-valid", params={}, reads="the text (dates as written)")
def date_valid(ctx: Context, params: dict):
    """Every date written in the report exists."""
    words = _words("date-valid")
    marks, patterns = words["marks"], words.re
    for unit in ctx.texts():
        text = unit.text
        if marks["day"] not in text and "-" not in text:
            continue
        has_month = marks["month"] in text  # most lines hold no date: skip the patterns that cannot match
        for match in patterns.full.finditer(text) if has_month else ():
            if not _valid(*(int(g) for g in match.groups())):
                yield _date_hit(unit, match, "invalid")
        for match in patterns.month_day.finditer(text) if has_month else ():
            if not _valid(2000, int(match.group(1)), int(match.group(2))):  # 2000: 2月29日 exists
                yield _date_hit(unit, match, "invalid")
        for match in patterns.iso.finditer(text) if "-" in text else ():
            if not _valid(*(int(g) for g in match.groups())):
                yield _date_hit(unit, match, "invalid")
        for match in patterns.run_together.finditer(text):
            digits = match.group(1)
            month, day = int(digits[:-2]), int(digits[-2:])
            if 1 <= month <= 12 and 1 <= day <= 31:
                yield _date_hit(unit, match, "run_together", month=month, day=day)


def _date_hit(unit, match, variant: str, **values) -> Hit:
    """A date as written that is wrong, where it stands."""
    return Hit(
        {"text": match.group(0), **values},
        loc=unit.loc_at(match.start()),
        section=unit.section,
        anchor=None,
        key=match.group(0),
        evidence=match.group(0),
        variant=variant,
    )


@check("date-known", params={}, reads="facts.published")
def date_known(ctx: Context, params: dict):
    """The report says when it was published (page date, signature date or date under the title)."""
    if ctx.facts.published is None:
        yield Hit({}, loc=ctx.first_loc(), section=None, anchor="published", key="unknown")
