"""Reports outside what the 条例's annual report format governs: said once, so that no rule blames
the agency for a duty it does not have (the runner runs only the input and text-quality rules on
them)."""

from __future__ import annotations

from checker.engine.registry import P, check
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.engine.wording import words
from checker.facts.report_meta import KIND_NAMES


@check(
    "out-of-scope",
    params={"reason": P("str", "organisation (公共企事业单位) or before-2008 (a year before the 条例)", True)},
    reads="facts.agency_kind, facts.year, facts.agency",
)
def scope(ctx: Context, params: dict):
    """The report is outside the format for the reason this rule is about."""
    if ctx.facts.out_of_scope != params["reason"]:
        return
    facts = ctx.facts
    yield Hit(
        {
            "agency": facts.agency or words("out-of-scope").say("this_agency"),
            "year": facts.year or "",
            "kind": KIND_NAMES[facts.agency_kind],
        },
        loc=ctx.first_loc(),
        section=None,
        anchor="document",
        key=params["reason"],
    )
