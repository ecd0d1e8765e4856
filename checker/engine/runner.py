"""Run the applicable rules over one document's context and turn their hits into Findings.

Each rule runs on its own: a rule that raises loses only its own findings (E004 says which rule
and why). Then one cause, one finding: a rule's YAML may say which other findings it subsumes
(`subsumes`), and only the root finding is kept, the others listed on it as `related`."""

from __future__ import annotations

from dataclasses import replace

from checker.engine.checks import CHECKS
from checker.engine.context import Context
from checker.engine.finding import Finding, Hit, fingerprint
from checker.engine.rules import Rule, rule_for


def to_finding(
    rule: Rule, hit: Hit, regime: str | None = None, year: int | None = None, kind: str | None = None
) -> Finding:
    return Finding(
        rule.code,
        rule.name,
        rule.title,
        rule.capped(hit.severity or rule.severity_for(regime), kind),
        rule.render(hit.args, hit.variant),
        hit.loc,
        hit.section,
        hit.anchor,
        rule.basis_for(regime, year),
        fingerprint(rule.code, hit.anchor, hit.key),
        topic=hit.topic,
        evidence=hit.evidence,
        suspects=hit.suspects,
    )


def _failed(rule: Rule, error: Exception, ctx: Context, rules_by_code: dict) -> Finding | None:
    internal = rule_for(rules_by_code, "rule-failed")
    if internal is None:
        return None
    hit = Hit(
        {"rule": rule.code, "title": rule.title, "error": type(error).__name__},
        loc=ctx.first_loc(),
        section=None,
        anchor=f"rule/{rule.code}",
        key=rule.code,
    )
    return replace(to_finding(internal, hit), exception=type(error).__name__)


# the families that hold for any published text: reading the input (E) and text quality (Q)
_ANY_REPORT = ("E", "Q")

# (rules, regime, agency kind) → the rules that apply: worked out once for every report of that
# regime and kind rather than rule by rule for each (the tuple kept, so its id stays its own)
_APPLICABLE: dict[tuple, tuple] = {}


def _applicable(rules: tuple[Rule, ...], regime: str | None, kind: str) -> tuple[Rule, ...]:
    key = (id(rules), regime, kind)
    found = _APPLICABLE.get(key)
    if found is None or found[0] is not rules:
        if len(_APPLICABLE) >= 64:
            _APPLICABLE.clear()
        found = _APPLICABLE[key] = (
            rules,
            tuple(rule for rule in rules if not rule.opt_in and rule.applies(regime, kind)),
        )
    return found[1]


def run_rules(ctx: Context, rules: tuple[Rule, ...], evaluated: list[str] | None = None) -> list[Finding]:
    """The findings of the rules that apply to this report; `evaluated`, when given, receives the
    codes of those rules."""
    findings: list[Finding] = []
    facts = ctx.facts
    outside = facts.out_of_scope
    for rule in _applicable(rules, facts.regime, facts.agency_kind):
        if not rule.holds(facts):
            continue
        check = CHECKS[rule.check]
        if check.scope != "document":
            continue  # the audit runs batch checks; the tool reports its own codes
        if outside and rule.code[0] not in _ANY_REPORT and rule.check != "out-of-scope":
            continue  # a report the format does not govern: said once (S107, S108), not blamed
        if evaluated is not None:
            evaluated.append(rule.code)
        try:
            hits = list(check.run(ctx, rule.params) or ())
        except Exception as error:  # noqa: BLE001 - a defect in one rule must not cost the others
            failed = _failed(rule, error, ctx, {r.code: r for r in rules})
            if failed:
                findings.append(failed)
            continue
        if hits:
            findings.extend(to_finding(rule, hit, facts.regime, facts.year, facts.agency_kind) for hit in hits)
    if findings:  # (rules by code made only then: most reports' rules find little)
        by_code = {r.code: r for r in rules}
        findings = subsume(findings, by_code)
        if ctx.doc.meta.get("ocr_pages"):
            findings = on_scanned_pages(findings, ctx, by_code)
        findings.sort(key=lambda f: f.sort_key)
    return findings


def on_scanned_pages(findings: list[Finding], ctx: Context, rules_by_code: dict) -> list[Finding]:
    """An error read off a scanned page rests on OCR, which misreads a digit or a character now
    and then: it stays an error only when the reading is confirmed — the words set against a cell
    of a table whose every relation holds with the digits as read — and is otherwise a warning
    that says to check the scan (E007 `scan_unconfirmed`)."""
    pages = set(ctx.doc.meta["ocr_pages"])
    provenance = rule_for(rules_by_code, "provenance")
    note = provenance.render({}, "scan_unconfirmed") if provenance else ""
    unbalanced = {f.anchor.split("/", 1)[0] for f in findings if f.code.startswith("A") and f.anchor}
    tables = ctx.facts.tables
    out = []
    for finding in findings:
        loc = finding.loc
        scanned = loc.page in pages if loc is not None and loc.page else True
        table = finding.anchor.split("/", 1)[0] if finding.anchor and "/" in finding.anchor else None
        # a cell as read, compared with the words (C): confirmed when its table's relations all
        # hold; a cell's own reading (a blank, a row missing: T) or a relation failing (A) is not
        confirmed = finding.code.startswith("C") and table in tables and table not in unbalanced
        if finding.severity == "error" and scanned and not finding.code.startswith("E") and not confirmed:
            finding = replace(finding, severity="warning", message=finding.message + note)
        out.append(finding)
    return out


def _shared(a: Finding, b: Finding, same: str) -> bool:
    if same == "document":
        return True
    if same == "cell":  # one cell, wrong by one amount, breaks both relations
        return bool(a.suspects & b.suspects)
    value = getattr(a, same)
    return value is not None and value == getattr(b, same)


def subsume(findings: list[Finding], rules_by_code: dict) -> list[Finding]:
    """Keep the root of each cause. A finding subsumed by one that is itself subsumed goes to
    the root of that chain; a cycle (two rules subsuming each other) keeps the first."""
    parent: dict[int, int] = {}
    for i, root in enumerate(findings):
        rule = rules_by_code.get(root.code)
        if rule is None or not rule.subsumes:
            continue
        for j, other in enumerate(findings):
            if j == i or j in parent or other.code == root.code:
                continue
            if any(other.code in item.codes and _shared(root, other, item.same) for item in rule.subsumes):
                k = i  # refuse a cycle: root must not already sit below `other`
                while k in parent and k != j:
                    k = parent[k]
                if k != j:
                    parent[j] = i
    if not parent:
        return findings

    def top(index: int) -> int:
        while index in parent:
            index = parent[index]
        return index

    related: dict[int, list[Finding]] = {}
    for j in parent:
        related.setdefault(top(j), []).append(findings[j])
    out = []
    for i, finding in enumerate(findings):
        if i in parent:
            continue
        if i in related:
            below = sorted(related[i], key=lambda f: f.sort_key)
            finding = replace(finding, related=finding.related + tuple(below))
        out.append(finding)
    return out
