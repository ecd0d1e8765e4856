"""HTML pages and fragments: block elements become lines, real tables become full grids.

Page chrome (scripts, styles, navigation, forms) is dropped here; what is left of a page's own
furniture in the text (当前位置, 打印本页 …) is for normalisation to recognise and record.
Tables that hold other tables are layout tables: their cells are read as ordinary content."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import lxml.etree

from checker.ingest.document import CJK, CellText, GridBudget, IngestError, Loc, TableBlock, TextBlock, new_cell

_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "nav",
    "iframe",
    "svg",
    "button",
    "select",
    "option",
    "textarea",
    "input",
    "object",
    "embed",
    "map",
    "canvas",
}
_BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "pre",
    "center",
    "dl",
    "dt",
    "dd",
    "header",
    "footer",
    "main",
    "body",
    "html",
    "form",
    "hr",
    "address",
    "figure",
    "figcaption",
    "caption",
    "aside",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
    "fieldset",
    "legend",
    "title",
}
_HEADING = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")
_MAX_SPAN = 200  # a hostile rowspan/colspan must not allocate millions of grid slots
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def clean(text: str) -> str:
    """Collapse HTML white space; a break between two Chinese characters is source formatting."""
    text = " ".join(text.split())  # (what \s matches, no-break space included: see compact)
    return _CJK_GAP.sub("", text)


_WINDOW = 1 << 20  # how far past the cursor a piece of text is looked for (markup between texts)
_CELL_TAG = re.compile(r"<t[dh]\b", re.I)
_WIDE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


_RUN = re.compile(r"\S+")


def _clean_mapped(parts: list[tuple[str, int | None]]) -> tuple[str, list]:
    """clean() over the joined parts, and for each run of non-space characters kept, where it
    starts in the output and in the source: (output index, source offset or None)."""
    out: list[str] = []
    runs: list[tuple[int, int | None]] = []
    length = 0
    gap = False
    for text, start in parts:
        for match in _RUN.finditer(text):
            run = match.group(0)
            if out and (gap or match.start() > 0) and not (_WIDE.match(out[-1][-1]) and _WIDE.match(run[0])):
                out.append(" ")
                length += 1
            gap = False
            runs.append((length, None if start is None else start + match.start()))
            out.append(run)
            length += len(run)
        if text and text[-1].isspace():
            gap = True
    return "".join(out), runs


def _tag(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


_PLAIN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{1,8}")  # characters markup never encodes as entities


@lru_cache(maxsize=4096)
def _needle(text: str) -> tuple[str, int]:
    """What of `text` is looked for in the source (characters markup never encodes) and where
    it starts in the text; ("", 0) when there is none."""
    match = _PLAIN.search(text)
    return (match.group(0), match.start()) if match else ("", 0)


class _Reader:
    """Walks the tree in document order. Each piece of text is found again in the source (from
    a cursor that only moves forward), so a block knows the line and column of its first
    character and, through `shifts`, of the rest of that line: a one-line page has columns."""

    def __init__(self, source: str):
        self.blocks: list = []
        self.meta: dict = {}
        self._parts: list[tuple[str, int | None]] = []  # text, its offset in the source (None: not found)
        self._hint = 0
        self._source = source
        self.budget = GridBudget()
        self._starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self._cursor = 0
        self._tables = 0  # TableBlocks made so far

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def locate(self, text: str, line: int | None) -> int | None:
        """The source offset of `text`'s first character, searched from the cursor on."""
        needle, at = _needle(text)
        if not needle:
            return None
        floor = self._starts[line - 1] if line and 0 < line <= len(self._starts) else 0
        begin = self._cursor if self._cursor > floor else floor  # (called for every cell: no max())
        found = self._source.find(needle, begin, begin + _WINDOW)
        if found < 0:
            return None
        self._cursor = found + len(needle)
        start = found - at
        return start if start >= 0 else None

    def flush(self):
        text, runs = _clean_mapped(self._parts)
        if text:
            first = next((o - i for i, o in runs if o is not None), None)
            if first is None:
                self.blocks.append(TextBlock(text, Loc(self._line_hint, 1), self._hint))
            else:
                line, column = self.position(first)
                self.blocks.append(TextBlock(text, Loc(line, column), self._hint, self._shifts(runs, line, column)))
        self._parts = []
        self._hint = 0

    def _shifts(self, runs: list, line: int, column: int) -> tuple:
        """Source columns of the block's characters on its first line, as TextBlock.shifts."""
        shifts = []
        removed = 0
        line_start = self._starts[line - 1]
        line_end = self._starts[line] if line < len(self._starts) else len(self._source)
        for index, offset in runs:
            if offset is None or offset >= line_end:
                break
            extra = (offset - line_start + 1) - column - index
            if extra > removed:
                removed = extra
                shifts.append((index, removed))
        return tuple(shifts)

    def add(self, text: str | None, line: int | None):
        if text:
            if not self._parts:
                self._line_hint = line or 1
            offset = self.locate(text, line) if text.strip() else None
            self._parts.append((text, offset))

    def cell_place(self, td, text: str) -> tuple[int, int]:
        """(line, column) of a cell: at its text in the source, or at its tag when it has none."""
        offset = self.locate(text, td.sourceline) if text else None
        if offset is None:
            line = td.sourceline or 1
            floor = self._starts[line - 1] if line <= len(self._starts) else 0
            tag = _CELL_TAG.search(self._source, max(self._cursor, floor))
            if tag is None:
                return line, 1
            self._cursor = tag.end()
            offset = tag.start()
        return self.position(offset)

    def walk(self, element, depth: int = 0):
        tag = _tag(element)
        if not tag:  # comments and processing instructions: only their tail counts
            self.add(element.tail, element.sourceline)
            return
        if tag == "meta":
            self._meta(element)
        if tag in _DROP or depth > 200:
            self.add(element.tail, element.sourceline)
            return
        if tag == "table" and element.find(".//table") is None:
            self.flush()
            self._table(element)
            self.add(element.tail, element.sourceline)
            return
        block = tag in _BLOCK or tag == "table"
        if block or tag == "br":
            self.flush()
        if tag in _HEADING:
            self._hint = _HEADING[tag]
        self.add(element.text, element.sourceline)
        for child in element:
            self.walk(child, depth + 1)
        if block:
            self.flush()
        self.add(element.tail, element.sourceline)

    def _meta(self, element):
        name = (element.get("name") or element.get("property") or "").lower()
        if name in {"pubdate", "publishdate", "firstpublishedtime", "article:published_time"}:
            self.meta.setdefault("published_raw", element.get("content", ""))

    def _table(self, table):
        grid: dict[tuple[int, int], CellText] = {}
        rows = [tr for tr in table.iter("tr")]
        # each cell with its spans, read once: the declared grid is checked before any text is read
        cells = [
            [
                (
                    td,
                    1 if (down := td.get("rowspan")) is None else _span(down),
                    1 if (across := td.get("colspan")) is None else _span(across),
                )
                for td in tr
                if td.tag in _CELL_TAGS or _tag(td) in _CELL_TAGS
            ]
            for tr in rows
        ]
        widest = max((sum(colspan for _, _, colspan in tr) for tr in cells), default=0)
        tallest = max((rowspan for tr in cells for _, rowspan, _ in tr), default=1)
        if not self.budget.allows(len(rows) * (widest + tallest), Loc(table.sourceline or 1, 1)):
            return  # declared spans that expand to a grid no report has: reported, not built
        width = 0
        # each cell is given its place as it is made, (table, row, column) from 1, as
        # _number_cells would give it (a merged cell: its top-left slot)
        number = self._tables + 1
        for r, tr in enumerate(cells):
            c = 0
            for td, rowspan, colspan in tr:
                while (r, c) in grid:
                    c += 1
                # a cell with no child elements holds its text itself: read it without XPath
                text, shown = _cell_forms((td.text or "") if len(td) == 0 else _text_content(td))
                line, column = self.cell_place(td, text)
                cell = new_cell(shown, line, column, "line", (number, r + 1, c + 1), r, c)
                if rowspan == colspan == 1:  # most cells: one slot
                    grid[(r, c)] = cell
                else:
                    for dr in range(min(rowspan, len(rows) - r)):
                        for dc in range(colspan):
                            grid[(r + dr, c + dc)] = cell
                c += colspan
                if c > width:
                    width = c
        if not grid:
            return
        out = []
        for r in range(len(rows)):
            out.append(
                tuple(
                    grid.get((r, c))
                    or CellText("", Loc(rows[r].sourceline or 1, 1, None, "line", (number, r + 1, c + 1)), r, c)
                    for c in range(width)
                )
            )
        self.blocks.append(TableBlock(tuple(out), Loc(table.sourceline or 1, 1)))
        self._tables += 1


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=4096)  # a table's cells repeat ("0", "1", the same labels in every report)
def _cell_forms(raw: str) -> tuple[str, str]:
    """A cell's text as located in the source (white space collapsed) and as read (Chinese text
    loses its spaces)."""
    text = clean(raw)
    return text, text.replace(" ", "") if _is_cjk_text(raw) else text


def _is_cjk_text(text: str) -> bool:
    """Cells whose text is Chinese lose every space (Word splits labels over lines there)."""
    return bool(CJK.search(text)) and not _LATIN_WORD.search(text)


_CELL_TAGS = ("td", "th")
_text_content = lxml.etree.XPath(
    "string()", smart_strings=False
)  # all the text under an element, as text_content() gives


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(str(value).strip()), _MAX_SPAN))
    except (TypeError, ValueError):
        return 1


def read_html(text: str) -> tuple[list, dict]:
    if not text.strip():
        return [], {}
    try:
        # lxml's plain HTML parser: lxml.html's element classes are looked up in Python for every
        # element touched, a third of reading a page, and nothing here uses their methods
        parser = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False)
        root = lxml.etree.fromstring(text, parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as error:
        raise IngestError(f"HTML 无法解析：{error}") from error
    if root is None:
        raise IngestError("HTML 无法解析：Document is empty")
    reader = _Reader(text)
    title = root.find(".//title")
    if title is not None and _text_content(title).strip():
        reader.meta["html_title"] = clean(_text_content(title))
    reader.walk(root)
    reader.flush()
    if reader.budget.skipped:
        reader.meta["skipped_tables"] = reader.budget.skipped
    return reader.blocks, reader.meta
