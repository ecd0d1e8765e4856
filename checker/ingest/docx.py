"""Word .docx: body paragraphs and tables in document order, merged cells expanded.

The body and the style names are read from the package's XML with lxml (the table grid —
gridSpan, vMerge — is what the table facts need, and python-docx does not model it)."""

from __future__ import annotations

import io
import re
import zipfile

from checker.ingest.document import CellText, GridBudget, IngestError, Loc, TableBlock, TextBlock

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.I)
_MAX_SPAN = 200


def _para_text(p) -> str:
    parts = []
    for node in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
        if node.tag == _W + "t":
            parts.append(node.text or "")
        elif node.tag == _W + "tab":
            parts.append(" ")
    return "".join(parts)


def _style_level(p, styles: dict) -> int:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    if style is None:
        return 0
    name = styles.get(style.get(_W + "val"), style.get(_W + "val") or "")
    match = _HEADING_STYLE.search(name)
    return int(match.group(1)) if match else (1 if name.lower() == "title" else 0)


def _cell_text(tc) -> str:
    return "".join(_para_text(p) for p in tc.iter(_W + "p")).strip()


def _declared_span(tc) -> int:
    span = tc.find(f"{_W}tcPr/{_W}gridSpan")
    try:
        return max(1, min(int(span.get(_W + "val", "1")), _MAX_SPAN)) if span is not None else 1
    except ValueError:
        return 1


def _table(tbl, ordinal: int, budget: GridBudget) -> TableBlock | None:
    grid: dict[tuple[int, int], CellText] = {}
    rows = tbl.findall(_W + "tr")
    widest = max((sum(_declared_span(tc) for tc in tr.findall(_W + "tc")) for tr in rows), default=0)
    if not budget.allows(len(rows) * widest, Loc(ordinal, 1, unit="paragraph")):
        return None  # a declared grid no report has: reported (E005), not built
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for tc in tr.findall(_W + "tc"):
            props = tc.find(_W + "tcPr")
            span, merge = 1, None
            if props is not None:
                grid_span = props.find(_W + "gridSpan")
                if grid_span is not None:
                    try:
                        span = max(1, min(int(grid_span.get(_W + "val", "1")), _MAX_SPAN))
                    except ValueError:
                        span = 1
                v_merge = props.find(_W + "vMerge")
                if v_merge is not None:
                    merge = v_merge.get(_W + "val", "continue")
            above = grid.get((r - 1, c))
            if merge == "continue" and above is not None:
                cell = above
            else:
                cell = CellText(_cell_text(tc), Loc(ordinal, c + 1, unit="paragraph"), r, c)
            for dc in range(span):
                grid[(r, c + dc)] = cell
            c += span
        width = max(width, c)
    if not grid:
        return None
    out = tuple(tuple(grid.get((r, c)) or CellText("", Loc(ordinal, c + 1, unit="paragraph"), r, c)
                      for c in range(width)) for r in range(len(rows)))
    return TableBlock(out, Loc(ordinal, 1, unit="paragraph"))


MAX_UNPACKED = 100 * 1024 * 1024  # a report's XML is a few MB; more is a zip bomb
MAX_RATIO = 200  # deflate rarely packs XML better than 1:20; 1:200 and above is a bomb


def _check_package(data: bytes) -> None:
    """Refuse zip bombs before anything unpacks them: sizes come from the zip directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise IngestError(f"无法打开 Word 文件（文件已损坏或不是 .docx）：{error}") from error
    total = sum(e.file_size for e in entries)
    if total > MAX_UNPACKED or any(e.compress_size and e.file_size / e.compress_size > MAX_RATIO
                                   and e.file_size > 10 * 1024 * 1024 for e in entries):
        raise IngestError(f"Word 文件解压后过大（{total // (1024 * 1024)} MB），疑为压缩炸弹，已拒绝读取")
    if "word/document.xml" not in {e.filename for e in entries}:
        raise IngestError("Word 文件缺少正文（word/document.xml），文件已损坏或不是 .docx")


def _xml(package: zipfile.ZipFile, name: str):
    """One part of the package, parsed without entities, DTDs or network (lxml, as python-docx
    itself parses it; reading only the two parts needed is three times faster than opening the
    whole package with python-docx, which the template writer still uses)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(package.read(name), parser)


_STYLE_NAME = re.compile(r'<w:name w:val="([^"]{0,200})"')
_MAX_STYLES = 200  # distinct paragraph styles a body uses; a report has a dozen


def _styles(package: zipfile.ZipFile, body) -> dict:
    """styleId → style name (heading 1, 标题 2 …), for the styles the body uses. Word's
    styles.xml is often 300 KB of latent styles; a regular expression finds the few needed
    names in it several times faster than parsing it."""
    used = {node.get(_W + "val") for node in body.iter(_W + "pStyle")} - {None}
    if not used or "word/styles.xml" not in package.namelist():
        return {}
    raw = package.read("word/styles.xml").decode("utf-8", "replace")
    styles = {}
    for style_id in list(used)[:_MAX_STYLES]:
        # plain searches, each bounded by the style's own element: a pattern with ".*?" across
        # the file retried from every <w:style would take minutes on a crafted styles.xml
        at = raw.find(f'w:styleId="{style_id}"')
        if at < 0:
            continue
        end = raw.find("</w:style>", at)
        element = raw[at:end if end >= 0 else at + 4096]
        match = _STYLE_NAME.search(element)
        if match:
            styles[style_id] = match.group(1)
    return styles


def read_docx(data: bytes, skipped: list | None = None) -> list:
    _check_package(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            body = _xml(package, "word/document.xml").find(_W + "body")
            styles = _styles(package, body) if body is not None else {}
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise IngestError(f"无法打开 Word 文件（文件已损坏或不是 .docx）：{error}") from error
    except Exception as error:  # lxml's XMLSyntaxError and the zip module's assorted errors
        raise IngestError(f"无法打开 Word 文件：{type(error).__name__}: {error}") from error
    if body is None:
        raise IngestError("Word 文件没有正文（word/document.xml 中缺少 w:body）")
    blocks = []
    ordinal = 0
    budget = GridBudget()
    for element in body.iter(_W + "p", _W + "tbl"):
        if element.tag == _W + "p" and _inside_table(element):
            continue
        if element.tag == _W + "tbl" and _inside_table(element):
            continue
        ordinal += 1
        if element.tag == _W + "tbl":
            table = _table(element, ordinal, budget)
            if table:
                blocks.append(table)
            continue
        text = _para_text(element)
        if text.strip():
            column = len(text) - len(text.lstrip()) + 1
            blocks.append(TextBlock(text.strip(), Loc(ordinal, column, unit="paragraph"),
                                    _style_level(element, styles)))
    if skipped is not None:
        skipped.extend(budget.skipped)
    return blocks


def _inside_table(element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == _W + "tc":
            return True
        if parent.tag == _W + "body":
            return False
        parent = parent.getparent()
    return False
