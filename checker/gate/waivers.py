"""Waivers: a reviewed decision that a finding is accepted, with a reason. Reports have no code
comments, so a waiver is keyed by rule, document pattern and structural anchor (section, table,
row, cell — never a line number, so it survives edits elsewhere); or written into the document
as a directive. Expired, unmatched and malformed waivers are findings themselves."""

from __future__ import annotations

import datetime as dt
import fnmatch
import bisect
import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath


from checker.user_files import UserFileError
from checker.user_files import load_yaml as load_user_yaml

from checker.engine.finding import Finding, Hit, Suppression
from checker.engine.rules import rule_for
from checker.engine.runner import to_finding
from checker.ingest.document import Loc, TableBlock

_KEYS = {"rule", "documents", "anchor", "section", "reason", "approver", "expires"}
_CODES = re.compile(r"^[A-Z]\d{3}$")


class WaiverError(ValueError):
    pass


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    source: str  # "file:entry N"
    documents: str | None = None
    anchor: str | None = None
    section: str | None = None
    approver: str | None = None
    expires: dt.date | None = None
    base: str = "."  # folder the document patterns are relative to

    def covers(self, path: str) -> bool:
        if not self.documents:
            return True
        resolved = Path(path).resolve()
        try:
            relative = PurePosixPath(resolved.relative_to(Path(self.base).resolve()).as_posix())
        except ValueError:
            relative = PurePosixPath(Path(path).as_posix())
        return any(
            fnmatch.fnmatch(str(candidate), self.documents)
            for candidate in (relative, PurePosixPath(Path(path).as_posix()), PurePosixPath(resolved.name))
        )

    def matches(self, finding: Finding) -> bool:
        if finding.code != self.rule and finding.name != self.rule:
            return False
        if self.section and finding.section != self.section:
            return False
        if self.anchor:
            anchor = finding.anchor or ""
            return anchor == self.anchor or anchor.startswith(self.anchor.rstrip("/") + "/")
        return True


def load_waivers(path: str | Path, known_codes: set[str], names: dict[str, str]) -> list[Waiver]:
    path = Path(path)
    try:
        data = load_user_yaml(path, "豁免清单")
    except UserFileError as error:
        raise WaiverError(str(error)) from None
    entries = data.get("waivers") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise WaiverError(f"豁免清单 {path} 应为 waivers: 列表")
    out = []
    for index, entry in enumerate(entries, 1):
        where = f"{path} 第 {index} 项"
        if not isinstance(entry, dict):
            raise WaiverError(f"{where} 应为映射")
        if not all(isinstance(key, str) for key in entry):
            raise WaiverError(f"{where}：键应为文字，如 rule、reason")
        unknown = set(entry) - _KEYS
        if unknown:
            raise WaiverError(f"{where}：未知的键 {', '.join(sorted(unknown))}（可用：{', '.join(sorted(_KEYS))}）")
        listed = entry.get("rule")
        codes = []
        for rule in listed if isinstance(listed, list) else [listed]:
            rule = str(rule or "").strip()
            code = rule.upper() if rule.upper() in known_codes else names.get(rule)
            if not code:
                raise WaiverError(f"{where}：rule「{rule}」不是已有的规则代码或名称")
            codes.append(code)
        reason = str(entry.get("reason") or "").strip()
        if not reason:
            raise WaiverError(f"{where}：缺少 reason（豁免必须写明理由）")
        expires = entry.get("expires")
        if isinstance(expires, dt.datetime):  # YAML reads 2026-03-31T00:00:00 as a datetime
            expires = expires.date()
        if expires is not None and not isinstance(expires, dt.date):
            try:
                expires = dt.date.fromisoformat(str(expires))
            except ValueError as error:
                raise WaiverError(f"{where}：expires「{expires}」应为日期，如 2026-03-31") from error
        out += [
            Waiver(
                code,
                reason,
                f"{path}:{index}",
                entry.get("documents"),
                str(entry["anchor"]).strip("/") if entry.get("anchor") else None,
                str(entry["section"]) if entry.get("section") else None,
                str(entry["approver"]) if entry.get("approver") else None,
                expires,
                str(path.parent),
            )
            for code in codes
        ]
    return out


def _meta_finding(rules: dict, kind: str, message: str, loc: Loc | None, key: str) -> list[Finding]:
    """The gate's own finding (the rule of check type gate with this kind), unless not selected."""
    rule = rule_for(rules, "gate", kind)
    return [to_finding(rule, Hit({"detail": message}, loc=loc, section=None, anchor=None, key=key))] if rule else []


def _block_lines(block) -> tuple[int, int]:
    if isinstance(block, TableBlock):
        lines = [cell.loc.line for row in block.rows for cell in row] or [block.loc.line]
        return min(lines), max(lines)
    return block.loc.line, block.loc.line


def block_spans(source) -> list[tuple[int, int]]:
    """Each block's first and last line, in order (a batch's kept record carries them)."""
    kept = getattr(source, "spans", None)
    return kept if kept is not None else sorted(_block_lines(block) for block in source.blocks)


def _directive_waivers(
    result, rules: dict, known: set[str]
) -> tuple[list[tuple[Waiver, range | None, Loc]], list[Finding]]:
    """Directives in the document: which findings each covers (a line range, or all), and
    findings for the malformed ones."""
    directives = (result.source.meta.get("directives") if result.source else None) or ()
    spans = block_spans(result.source) if directives else []
    starts = [a for a, _ in spans]
    out, problems = [], []
    for directive in directives:
        loc = Loc(directive.line, unit=directive.unit)
        codes_part, _, reason = directive.body.partition("--")
        codes = [c.strip().upper() for c in re.split(r"[\s,，]+", codes_part) if c.strip()]
        bad = [c for c in codes if not _CODES.match(c) or c not in known]
        error = None
        if directive.verb not in ("disable", "disable-next"):
            error = f"未知的指令「xxgk-{directive.verb}」（可用 xxgk-disable、xxgk-disable-next）"
        elif not codes:
            error = "指令没有写规则代码"
        elif bad:
            error = f"指令中的「{'、'.join(bad)}」不是已有的规则代码"
        elif not reason.strip():
            error = (
                "指令没有写理由（格式：<!-- xxgk-disable A302 -- 理由 -->）"
                if directive.unit == "line"
                else "批注中的指令没有写理由（格式：xxgk-disable A302 -- 理由）"
            )
        if error:
            problems.extend(_meta_finding(rules, "invalid-directive", error, loc, f"{directive.line}/{directive.body}"))
            continue
        span = range(directive.span[0], directive.span[1] + 1) if directive.span else None
        if directive.verb == "disable-next":  # the paragraph or table right after it
            at = bisect.bisect_right(starts, directive.end_line)  # the first block after it (spans sorted)
            first, last = spans[at] if at < len(spans) else (directive.end_line + 1, directive.end_line + 1)
            span = range(first, last + 1)
        for code in codes:
            out.append((Waiver(code, reason.strip(), f"{result.path}:{directive.line}"), span, loc))
    return out, problems


def apply(results, waivers: list[Waiver], rules, known: set[str], today: dt.date | None = None):
    """Mark the findings each waiver or directive covers; add findings (of the selected `rules`)
    for expired, unmatched and malformed ones; `known` is every rule code, selected or not.
    Returns new results (the input is not changed)."""
    today = today or dt.date.today()
    rules = {r.code: r for r in rules}
    used: set[int] = set()
    out = []
    for result in results:
        directives, problems = _directive_waivers(result, rules, known)
        findings = []
        for finding in result.findings:
            suppression = None
            for waiver, span, _ in directives:
                if waiver.matches(finding) and (span is None or (finding.loc and finding.loc.line in span)):
                    suppression = Suppression("directive", waiver.reason, waiver.source)
                    used.add(id(waiver))
                    break
            if suppression is None:
                for waiver in waivers:
                    if waiver.covers(result.path) and waiver.matches(finding):
                        if waiver.expires and waiver.expires < today:
                            continue  # an expired waiver no longer covers anything
                        suppression = Suppression(
                            "waiver",
                            waiver.reason,
                            waiver.source,
                            waiver.approver,
                            waiver.expires.isoformat() if waiver.expires else None,
                        )
                        used.add(id(waiver))
                        break
            findings.append(replace(finding, suppressed=suppression) if suppression else finding)
        for waiver, _, loc in directives:
            if id(waiver) not in used:
                problems.extend(
                    _meta_finding(
                        rules,
                        "unused-waiver",
                        f"指令豁免 {waiver.rule} 但没有匹配到任何问题，请删除",
                        loc,
                        f"directive/{waiver.source}/{waiver.rule}",
                    )
                )
        out.append((result, findings, problems))
    final = []
    reported: set[int] = set()  # each expired or unused waiver is reported once, on its first document
    for result, findings, problems in out:
        for waiver in waivers:
            if not waiver.covers(result.path) or id(waiver) in reported:
                continue
            reported.add(id(waiver))
            if waiver.expires and waiver.expires < today:
                problems.extend(
                    _meta_finding(
                        rules,
                        "expired-waiver",
                        f"豁免（{waiver.source}，{waiver.rule}）已于 {waiver.expires} 过期，不再生效：{waiver.reason}",
                        None,
                        f"expired/{waiver.source}",
                    )
                )
            elif id(waiver) not in used:
                problems.extend(
                    _meta_finding(
                        rules,
                        "unused-waiver",
                        f"豁免（{waiver.source}，{waiver.rule}）没有匹配到任何问题，请删除",
                        None,
                        f"unused/{waiver.source}",
                    )
                )
        final.append(replace(result, findings=sorted(findings + problems, key=lambda f: f.sort_key)))
    return final
