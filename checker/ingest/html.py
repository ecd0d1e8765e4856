"""HTML pages and fragments: block elements become lines, real tables become full grids.

Page chrome (scripts, styles, navigation, forms) is dropped here; what is left of a page's own
furniture in the text (当前位置, 打印本页 …) is for normalisation to recognise and record.
Tables that hold other tables are layout tables: their cells are read as ordinary content."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from checker.ingest.document import CJK, CellText, IngestError, Loc, TableBlock, TextBlock

_DROP = {"script", "style", "noscript", "template", "head", "nav", "iframe", "svg", "button",
         "select", "option", "textarea", "input", "object", "embed", "map", "canvas"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "blockquote", "pre", "center", "dl", "dt", "dd", "header", "footer", "main", "body",
          "html", "form", "hr", "address", "figure", "figcaption", "caption", "aside", "tr", "td",
          "th", "tbody", "thead", "tfoot", "fieldset", "legend", "title"}
_HEADING = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SPACE = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")
_MAX_SPAN = 200  # a hostile rowspan/colspan must not allocate millions of grid slots
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def clean(text: str) -> str:
    """Collapse HTML white space; a break between two Chinese characters is source formatting."""
    text = _SPACE.sub(" ", text.replace("\xa0", " ")).strip()
    return _CJK_GAP.sub("", text)


def _tag(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


class _Reader:
    def __init__(self):
        self.blocks: list = []
        self.meta: dict = {}
        self._parts: list[str] = []
        self._line = 1
        self._hint = 0

    def flush(self):
        text = clean("".join(self._parts))
        if text:
            self.blocks.append(TextBlock(text, Loc(self._line, 1), self._hint))
        self._parts = []
        self._hint = 0

    def add(self, text: str | None, line: int | None):
        if text:
            if not self._parts or not "".join(self._parts).strip():
                self._line = line or self._line
            self._parts.append(text)

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
        width = 0
        for r, tr in enumerate(rows):
            c = 0
            for td in tr:
                if _tag(td) not in ("td", "th"):
                    continue
                while (r, c) in grid:
                    c += 1
                rowspan = _span(td.get("rowspan"))
                colspan = _span(td.get("colspan"))
                raw = td.text_content()
                text = clean(raw)
                cell = CellText(text.replace(" ", "") if _is_cjk_text(raw) else text, Loc(td.sourceline or 1, 1), r, c)
                for dr in range(min(rowspan, len(rows) - r)):
                    for dc in range(colspan):
                        grid[(r + dr, c + dc)] = cell
                c += colspan
                width = max(width, c)
        if not grid:
            return
        out = []
        for r in range(len(rows)):
            out.append(tuple(grid.get((r, c)) or CellText("", Loc(rows[r].sourceline or 1, 1), r, c)
                             for c in range(width)))
        self.blocks.append(TableBlock(tuple(out), Loc(table.sourceline or 1, 1)))


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _is_cjk_text(text: str) -> bool:
    """Cells whose text is Chinese lose every space (Word splits labels over lines there)."""
    return bool(CJK.search(text)) and not _LATIN_WORD.search(text)


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
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False)
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise IngestError(f"HTML 无法解析：{error}") from error
    reader = _Reader()
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        reader.meta["html_title"] = clean(title.text_content())
    reader.walk(root)
    reader.flush()
    return reader.blocks, reader.meta
