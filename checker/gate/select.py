"""Choosing rules the way ruff does: by code (A302), prefix (A3), family (A or arithmetic) or
name (row-total); `select` and `extend-select` add, `ignore` removes, and the most specific
selector that matches a rule decides (ignore wins a tie)."""

from __future__ import annotations

import difflib
from dataclasses import replace

FAMILIES = {
    "E": "input",
    "S": "structure",
    "T": "tables",
    "A": "arithmetic",
    "C": "consistency",
    "N": "content",
    "D": "dates",
    "Q": "quality",
}
EXACT = 4  # the specificity of a selector that names one rule: its code or its name
ALWAYS = ("input", "rule-failed")  # check types: an unreadable file or a failed rule is reported whatever is selected


class SelectorError(ValueError):
    pass


def specificity(selector: str, rule) -> int | None:
    """How specifically `selector` names `rule` (None: it does not)."""
    s = selector.strip()
    if s.upper() == "ALL":
        return 0
    if s == rule.name:
        return EXACT
    if s.lower() == FAMILIES.get(rule.code[0]):
        return 1
    code = s.upper()
    is_prefix = len(code) >= 1 and code[0].isalpha() and (len(code) == 1 or code[1:].isdigit())
    return len(code) if is_prefix and rule.code.startswith(code) else None


def check_selectors(selectors: list[str], rules, where: str) -> None:
    """Every selector names at least one rule; a typo is an error with a suggestion."""
    known = sorted({r.code for r in rules} | {r.name for r in rules} | set(FAMILIES.values()) | {"ALL"})
    for selector in selectors:
        if not any(specificity(selector, r) is not None for r in rules):
            close = difflib.get_close_matches(selector, known, n=1)
            hint = f"，是否想写「{close[0]}」？" if close else ""
            raise SelectorError(f"{where} 中的「{selector}」不对应任何规则{hint}")


def select(rules, chosen: list[str] | None, extend: list[str], ignore: list[str]):
    """The rules that run. An opt-in rule runs only where a selector names it exactly (its code
    or its name): ALL, a family or a prefix leaves it off."""
    plus = list(chosen if chosen is not None else ["ALL"]) + list(extend)
    out = []
    for rule in rules:
        best_plus = max((s for s in (specificity(x, rule) for x in plus) if s is not None), default=None)
        best_minus = max((s for s in (specificity(x, rule) for x in ignore) if s is not None), default=None)
        on = best_plus is not None and (best_minus is None or best_plus > best_minus)
        if rule.opt_in:
            if on and best_plus >= EXACT:
                out.append(replace(rule, opt_in=False))  # named: it runs
            continue
        if on or rule.check in ALWAYS:
            out.append(rule)
    return tuple(out)
