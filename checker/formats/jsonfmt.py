"""The versioned JSON contract of DESIGN.md (schema xxgk-findings/1; only ever extended)."""

from __future__ import annotations

import json

from checker import __version__

SCHEMA = "xxgk-findings/1"


def finding_dict(finding) -> dict:
    loc = finding.loc
    out = {"code": finding.code, "name": finding.name, "severity": finding.severity,
           "message": finding.message, "line": loc.line if loc else None,
           "column": loc.column if loc else None, "section": finding.section,
           "anchor": finding.anchor, "basis": finding.basis, "fingerprint": finding.fingerprint}
    if loc and loc.page:
        out["page"] = loc.page
    if loc and loc.unit != "line":
        out["unit"] = loc.unit
    if finding.suppressed:
        s = finding.suppressed
        out["suppressed"] = {k: v for k, v in (("kind", s.kind), ("reason", s.reason), ("source", s.source),
                                               ("approver", s.approver), ("expires", s.expires)) if v}
    return out


def document_dict(result) -> dict:
    facts = result.facts
    report = result.report
    return {
        "path": result.path,
        "title": report.title.text if report and report.title else None,
        "agency": facts.agency if facts else None,
        "agency_kind": facts.agency_kind if facts else "unknown",
        "year": facts.year if facts else None,
        "regime": facts.regime if facts else None,
        "published": facts.published.isoformat() if facts and facts.published else None,
        "findings": [finding_dict(f) for f in result.findings],
        "not_assessable": result.unassessed,
    }


def render(results) -> str:
    payload = {"schema": SCHEMA, "tool": {"name": "xxgk-checker", "version": __version__},
               "documents": [document_dict(r) for r in results]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
