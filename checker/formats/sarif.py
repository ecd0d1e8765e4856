"""SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure): every rule with its help,
every finding with its region in Unicode code points, waived and baselined ones as suppressions."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from checker import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT = "%SRCROOT%"  # the working directory: files under it are given relative to it
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_SUPPRESSION = {"waiver": "external", "baseline": "external", "directive": "inSource"}


def _location(path: str) -> dict:
    """An artifactLocation SARIF validators accept: relative to %SRCROOT% (the working directory)
    for a file under it, a file:// URI for any other absolute path, percent-encoded either way
    (report names are Chinese); standard input by its given name."""
    if path.startswith("<") or path == "-":
        return {"uri": quote(path.strip("<>") or "stdin")}
    target = Path(os.path.abspath(path))
    try:
        relative = target.relative_to(Path.cwd())
    except ValueError:
        return {"uri": target.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": ROOT}


def _rule(rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": {
            "text": f"{rule.rationale}\n依据：{rule.basis}".strip(),
            "markdown": f"**{rule.title}**\n\n{rule.rationale}\n\n依据：{rule.basis}",
        },
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"basis": rule.basis, "tags": [rule.code[0]]},
    }


def _result(result, finding, index: dict[str, int]) -> dict:
    loc = finding.loc
    region = {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)} if loc else {"startLine": 1}
    physical = {"artifactLocation": _location(result.path), "region": region}
    out = {
        "ruleId": finding.code,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"xxgk/v1": finding.fingerprint},
        "properties": {"severity": finding.severity, "basis": finding.basis},
    }
    if finding.code in index:
        out["ruleIndex"] = index[finding.code]
    if loc and loc.page:
        out["properties"]["page"] = loc.page
    if finding.section or finding.anchor:
        logical = {"kind": "member", "fullyQualifiedName": finding.anchor or f"section/{finding.section}"}
        out["locations"][0]["logicalLocations"] = [logical]
    if finding.suppressed:
        s = finding.suppressed
        suppression = {
            "kind": _SUPPRESSION[s.kind],
            "status": "accepted",
            "justification": s.reason,
            "properties": {"source": s.source},
        }
        if s.approver:
            suppression["properties"]["approver"] = s.approver
        if s.expires:
            suppression["properties"]["expires"] = s.expires
        out["suppressions"] = [suppression]
        if s.kind == "baseline":
            out["baselineState"] = "unchanged"
    return out


def render(results, rules) -> str:
    listed = sorted({r.code: r for r in rules}.values(), key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(listed)}
    run = {
        "tool": {
            "driver": {
                "name": "xxgk-checker",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(r) for r in listed],
            }
        },
        "originalUriBaseIds": {ROOT: {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": _location(r.path)} for r in results],
        "results": [_result(r, f, index) for r in results for f in r.findings],
    }
    payload = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
