"""The line a finding points at, as the report has it, with a caret under the spot — measured in
terminal cells, since a Chinese character takes two."""

from __future__ import annotations

import unicodedata

from checker.ingest.document import TableBlock

WINDOW = 36  # characters shown either side of the spot on a long line


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _index_in(block, column: int) -> int:
    """The index in a text block of the character at source `column` (shifts inverted)."""
    index = column - block.loc.column
    for at, removed in block.shifts:
        if at + block.loc.column + removed > column:
            break
        index = column - block.loc.column - removed
    return max(index, 0)


class _Index:
    """Where the blocks of one document are, by line (and page): built once, so that looking up
    thousands of findings does not scan every block for each."""

    def __init__(self, source):
        self.tables = [b for b in source.blocks if isinstance(b, TableBlock)]
        self.text: dict[tuple, list] = {}
        for block in source.blocks:
            if not isinstance(block, TableBlock):
                self.text.setdefault((block.loc.line, block.loc.page), []).append(block)


_INDEXES: dict[int, tuple] = {}


def _index(source) -> _Index:
    entry = _INDEXES.get(id(source))
    if entry is None or entry[0] is not source:
        if len(_INDEXES) > 16:
            _INDEXES.clear()
        entry = _INDEXES[id(source)] = (source, _Index(source))
    return entry[1]


def cell_row(source, loc) -> tuple[list[str], int] | None:
    """The texts of the row holding the cell at `loc` (a merged cell once) and which is that cell.
    Every cell's Loc names its table, row and column (ingest numbers them), so this is the one
    way from a finding to its row."""
    if source is None or loc is None or not loc.cell:
        return None
    tables = _index(source).tables
    if not 0 < loc.cell[0] <= len(tables):
        return None
    for row in tables[loc.cell[0] - 1].rows:
        cells = list(dict.fromkeys(row))
        for hit, cell in enumerate(cells):
            if cell.loc.cell == loc.cell:
                return [c.text for c in cells], hit
    return None


class Kept:
    """What the excerpts of one document's findings need of it, kept when the document itself is
    let go (a batch holds or ships thousands): the text at each place a finding points at, the
    OCR'd pages and the waiver directives, and — when there are directives — each block's lines."""

    __slots__ = ("lines", "meta", "spans")

    def __init__(self, source, locs, spans: list | None = None):
        self.lines = {loc: source_line(source, loc) for loc in dict.fromkeys(locs) if loc is not None}
        self.meta = {k: source.meta[k] for k in ("ocr_pages", "directives") if source.meta.get(k)}
        self.spans = spans


def source_line(source, loc) -> tuple[str, int | None] | None:
    """The text at `loc`, as the reader sees it (never markup), and the index of the spot in it
    (None when only the block is known). A table cell gives its row."""
    if source is None or loc is None:
        return None
    if isinstance(source, Kept):
        return source.lines.get(loc)
    row = cell_row(source, loc)
    if row is not None:
        texts, hit = row
        return " | ".join(texts), sum(len(t) + 3 for t in texts[:hit])  # the row, at its cell
    lines = source.meta.get("lines")
    if lines and source.format in ("txt", "md") and loc.unit == "line" and 0 < loc.line <= len(lines):
        return lines[loc.line - 1], max(loc.column - 1, 0)
    best = None
    for block in _index(source).text.get((loc.line, loc.page), ()):
        if loc.unit != "line" or block.loc.column <= loc.column:
            if best is None or block.loc.column > best.loc.column:
                best = block
    if best is None:
        return None
    if loc.unit == "paragraph":
        return best.text, max(loc.column - best.loc.column, 0)
    if loc.unit == "page":
        return best.text, max(loc.column - 1, 0)
    return best.text, _index_in(best, loc.column)


def from_ocr(source, loc) -> bool:
    """Whether the text at `loc` was read by OCR from a scanned page (it may hold misreadings)."""
    return bool(
        source is not None and loc is not None and loc.page and loc.page in (source.meta.get("ocr_pages") or ())
    )


JSON_BEFORE, JSON_AFTER = 80, 160  # characters of a long line kept around the spot in JSON


def window(source, loc) -> str | None:
    """The visible text at `loc` for machine output: the whole line or row, or on a long line
    (a one-line web page) the stretch around the spot."""
    found = source_line(source, loc)
    if not found:
        return None
    text, index = found
    if index is None or len(text) <= JSON_BEFORE + JSON_AFTER:
        return text
    return text[max(index - JSON_BEFORE, 0) : index + JSON_AFTER]


def render(source, loc) -> list[str]:
    """Two lines: the excerpt and the caret; one if the spot is not known; none if nothing is."""
    found = source_line(source, loc)
    if not found:
        return []
    text, index = found
    text = text.replace("\t", " ")
    if index is None or index > len(text):
        return [_clip(text.strip())]
    start = max(index - WINDOW, 0)
    end = min(index + WINDOW, len(text))
    shown = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    caret_at = cells(("…" if start else "") + text[start:index])
    return [shown, " " * caret_at + "^"]


def _clip(text: str) -> str:
    return text if len(text) <= 2 * WINDOW else text[: 2 * WINDOW] + "…"
