"""Everything a check may read about one document: the normalised Document, the AST, the facts."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from checker.facts import Facts
from checker.ingest.document import Document, Loc, shifted_column
from checker.parse.ast import Paragraph, Report
from checker.patterns import joinable


@dataclass(slots=True, unsafe_hash=True)  # immutable by convention: see Loc
class TextUnit:
    """A piece of running text a pattern check can search, with its place."""

    text: str
    loc: Loc
    section: str | None
    shifts: tuple[tuple[int, int], ...] = ()

    def loc_at(self, index: int) -> Loc:
        return Loc(self.loc.line, shifted_column(self.loc.column, index, self.shifts), self.loc.page, self.loc.unit)


@dataclass
class Context:
    doc: Document
    report: Report
    facts: Facts
    options: dict = field(default_factory=dict)
    unassessed: list = field(default_factory=list)  # relations with unknown terms
    memo: dict = field(default_factory=dict)  # what several rules' checks work out once per document
    _units: list | None = None

    def texts(self) -> list[TextUnit]:
        """Title, headings and paragraphs in document order (computed once per document)."""
        if self._units is None:
            units = []
            report, facts = self.report, self.facts
            if report.title:
                units.append(TextUnit(report.title.text, report.title.loc, None))
            for node in report.walk():
                section = facts.section_of(node)
                if isinstance(node, Paragraph):
                    units.append(TextUnit(node.text, node.loc, section, node.shifts))
                elif hasattr(node, "heading"):
                    units.append(TextUnit(node.ordinal + node.heading, node.loc, section))
            for dateline in (*report.dates, report.closing):
                if dateline:
                    units.append(TextUnit(dateline.text, dateline.loc, None))
            self._units = units
        return self._units

    def searched(self, pattern: re.Pattern) -> list[TextUnit]:
        """The units a search for the pattern must look at: none when one search of all their
        text, joined by line breaks, finds no match and the pattern lets that say no unit has
        one (patterns.joinable); else all of them. Most patterns a check looks for stand in no
        paragraph of a report, and a search of each paragraph costs more than the scan."""
        units = self.texts()
        if not joinable(pattern):
            return units
        return units if pattern.search(self.joined()) else []

    def joined(self) -> str:
        """The text of every unit, joined by line breaks (made once per document)."""
        joined = self.memo.get("joined-text")
        if joined is None:
            joined = self.memo["joined-text"] = "\n".join([unit.text for unit in self.texts()])
        return joined

    def unit_at(self, offset: int) -> int:
        """The index of the unit whose text holds the joined text's character at `offset` (a
        line break between two units counts to the one before it)."""
        starts = self.memo.get("unit-starts")
        if starts is None:
            starts, at = [], 0
            for unit in self.texts():
                starts.append(at)
                at += len(unit.text) + 1
            self.memo["unit-starts"] = starts
        return max(bisect_right(starts, offset) - 1, 0)

    def first_loc(self) -> Loc | None:
        if self.report.title:
            return self.report.title.loc
        units = self.texts()
        return units[0].loc if units else None
