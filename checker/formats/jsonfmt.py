"""The versioned JSON contract of DESIGN.md (schema xxgk-findings/1; only ever extended)."""

from __future__ import annotations

import json

from checker import __version__
from checker.formats import excerpt

SCHEMA = "xxgk-findings/1"


def _where(loc) -> dict:
    out = {"line": loc.line if loc else None, "column": loc.column if loc else None}
    if loc and loc.page:
        out["page"] = loc.page
    if loc and loc.unit != "line":
        out["unit"] = loc.unit
    if loc and loc.cell:
        out["cell"] = dict(zip(("table", "row", "column"), loc.cell))
    if loc and loc.bbox:
        out["bbox"] = list(loc.bbox)
    return out


def _related(finding) -> dict:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        **_where(finding.loc),
        "section": finding.section,
        "anchor": finding.anchor,
        "fingerprint": finding.fingerprint,
    }


def finding_dict(finding, source=None) -> dict:
    loc = finding.loc
    out = {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "section": finding.section,
        "anchor": finding.anchor,
        "basis": finding.basis,
        "fingerprint": finding.fingerprint,
    }
    out.update(_where(loc))
    if finding.evidence:
        out["evidence"] = finding.evidence
    if source is not None:
        out["excerpt"] = excerpt.window(source, loc)
        if excerpt.from_ocr(source, loc):
            out["ocr"] = True
    if finding.related:
        out["related"] = [_related(f) for f in finding.related]
    if finding.exception:
        out["exception"] = finding.exception
    if finding.suppressed:
        s = finding.suppressed
        out["suppressed"] = {
            k: v
            for k, v in (
                ("kind", s.kind),
                ("reason", s.reason),
                ("source", s.source),
                ("approver", s.approver),
                ("expires", s.expires),
            )
            if v
        }
    return out


def document_dict(result) -> dict:
    facts = result.facts
    report = result.report
    return {
        "path": result.path,
        "title": report.title.text if report and report.title else None,
        "agency": facts.agency if facts else None,
        "agency_kind": facts.agency_kind if facts else "unknown",
        "agency_kind_evidence": facts.agency_kind_evidence if facts else "",
        "year": facts.year if facts else None,
        "regime": facts.regime if facts else None,
        "published": facts.published.isoformat() if facts and facts.published else None,
        "findings": [finding_dict(f, result.source) for f in result.findings],
        "not_assessable": result.unassessed,
    }


def render(results) -> str:
    payload = {
        "schema": SCHEMA,
        "tool": {"name": "xxgk-checker", "version": __version__},
        "documents": [document_dict(r) for r in results],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
