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


class Stream:
    """SARIF a document at a time: each report's artifact and results are serialised as it is
    checked, into spooled files (in memory up to 8 MB, then on disk), and put into the run's
    skeleton at the end — byte for byte what json.dumps(indent=2) makes of the whole."""

    DEPTH = " " * 8  # an artifact's or a result's indent: the payload, runs, the run, its list

    def __init__(self, rules):
        import tempfile

        listed = sorted({r.code: r for r in rules}.values(), key=lambda r: r.code)
        self.listed, self.index = listed, {r.code: i for i, r in enumerate(listed)}
        self.lists = {
            name: tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8")
            for name in ("artifacts", "results")
        }
        self.counts = {"artifacts": 0, "results": 0}

    def _put(self, name: str, item: dict) -> None:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n" + self.DEPTH)
        self.lists[name].write(("," if self.counts[name] else "") + "\n" + self.DEPTH + text)
        self.counts[name] += 1

    def add(self, result) -> None:
        self._put("artifacts", {"location": _location(result.path)})
        for finding in result.findings:
            self._put("results", _result(result, finding, self.index))

    def write_to(self, out) -> None:
        run = {
            "tool": {
                "driver": {
                    "name": "xxgk-checker",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": [_rule(r) for r in self.listed],
                }
            },
            "originalUriBaseIds": {ROOT: {"uri": Path.cwd().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "artifacts": [],
            "results": [],
        }
        skeleton = json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2)
        rest = skeleton
        for name in ("artifacts", "results"):
            at = rest.index(f'"{name}": []') + len(f'"{name}": [')
            out.write(rest[:at])
            rest = rest[at:]
            if self.counts[name]:
                self.lists[name].seek(0)
                while chunk := self.lists[name].read(1 << 20):
                    out.write(chunk)
                out.write("\n      ")
            self.lists[name].close()
        out.write(rest + "\n")


def render(results, rules) -> str:
    import io

    stream = Stream(rules)
    for result in results:
        stream.add(result)
    out = io.StringIO()
    stream.write_to(out)
    return out.getvalue()
