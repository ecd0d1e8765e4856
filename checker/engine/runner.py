"""Run the applicable rules over one document's context and turn their hits into Findings."""

from __future__ import annotations

from checker.engine.checks import CHECKS
from checker.engine.context import Context
from checker.engine.finding import Finding, Hit, fingerprint
from checker.engine.rules import Rule


def to_finding(rule: Rule, hit: Hit) -> Finding:
    return Finding(rule.code, rule.name, rule.title, hit.severity or rule.severity, rule.render(hit.args),
                   hit.loc, hit.section, hit.anchor, rule.basis, fingerprint(rule.code, hit.anchor, hit.key))


def run_rules(ctx: Context, rules: tuple[Rule, ...]) -> list[Finding]:
    findings: list[Finding] = []
    facts = ctx.facts
    for rule in rules:
        if not rule.applies(facts.regime, facts.agency_kind):
            continue
        for hit in CHECKS[rule.check].run(ctx, rule.params) or ():
            findings.append(to_finding(rule, hit))
    findings.sort(key=lambda f: f.sort_key)
    return findings
