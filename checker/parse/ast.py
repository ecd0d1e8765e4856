"""The report's structure as plain frozen dataclasses, built by the grammar's transformer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Union

from checker.ingest.document import CellText, Loc


@dataclass(slots=True, unsafe_hash=True)  # immutable by convention: see Loc
class Paragraph:
    text: str
    loc: Loc
    marker: str | None = None  # 一是 / 二是 … when the paragraph opens a list item
    shifts: tuple[tuple[int, int], ...] = ()


# A table cell of the AST is the ingest's cell itself (text, loc, row, col): copying each of the
# hundreds of cells of a report into an identical class cost a tenth of the parse.
Cell = CellText


@dataclass(slots=True, unsafe_hash=True)  # immutable by convention: see Loc
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    loc: Loc
    merged: bool = True  # False: no cell spans several slots (see TableBlock)

    def distinct_rows(self):
        """Each row with merged cells (the same object in several grid slots) kept once."""
        return self._distinct_rows() if self.merged else iter(self.rows)

    def _distinct_rows(self):
        for row in self.rows:
            if len(set(map(id, row))) == len(row):
                yield row  # the usual row: no merged cell
                continue
            seen: set[int] = set()
            out = []
            for cell in row:
                if id(cell) not in seen:
                    seen.add(id(cell))
                    out.append(cell)
            yield tuple(out)


Node = Union[Paragraph, Table, "Section"]


@dataclass(slots=True, unsafe_hash=True)  # immutable by convention: see Loc
class Section:
    level: int  # 1: 一、  2: （一）  3: 1. / （1）
    ordinal: str  # as written: 一、 / （一） / 1.
    number: int  # the ordinal's value, 1 for 一
    heading: str  # the heading text without ordinal or inline body
    loc: Loc
    children: tuple[Node, ...] = ()

    def walk(self):
        for child in self.children:
            yield child
            if isinstance(child, Section):
                yield from child.walk()

    @property
    def has_content(self) -> bool:
        return any(not isinstance(c, Section) or c.has_content or c.heading for c in self.children)


@dataclass(slots=True, unsafe_hash=True)  # immutable by convention: see Loc
class Title:
    text: str
    lines: tuple[str, ...]
    loc: Loc


@dataclass(slots=True, unsafe_hash=True)  # immutable by convention: see Loc
class Dateline:
    text: str
    loc: Loc
    signature: str | None = None
    signature_loc: Loc | None = None


@dataclass(frozen=True)
class Report:
    title: Title | None
    lead: tuple[Node, ...]
    sections: tuple[Section, ...]
    closing: Dateline | None = None
    addressee: str | None = None
    dates: tuple[Dateline, ...] = ()  # datelines in the lead (issuer and date under the title)
    fallback: bool = False  # True when the grammar could not place the structure (E002)
    error: str | None = None

    @cached_property
    def _nodes(self) -> tuple[Node, ...]:
        nodes: list[Node] = list(self.lead)
        for section in self.sections:
            nodes.append(section)
            nodes.extend(section.walk())
        return tuple(nodes)

    def walk(self):
        """Every node in document order (the facts and the checks walk it several times: listed
        once)."""
        return iter(self._nodes)

    def paragraphs(self):
        return (n for n in self._nodes if isinstance(n, Paragraph))

    def tables(self):
        return (n for n in self._nodes if isinstance(n, Table))

    def all_sections(self):
        return (n for n in self._nodes if isinstance(n, Section))
