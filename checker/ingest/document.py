"""The one model every input format is turned into: ordered blocks plus a map back to the source."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Union

CJK = re.compile("[\u4e00-\u9fff]")  # a Chinese character (the ingest stages test for them)


@lru_cache(maxsize=16384)  # the same labels and headings recur in every table and every report
def compact(text: str) -> str:
    """The text without whitespace, as labels and headings are compared ("本年 新收" = "本年新收").
    str.split() breaks at what \\s matches (both ask Py_UNICODE_ISSPACE; a test holds them
    equal), in a third of the time of a regular expression's sub. (The memo still pays: a hit
    costs fewer instructions than the split and the join.)"""
    return "".join(text.split())


# The values of the pipeline (Loc, blocks, cells, tokens, AST nodes) are never changed after they
# are made (dataclasses.replace makes a new one), but are not declared frozen: a frozen dataclass
# sets each field through object.__setattr__, which made building them a fifth of a report's time.
@dataclass(slots=True, unsafe_hash=True)
class Loc:
    """A place in the original file. `unit` says what `line` counts: text lines (txt, md, html),
    body paragraphs (docx) or pages (pdf, where `line` is the line on that page)."""

    line: int
    column: int = 1
    page: int | None = None
    unit: str = "line"
    cell: tuple[int, int, int] | None = None  # a table cell: (table number, row, column), from 1
    bbox: tuple[float, float, float, float] | None = None  # pdf: x0, top, x1, bottom in points


def shifted_column(start: int, index: int, shifts: tuple[tuple[int, int], ...]) -> int:
    """The original column of character `index` of a normalised text that began at `start`."""
    removed = 0
    for at, count in shifts:
        if at > index:
            break
        removed = count
    return start + index + removed


@dataclass(slots=True, unsafe_hash=True)
class TextBlock:
    """One line of text. `hint` is a heading level the source itself declared (markdown #, html
    h1-h6, a docx Heading style), 0 when none; `shifts` maps columns back after normalisation
    removed characters: pairs (index in this text, characters removed before it)."""

    text: str
    loc: Loc
    hint: int = 0
    shifts: tuple[tuple[int, int], ...] = ()

    def column_of(self, index: int) -> int:
        return shifted_column(self.loc.column, index, self.shifts)


@dataclass(slots=True, unsafe_hash=True)
class CellText:
    """One table cell. Spanned cells appear once per grid slot, as the same object, so a
    consumer can tell a merged cell from two equal cells."""

    text: str
    loc: Loc
    row: int
    col: int


_new = object.__new__


def new_cell(text: str, line: int, column: int, unit: str, place: tuple[int, int, int], row: int, col: int) -> CellText:
    """CellText(text, Loc(line, column, None, unit, place), row, col), made field by field: a
    dataclass's __init__ is a call from C into Python, and two of them per cell were a tenth of
    reading a table of a few hundred cells (tests hold the cells equal to the constructors')."""
    loc = _new(Loc)
    loc.line = line
    loc.column = column
    loc.page = None
    loc.unit = unit
    loc.cell = place
    loc.bbox = None
    cell = _new(CellText)
    cell.text = text
    cell.loc = loc
    cell.row = row
    cell.col = col
    return cell


@dataclass(slots=True, unsafe_hash=True)
class TableBlock:
    rows: tuple[tuple[CellText, ...], ...]
    loc: Loc
    merged: bool = True  # False when the reader knows no cell spans several slots (a pipe table)


Block = Union[TextBlock, TableBlock]


@dataclass(slots=True, unsafe_hash=True)
class Change:
    """Something normalisation converted, removed or noticed, reported against the original."""

    kind: str  # t2s | pinyin | debris | residue | meta | offpage
    loc: Loc
    original: str
    replacement: str = ""


@dataclass(frozen=True)
class Document:
    path: str
    format: str  # txt | md | html | docx | pdf
    blocks: tuple[Block, ...]
    encoding: str | None = None
    meta: dict = field(default_factory=dict)
    changes: tuple[Change, ...] = ()


# A report's tables have a few hundred cells. A grid whose declared spans expand past these is
# not read (it is reported, E005): building it would take the memory and time of millions.
MAX_TABLE_CELLS = 20_000
MAX_DOCUMENT_CELLS = 200_000


class GridBudget:
    """Counts the cells the tables of one document expand to; says when a table must be skipped."""

    def __init__(self):
        self.used = 0
        self.skipped: list[tuple[Loc, int]] = []  # where, and how many cells it would have had

    def allows(self, cells: int, loc: Loc) -> bool:
        if cells > MAX_TABLE_CELLS or self.used + cells > MAX_DOCUMENT_CELLS:
            self.skipped.append((loc, cells))
            return False
        self.used += cells
        return True


class Refused(Exception):
    """A path that is no regular file of bounded size: `kind` is directory, special (a FIFO, a
    device, a socket) or too-large; `size` the size the file declared."""

    def __init__(self, kind: str, size: int = 0):
        super().__init__(kind)
        self.kind, self.size = kind, size


def read_regular(path, limit: int) -> bytes:
    """A file's bytes, read-only, only if it is a regular file of at most `limit` bytes (checked
    by size first, then by a capped read: a file that grows while read stops at the cap). Every
    file the tool reads goes through here: a FIFO would block for ever, /dev/zero never ends.
    Raises Refused, or OSError when the file cannot be read at all."""
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise Refused("directory")
    if not stat.S_ISREG(info.st_mode):
        raise Refused("special")
    if info.st_size > limit:
        raise Refused("too-large", info.st_size)
    with open(path, "rb") as handle:  # read-only: the user's file is never touched
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Refused("too-large", len(data))
    return data


class IngestError(Exception):
    """The input cannot be read as a report; becomes finding E001 (or E003 for a scanned PDF)."""

    def __init__(self, message: str, kind: str = "unreadable"):
        super().__init__(message)
        self.kind = kind  # unreadable | scanned | limit: the rule of check type "input" with that kind reports it
