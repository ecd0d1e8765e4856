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
    return {
        "path": result.path,
        "title": result.title,
        "agency": facts.agency if facts else None,
        "agency_kind": facts.agency_kind if facts else "unknown",
        "agency_kind_evidence": facts.agency_kind_evidence if facts else "",
        "year": facts.year if facts else None,
        "regime": facts.regime if facts else None,
        "published": facts.published.isoformat() if facts and facts.published else None,
        "findings": [finding_dict(f, result.source) for f in result.findings],
        "not_assessable": result.unassessed,
    }


def _payload(documents: list) -> dict:
    return {"schema": SCHEMA, "tool": {"name": "xxgk-checker", "version": __version__}, "documents": documents}


class Stream:
    """The JSON document written a document at a time, byte for byte what json.dumps(indent=2)
    makes of the whole: the head, each document indented into the list, the tail."""

    INDENT = "    "  # a document's depth in the payload: the object, then the list

    def __init__(self):
        self.count = 0

    def head(self) -> str:
        text = json.dumps(_payload([]), ensure_ascii=False, indent=2)
        return text[: text.rindex("[]")] + "["

    def document(self, result) -> str:
        text = json.dumps(document_dict(result), ensure_ascii=False, indent=2)
        indented = "\n".join(self.INDENT + line for line in text.split("\n"))
        self.count += 1
        return ("," if self.count > 1 else "") + "\n" + indented

    def tail(self) -> str:
        return ("\n  ]" if self.count else "]") + "\n}\n"


def line(result) -> str:
    """JSON Lines (--format jsonl): one document a line, as in the JSON document's list."""
    return json.dumps(document_dict(result), ensure_ascii=False, separators=(",", ":")) + "\n"


def render(results) -> str:
    stream = Stream()
    return stream.head() + "".join(stream.document(r) for r in results) + stream.tail()
