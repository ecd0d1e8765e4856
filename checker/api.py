"""The public Python API, for a CMS or any program that checks reports itself:

    import checker
    report = checker.check_path("2024年报.docx")
    report = checker.check_bytes(data, "年报.html", year=2024, agency_kind="department")
    for finding in report.findings: print(finding.code, finding.severity, finding.message)

Stable: only what is exported here (and documented in docs/api.md) is public; everything else
in the package may change. A report that cannot be read is a Report with an E001/E003 finding,
never an exception; arguments that make no sense raise ValueError."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from checker.kinds import KINDS, REGIMES
from checker.years import FIRST_YEAR, LAST_YEAR, year_ok

__all__ = ["Finding", "Location", "Report", "check_bytes", "check_path", "REGIMES", "AGENCY_KINDS"]

AGENCY_KINDS = KINDS


@dataclass(frozen=True)
class Location:
    """Where a finding points, in the source's own terms: `unit` is "line" (txt, md, html: line and
    column), "paragraph" (docx: body paragraph number) or "page" (pdf: page, and line on it).
    `cell` is (table, row, column) from 1 for a table cell; `bbox` its box on a PDF page."""

    line: int
    column: int
    unit: str = "line"
    page: int | None = None
    cell: tuple[int, int, int] | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Finding:
    code: str  # A301
    name: str  # request-balance
    title: str  # 申请数量不平衡
    severity: str  # error | warning | info
    message: str  # in Chinese
    location: Location | None
    section: str | None  # 一 … 六
    anchor: str | None  # requests/new/total
    basis: str  # the article or document it rests on
    fingerprint: str  # stable across edits elsewhere in the report
    evidence: str | None = None  # the cell value or phrase it is about
    excerpt: str | None = None  # the visible text at its place
    related: tuple["Finding", ...] = ()  # findings of the same cause, kept under this one


@dataclass(frozen=True)
class Report:
    path: str
    title: str | None
    agency: str | None
    agency_kind: str
    year: int | None
    regime: str | None
    published: dt.date | None
    findings: tuple[Finding, ...]
    json: dict = field(default_factory=dict, repr=False, compare=False)  # see to_json()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    def to_json(self) -> dict:
        """The document as `xxgk check --format json` writes it (schema xxgk-findings/1)."""
        return self.json


def _finding(finding, source) -> Finding:
    from checker.formats.excerpt import window

    loc = finding.loc
    where = Location(loc.line, loc.column, loc.unit, loc.page, loc.cell, loc.bbox) if loc else None
    return Finding(
        finding.code,
        finding.name,
        finding.title,
        finding.severity,
        finding.message,
        where,
        finding.section,
        finding.anchor,
        finding.basis,
        finding.fingerprint,
        finding.evidence,
        window(source, loc) if source is not None else None,
        tuple(_finding(f, source) for f in finding.related),
    )


def _report(result) -> Report:
    from checker.formats.jsonfmt import document_dict

    facts, report = result.facts, result.report
    return Report(
        result.path,
        report.title.text if report and report.title else None,
        facts.agency if facts else None,
        facts.agency_kind if facts else "unknown",
        facts.year if facts else None,
        facts.regime if facts else None,
        facts.published if facts else None,
        tuple(_finding(f, result.source) for f in result.findings),
        document_dict(result),
    )


def _overrides(year, regime, agency_kind):
    from checker.facts import Overrides

    if year is not None and (isinstance(year, str) or not year_ok(year)):
        raise ValueError(f"year 应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的整数，写的是 {year!r}")
    if regime is not None and regime not in REGIMES:
        raise ValueError(f"regime 应为 {'、'.join(REGIMES)} 之一，写的是 {regime!r}")
    if agency_kind is not None and agency_kind not in AGENCY_KINDS:
        raise ValueError(f"agency_kind 应为 {'、'.join(AGENCY_KINDS)} 之一，写的是 {agency_kind!r}")
    return Overrides(year, regime, agency_kind)


def _rules(rule_packs: Sequence[str | Path]):
    from checker.engine.rules import builtin_rules, load_rules

    return load_rules(tuple(Path(p) for p in rule_packs)) if rule_packs else builtin_rules()


def check_bytes(
    data: bytes,
    filename: str,
    *,
    year: int | None = None,
    regime: str | None = None,
    agency_kind: str | None = None,
    rule_packs: Sequence[str | Path] = (),
) -> Report:
    """Check a report held in memory. `filename` decides the format by its extension (.docx, .pdf,
    .html, .md, .txt); without one the content decides. `rule_packs` adds YAML rule files (a bad
    one raises checker.engine.rules.RuleError, a ValueError)."""
    from checker import pipeline

    if not isinstance(data, (bytes, bytearray)):
        raise ValueError("data 应为 bytes（文件的原始内容）")
    return _report(
        pipeline.check_one(bytes(data), str(filename), _overrides(year, regime, agency_kind), _rules(rule_packs))
    )


def check_path(
    path: str | Path,
    *,
    year: int | None = None,
    regime: str | None = None,
    agency_kind: str | None = None,
    rule_packs: Sequence[str | Path] = (),
) -> Report:
    """Check a report file (read-only)."""
    from checker import pipeline

    return _report(pipeline.check_one(path, None, _overrides(year, regime, agency_kind), _rules(rule_packs)))
