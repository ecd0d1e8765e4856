"""What the gate and the formatters need of one checked report, and nothing more: a batch keeps
this (a few KB) instead of the report's documents, AST and facts (~170 KB), and a worker process
sends it to the parent. Every formatter and the gate read a Record as they read a Result."""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.formats.excerpt import Kept
from checker.gate.waivers import block_spans


@dataclass(frozen=True, slots=True)
class Header:
    """The facts a report's output names (its header line, the JSON document's fields)."""

    agency: str | None
    agency_kind: str
    agency_kind_evidence: str
    year: int | None
    regime: str | None
    published: object  # a date or None


@dataclass(slots=True)
class Record:
    path: str
    findings: list
    facts: Header | None = None
    title: str | None = None
    source: Kept | None = None
    unassessed: list = field(default_factory=list)
    evaluated: tuple[str, ...] = ()
    fail_on: str = "error"

    @property
    def active(self) -> list:
        return [f for f in self.findings if f.suppressed is None]


def record(result) -> Record:
    """The Record of a Result (the Result and its documents can then be let go)."""
    facts = result.facts
    header = (
        Header(
            facts.agency,
            facts.agency_kind,
            facts.agency_kind_evidence,
            facts.year,
            facts.regime,
            facts.published,
        )
        if facts
        else None
    )
    kept = None
    source = result.source
    if source is not None:
        from checker.ingest.document import Loc

        directives = source.meta.get("directives") or ()
        locs = [f.loc for f in result.findings] + [Loc(d.line, unit=d.unit) for d in directives]
        kept = Kept(source, locs, block_spans(source) if directives else None)
    return Record(
        result.path,
        result.findings,
        header,
        result.title,
        kept,
        result.unassessed,
        result.evaluated,
        result.fail_on,
    )
