"""Stage 4: facts interpreted from the AST — year, agency, regime, canonical sections, keyed
table cells — the vocabulary every rule is written in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from checker.facts.layouts import Layout, SectionWord, layout, section_vocabulary
from checker.facts.report_meta import (KINDS, REGIMES, agency_kind, agency_name, publication,
                                       regime_for, reporting_year)
from checker.facts.tables import CellFact, Keyed, key_tables, value_of
from checker.ingest.document import Document
from checker.parse.ast import Report, Section, Table

__all__ = ["Facts", "CellFact", "extract", "REGIMES", "KINDS", "value_of", "Overrides"]


@dataclass(frozen=True)
class Overrides:
    year: int | None = None
    regime: str | None = None
    agency_kind: str | None = None


@dataclass
class Facts:
    year: int | None
    year_source: str
    agency: str | None
    agency_kind: str
    published: dt.date | None
    published_source: str | None
    published_loc: object
    regime: str | None
    sections: dict[str, Section]  # canonical ordinal (一 … 六) → the heading that is that section
    layout: Layout | None
    cells: dict[str, CellFact]
    tables: dict[str, list[Table]]
    where: dict[int, str] = field(default_factory=dict)  # id(node) → canonical section it sits in
    # canonical ordinal → the other top-level headings that follow it before the next section
    # ("一、主动公开" promoted out of 总体情况, a numbering that restarts at 一 inside 五)
    strays: dict[str, list[Section]] = field(default_factory=dict)
    overflow: dict[str, tuple[str, ...]] = field(default_factory=dict)  # rows with one value too many

    def section_of(self, node) -> str | None:
        return self.where.get(id(node))

    def cell(self, key: str) -> CellFact | None:
        return self.cells.get(key)


def _score(heading: str, word: SectionWord) -> int:
    return sum(len(k) for k in word.keywords if k in heading)


def _bonus(section: Section, heading: str, word: SectionWord) -> int:
    """Between headings that share the keywords, prefer the one numbered as the section and
    worded as its official title: "一、主动公开" promoted from 总体情况 must not beat
    "二、主动公开政府信息情况"."""
    ordinal = "一二三四五六".index(word.ordinal) + 1
    return (3 if section.number == ordinal else 0) + (2 if word.title in heading else 0)


def canonical_sections(report: Report) -> dict[str, Section]:
    """Each canonical section is the top-level heading that matches its vocabulary best."""
    found: dict[str, Section] = {}
    scored = []
    for section in report.sections:
        for word in section_vocabulary():
            heading = re.sub(r"\s+", "", section.heading)
            score = _score(heading, word)
            if score:
                scored.append((score + _bonus(section, heading, word), -section.loc.line, word.ordinal, section))
    taken: set[int] = set()
    for score, _, ordinal, section in sorted(scored, key=lambda s: (-s[0], -s[1])):
        if ordinal in found or id(section) in taken:
            continue
        found[ordinal] = section
        taken.add(id(section))
    return dict(sorted(found.items(), key=lambda item: "一二三四五六".index(item[0])))


def extract(report: Report, doc: Document, overrides: Overrides = Overrides()) -> Facts:
    lines = [p.text for p in report.paragraphs()]
    year, year_source = reporting_year(report, lines, doc.meta.get("title"))
    if overrides.year:
        year, year_source = overrides.year, "option"
    published, published_source, published_loc = publication(report, doc.meta)
    if year is None and published:
        year, year_source = published.year - 1, "publication"
    agency = agency_name(report, doc.meta.get("title"))
    kind = overrides.agency_kind or agency_kind(agency)
    regime = overrides.regime or regime_for(year)
    sections = canonical_sections(report)
    where: dict[int, str] = {}
    strays: dict[str, list[Section]] = {}
    canonical_by_id = {id(s): o for o, s in sections.items()}
    current = None
    for top in report.sections:
        ordinal = canonical_by_id.get(id(top))
        if ordinal:
            current = ordinal
        elif current:
            strays.setdefault(current, []).append(top)
        if current:
            where[id(top)] = current
            for node in top.walk():
                where[id(node)] = current
    table_layout = layout(regime) if regime and regime != "regulation-2008" else None
    keyed = key_tables(list(report.tables()), table_layout) if table_layout else Keyed({}, {}, {})
    return Facts(year, year_source, agency, kind, published, published_source, published_loc, regime,
                 sections, table_layout, keyed.cells, keyed.tables, where, strays, keyed.overflow)
