"""A baseline: the findings a report already had when the gate was switched on, so that only
new ones fail the build. Keyed by document and fingerprint (built from the rule and the
structural anchor, not the line), so edits elsewhere in the report keep an entry matched."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from checker.engine.finding import Hit, Suppression
from checker.engine.rules import rule_for
from checker.engine.runner import to_finding
from checker.safe_write import write_atomic
from checker.user_files import UserFileError, load_json

SCHEMA = "xxgk-baseline/1"


class BaselineError(ValueError):
    pass


def _key(path: str, base: Path) -> str:
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(base.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def write(results, target: Path) -> int:
    entries = sorted(
        {
            (_key(r.path, target.parent), f.code, f.fingerprint, f.message)
            for r in results
            for f in r.findings
            if f.suppressed is None
        }
    )
    payload = {
        "schema": SCHEMA,
        "entries": [{"path": p, "code": c, "fingerprint": fp, "message": m} for p, c, fp, m in entries],
    }
    write_atomic(target, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    return len(entries)


def load(path: Path) -> dict[str, dict[str, dict]]:
    """path in the baseline → fingerprint → entry."""
    try:
        data = load_json(path, "基线文件")
    except UserFileError as error:
        raise BaselineError(str(error)) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("entries"), list):
        raise BaselineError(f"基线文件 {path} 不是 {SCHEMA} 格式（用 --write-baseline 生成）")
    out: dict[str, dict[str, dict]] = {}
    for entry in data["entries"]:
        if (
            not isinstance(entry, dict)
            or not {"path", "code", "fingerprint"} <= set(entry)
            or not all(isinstance(entry[k], str) for k in ("path", "code", "fingerprint"))
        ):
            raise BaselineError(f"基线文件 {path} 中有缺少 path、code 或 fingerprint（文字）的条目")
        out.setdefault(entry["path"], {})[entry["fingerprint"]] = entry
    return out


def apply(results, path: Path, rules, entries: dict | None = None):
    """Findings in the baseline are marked; entries of a checked document that no longer occur
    are reported (stale: the defect was fixed, drop it from the baseline). `entries`: the
    baseline already loaded (a batch applies it document by document)."""
    entries = load(path) if entries is None else entries
    rules = {r.code: r for r in rules}
    out = []
    for result in results:
        known = entries.get(_key(result.path, path.parent), {})
        seen = set()
        findings = []
        for finding in result.findings:
            if finding.suppressed is None and finding.fingerprint in known:
                seen.add(finding.fingerprint)
                finding = replace(finding, suppressed=Suppression("baseline", "基线中已有的问题", str(path)))
            findings.append(finding)
        stale = rule_for(rules, "gate", "stale-baseline")
        if stale:
            for fp, entry in known.items():
                if fp not in seen:
                    findings.append(
                        to_finding(
                            stale,
                            Hit(
                                {
                                    "detail": f"基线中的 {entry['code']}「{entry.get('message', '')[:40]}」已不再出现，请更新基线"
                                },
                                loc=None,
                                section=None,
                                anchor=None,
                                key=f"stale/{fp}",
                            ),
                        )
                    )
        out.append(replace(result, findings=sorted(findings, key=lambda f: f.sort_key)))
    return out
