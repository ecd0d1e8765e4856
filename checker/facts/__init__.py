"""Stage 4: facts interpreted from the AST — year, agency, regime, canonical sections, keyed
table cells — the vocabulary every rule is written in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from checker.facts.layouts import Layout, layout
from checker.vocab import SectionWord, section_vocabulary
from checker.facts.report_meta import (
    KINDS,
    LEVELS,
    REGIMES,
    agency_level,
    agency_name,
    kind_evidence,
    publication,
    regime_for,
    reporting_year,
)
from checker.facts.flattened import Recovered, recover
from checker.facts.prose import Figure, prose_figures
from checker.facts.tables import CellFact, Keyed, joined_text, key_tables, table_names, value_of
from checker.ingest.document import Document, compact
from checker.parse.ast import Report, Section, Table

__all__ = ["Facts", "CellFact", "extract", "REGIMES", "KINDS", "LEVELS", "value_of", "Overrides"]


@dataclass(frozen=True)
class Overrides:
    year: int | None = None
    regime: str | None = None
    agency_kind: str | None = None
    layouts: tuple[str, ...] = ()  # a rule pack's own table layouts (tables/*.yaml): local variants


REGULATION_YEAR = 2008  # the 条例 took effect on 2008-05-01: its first annual reports are on 2008


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
    figures: list[Figure] = field(default_factory=list)  # counts stated in the prose
    flattened: dict[str, Recovered] = field(default_factory=dict)  # tables read back from flattened text
    short: dict[str, tuple[str, int]] = field(default_factory=dict)  # rows that lost cells: not readable
    agency_level: str = "unknown"  # central | province | prefecture | county | township | zone | department
    agency_kind_evidence: str = ""  # what decided the kind: the name's ending, or the override

    @property
    def out_of_scope(self) -> str | None:
        """Why the format does not govern this report — `organisation` (a 公共企事业单位,
        第五十五条) or `before-2008` (a year before the 条例 took effect) — or None. The runner, the
        scope rules and the deadlines all ask this one place."""
        if self.agency_kind == "organisation":
            return "organisation"
        if self.year is not None and self.year < REGULATION_YEAR:
            return "before-2008"
        return None

    # Facts are complete when extract() returns them; what rules derive from the cells again
    # and again is computed once per report.
    @cached_property
    def keyed_tables(self) -> frozenset[str]:
        """The layout tables the report gives at least one cell of."""
        return table_names(self.cells)

    @cached_property
    def _table_texts(self) -> dict[str, str]:
        return {name: "".join(map(joined_text, tables)).replace(" ", "") for name, tables in self.tables.items()}

    def table_text(self, name: str) -> str:
        """All the text of the report's tables that are this layout table, without spaces."""
        return self._table_texts.get(name, "")

    def section_of(self, node) -> str | None:
        return self.where.get(id(node))

    def cell(self, key: str) -> CellFact | None:
        return self.cells.get(key)

    def _terms(self, key: str) -> list[str]:
        """A key with * is every row under a group; a group given as one row stands for its items."""
        if "*" not in key:
            return [key]
        table, rest = key.split(".", 1)
        group, column = rest.split(".*.")
        spec = self.layout.tables.get(table) if self.layout else None
        leaves = [f"{table}.{r}.{column}" for r in (spec.leaves_under(group) if spec else [])]
        if not any(k in self.cells for k in leaves) and f"{table}.{group}.{column}" in self.cells:
            return [f"{table}.{group}.{column}"]
        return leaves

    def table_value(self, keys: list[str]) -> tuple[int | float | None, int | float]:
        """The sum of the cells named, and a lower bound for it. The sum is None unless every
        term is a number; counts are never negative, so the numbers a report did fill in bound
        the sum from below (a blank 总计 is at least the sum of its row's filled cells)."""
        exact: int | float | None = 0
        low: int | float = 0
        for key in keys:
            for term in self._terms(key):
                cell = self.cells.get(term)
                if cell is not None and cell.kind in ("number", "zero"):
                    exact = None if exact is None else exact + cell.value
                    low += max(cell.value, 0)
                    continue
                exact = None
                table, _, column = term.rpartition(".")
                if column == "total" and self.layout:  # the row's own cells bound its total
                    row = table.split(".", 1)[1] if "." in table else ""
                    spec = self.layout.tables.get(table.split(".", 1)[0])
                    siblings = [f"{table}.{c.key}" for c in (spec.columns if spec else ()) if c.key != "total"]
                    low += (
                        sum(
                            max(self.cells[k].value, 0)
                            for k in siblings
                            if k in self.cells and self.cells[k].kind in ("number", "zero")
                        )
                        if row
                        else 0
                    )
        return exact, low


def _score(heading: str, word: SectionWord) -> int:
    return sum(len(k) for k in word.keywords if k in heading)


@lru_cache(maxsize=4096)  # the official headings recur in every report
def _scores(heading: str) -> tuple[tuple[int, SectionWord], ...]:
    """Each section's word with the (nonzero) score of a compacted heading against it."""
    return tuple((score, word) for word in section_vocabulary() for score in [_score(heading, word)] if score)


def _bonus(section: Section, heading: str, word: SectionWord) -> int:
    """Between headings that share the keywords, prefer the one numbered as the section and
    worded as its official title: "一、主动公开" promoted from 总体情况 must not beat
    "二、主动公开政府信息情况"."""
    ordinal = "一二三四五六".index(word.ordinal) + 1
    return (3 if section.number == ordinal else 0) + (2 if word.title in heading else 0)


FRAGMENT_HEADING = 6  # characters: a table header cut apart leaves short pieces, headings say more


def _table_fragment(section: Section) -> bool:
    """A "heading" that is a piece of a table's header cut out by extraction ("三、本法提供" from
    the merged cells 三、本年度办理结果 and 无法提供): short, none of a section's words, and
    table rows under it. It is part of the table around it, not a heading."""
    heading = compact(section.heading)
    if len(heading) > FRAGMENT_HEADING or any(_score(heading, word) for word in section_vocabulary()):
        return False
    return any(isinstance(node, Table) for node in section.walk())


def canonical_sections(report: Report) -> dict[str, Section]:
    """Each canonical section is the top-level heading that matches its vocabulary best."""
    found: dict[str, Section] = {}
    scored = []
    for section in report.sections:
        heading = compact(section.heading)
        for score, word in _scores(heading):
            scored.append((score + _bonus(section, heading, word), -section.loc.line, word.ordinal, section))
    taken: set[int] = set()
    for _, _, ordinal, section in sorted(scored, key=lambda s: (-s[0], -s[1])):
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
    kind, evidence = kind_evidence(agency)
    if overrides.agency_kind:
        kind, evidence = overrides.agency_kind, "按指定（--agency-kind）"
    level = agency_level(agency) if not overrides.agency_kind else "unknown"
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
        elif current and not _table_fragment(top):
            strays.setdefault(current, []).append(top)
        if current:
            where[id(top)] = current
            for node in top.walk():
                where[id(node)] = current
    table_layout = layout(regime, overrides.layouts) if regime and regime != "regulation-2008" else None
    keyed = key_tables(list(report.tables()), table_layout) if table_layout else Keyed({}, {}, {})
    flattened: dict[str, Recovered] = {}
    keyed_names = table_names(keyed.cells)
    for name, spec in table_layout.tables.items() if table_layout else ():
        if spec.section in sections and name not in keyed_names:
            paragraphs = [p for p in report.paragraphs() if where.get(id(p)) == spec.section]
            cells, note = recover(spec, paragraphs)
            if cells:
                keyed.cells.update(cells)
                flattened[name] = note
    return Facts(
        year,
        year_source,
        agency,
        kind,
        published,
        published_source,
        published_loc,
        regime,
        sections,
        table_layout,
        keyed.cells,
        keyed.tables,
        where,
        strays,
        keyed.overflow,
        prose_figures(report, where, year),
        flattened,
        keyed.short,
        level,
        evidence,
    )
