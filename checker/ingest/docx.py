"""Word .docx: body paragraphs and tables in document order, merged cells expanded.

The body and the style names are read from the package's XML with lxml (the table grid —
gridSpan, vMerge — is what the table facts need, and python-docx does not model it)."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile

from checker.ingest.document import CellText, Change, GridBudget, IngestError, Loc, TableBlock, TextBlock, new_cell
from checker.ingest.docx_numbering import Numbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.I)
_MAX_SPAN = 200


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# not read as the paragraph's own text: a text box's paragraphs are read as paragraphs of their
# own, the fallback copy of a drawing (mc:Fallback) not at all; deleted and moved-away text is
# not in the document as Word shows it with the changes accepted
_SKIP = {
    _W + "txbxContent",
    _MC + "Fallback",
    _W + "del",
    _W + "moveFrom",
    _W + "delText",
    _W + "pPr",
    _W + "rPr",
}  # (a paragraph's properties hold its tab stops, not tabs)
# fields whose result is not report text: page numbers, a table of contents, cross-references
_HIDDEN_FIELD = re.compile(r"^\s*(PAGE|NUMPAGES|SECTIONPAGES|TOC|PAGEREF)\b", re.I)


class _Fields:
    """Word's complex fields run across runs and paragraphs (a table of contents spans many):
    the open ones, and whether the text now read is the result of one that is not text."""

    def __init__(self, plain: bool = False):
        self.stack: list[list] = []  # [instruction, hidden]
        self.plain = plain  # the document has no fields, text boxes, deletions: nothing to track

    def hidden(self) -> bool:
        return any(field[1] for field in self.stack)

    def char(self, node) -> None:
        kind = node.get(_W + "fldCharType")
        if kind == "begin":
            self.stack.append(["", False])
        elif kind == "separate" and self.stack:
            self.stack[-1][1] = bool(_HIDDEN_FIELD.match(self.stack[-1][0]))
        elif kind == "end" and self.stack:
            self.stack.pop()

    def instruction(self, text: str) -> None:
        if self.stack:
            self.stack[-1][0] += text


_SPECIAL = (
    _W + "fldChar",
    _W + "instrText",
    _W + "fldSimple",
    _W + "txbxContent",
    _W + "del",
    _W + "moveFrom",
    _MC + "Fallback",
)


_T, _TAB, _R = _W + "t", _W + "tab", _W + "r"


def _para_text(p, fields: _Fields | None = None) -> str:
    fields = fields or _Fields()
    if fields.plain:
        # a document without fields, text boxes or tracked deletions (most reports): its runs
        # read in one pass of lxml's own (a tab stop in a paragraph's properties is not a tab)
        parts = []
        for node in p.iter(_T, _TAB):
            if node.tag == _T:
                parts.append(node.text or "")
            elif node.getparent().tag == _R:
                parts.append(" ")
        return "".join(parts)
    parts = []
    _walk(p, fields, parts)
    return "".join(parts)


def _walk(node, fields: _Fields, parts: list[str]) -> None:
    for child in node:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == _W + "t":
            if not fields.hidden():
                parts.append(child.text or "")
        elif tag == _W + "tab":
            if not fields.hidden():
                parts.append(" ")
        elif tag == _W + "fldChar":
            fields.char(child)
        elif tag == _W + "instrText":
            fields.instruction(child.text or "")
        elif tag == _W + "fldSimple":
            if not _HIDDEN_FIELD.match(child.get(_W + "instr", "")):
                _walk(child, fields, parts)
        elif tag == _W + "p":
            continue  # a paragraph nested in this one (a text box's): read on its own
        else:
            _walk(child, fields, parts)


def _style_level(p, styles: dict) -> int:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    if style is None:
        return 0
    name = styles.get(style.get(_W + "val"), (style.get(_W + "val") or "", None))[0]
    match = _HEADING_STYLE.search(name)
    return int(match.group(1)) if match else (1 if name.lower() == "title" else 0)


_PATH_NUMPR = f"{_W}pPr/{_W}numPr"


def _number(p, styles: dict, numbering: Numbering) -> str:
    """The number Word shows in front of the paragraph (its own list, or its style's)."""
    if not numbering.nums:
        return ""  # a document without lists (most reports number by hand)
    num_pr = p.find(_PATH_NUMPR)
    if num_pr is None and not numbering.styled:
        return ""  # no list of its own, and no style in this document numbers its paragraphs
    props = p.find(_W + "pPr")
    if props is None:
        return ""
    num_id = ilvl = None
    if num_pr is not None:
        num = num_pr.find(_W + "numId")
        lvl = num_pr.find(_W + "ilvl")
        num_id = num.get(_W + "val") if num is not None else None
        ilvl = lvl.get(_W + "val") if lvl is not None else None
    style = props.find(_W + "pStyle")
    if style is not None and (num_id is None or ilvl is None):
        _, style_num = styles.get(style.get(_W + "val"), ("", None))
        if style_num:
            num_id = num_id or style_num[0]
            ilvl = ilvl or style_num[1]
    if num_id is None:
        return ""
    try:
        return numbering.label(num_id, int(ilvl or 0))
    except ValueError:
        return ""


def _cell_text(tc, styles: dict, numbering: Numbering, fields: _Fields) -> str:
    if fields.plain and not numbering.nums:
        # no fields, text boxes or lists (most reports): the cell's paragraphs are its runs'
        # text end to end, read in one pass as _para_text reads one paragraph
        return _para_text(tc, fields).strip()
    parts = []
    for p in tc.iter(_W + "p"):
        if not fields.plain and p.getparent() is not tc and _in_fallback(p):
            continue
        parts.append(_number(p, styles, numbering) + _para_text(p, fields))
    return "".join(parts).strip()


def _cell_props(tc) -> tuple[int, str | None]:
    """A cell's declared column span (gridSpan, bounded) and its vertical merge (vMerge: "restart",
    "continue" or None). Read by iterating children: lxml's find() parses its path on every call,
    three times the cost on a table of a few hundred cells."""
    span, merge = 1, None
    for props in tc.iterchildren(_TCPR):
        for child in props.iterchildren(_GRID_SPAN, _V_MERGE):
            if child.tag == _GRID_SPAN:
                try:
                    span = max(1, min(int(child.get(_VAL, "1")), _MAX_SPAN))
                except ValueError:
                    span = 1
            else:
                merge = child.get(_VAL, "continue")
        break
    return span, merge


_TCPR, _GRID_SPAN, _V_MERGE, _VAL = _W + "tcPr", _W + "gridSpan", _W + "vMerge", _W + "val"


def _table(
    tbl, ordinal: int, budget: GridBudget, styles: dict, numbering: Numbering, fields: _Fields, number: int
) -> TableBlock | None:
    """Table `number` of the document (from 1), its cells placed as _number_cells would place
    them (a merged cell by its top-left slot), so that pass has nothing left to do."""
    grid: dict[tuple[int, int], CellText] = {}
    # each cell's properties read once: the grid's declared size is checked before any text is read
    rows = [[(tc, *_cell_props(tc)) for tc in tr.findall(_W + "tc")] for tr in tbl.findall(_W + "tr")]
    widest = max((sum(span for _, span, _ in tr) for tr in rows), default=0)
    if not budget.allows(len(rows) * widest, Loc(ordinal, 1, unit="paragraph")):
        return None  # a declared grid no report has: reported (E005), not built
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for tc, span, merge in tr:
            above = grid.get((r - 1, c))
            if merge == "continue" and above is not None:
                cell = above
            else:
                cell = new_cell(
                    _cell_text(tc, styles, numbering, fields), ordinal, c + 1, "paragraph", (number, r + 1, c + 1), r, c
                )
            for dc in range(span):
                grid[(r, c + dc)] = cell
            c += span
        width = max(width, c)
    if not grid:
        return None
    out = tuple(
        tuple(
            grid.get((r, c)) or CellText("", Loc(ordinal, c + 1, unit="paragraph", cell=(number, r + 1, c + 1)), r, c)
            for c in range(width)
        )
        for r in range(len(rows))
    )
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
    if total > MAX_UNPACKED or any(
        e.compress_size and e.file_size / e.compress_size > MAX_RATIO and e.file_size > 10 * 1024 * 1024
        for e in entries
    ):
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
_STYLE_NUM = re.compile(r'<w:numId w:val="(\d{1,6})"')
_STYLE_ILVL = re.compile(r'<w:ilvl w:val="(\d)"')
_MAX_STYLES = 200  # distinct paragraph styles a body uses; a report has a dozen


class _Survey:
    """What the body uses, found in one pass over it (each question asked of the whole body was
    a pass of its own): the paragraph styles, and whether any paragraph is in a list, any field,
    text box or tracked deletion is there, any comment or tracked change."""

    def __init__(self, body):
        self.styles: set[str] = set()
        self.lists = self.special = self.marked = False
        special, marks, pstyle = set(_SPECIAL), set(_MARKS), _W + "pStyle"
        for node in body.iter(pstyle, _W + "numPr", *_SPECIAL, *_MARKS):
            tag = node.tag
            if tag == pstyle:
                value = node.get(_W + "val")
                if value is not None:
                    self.styles.add(value)
            elif tag == _W + "numPr":
                self.lists = True
            else:
                self.special = self.special or tag in special
                self.marked = self.marked or tag in marks


def _stored_digest(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A digest of a package member as stored (its compressed bytes, how they are compressed and
    their size): equal digests, equal contents — known without inflating the member."""
    header = data[info.header_offset : info.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    stored = hashlib.blake2b(data[start : start + info.compress_size], digest_size=20)
    stored.update(struct.pack("<HQ", info.compress_type, info.file_size))
    return stored.digest()


# (the styles part as stored, the style ids a body uses) → what _styles found: the reports of a
# batch are written from a few templates, and inflating their 300 KB styles.xml was a twelfth of
# reading a report
_STYLES_SEEN: dict[tuple, dict] = {}
_STYLES_KEPT = 256


def _styles(package: zipfile.ZipFile, used: set[str], data: bytes) -> dict:
    """styleId → (style name (heading 1, 标题 2 …), its list (numId, ilvl) or None), for the
    styles the body uses. Word's
    styles.xml is often 300 KB of latent styles; a regular expression finds the few needed
    names in it several times faster than parsing it."""
    if not used or "word/styles.xml" not in package.namelist():
        return {}
    digest = _stored_digest(data, package.getinfo("word/styles.xml"))
    key = (digest, frozenset(used))
    if digest is not None and key in _STYLES_SEEN:
        return dict(_STYLES_SEEN[key])
    styles = _styles_in(package.read("word/styles.xml"), used)
    if digest is not None:
        if len(_STYLES_SEEN) >= _STYLES_KEPT:
            _STYLES_SEEN.clear()
        _STYLES_SEEN[key] = dict(styles)
    return styles


def _styles_in(raw: bytes, used: set[str]) -> dict:
    """The styles part searched as bytes: decoding 300 KB costs more than the search."""
    styles = {}
    for style_id in list(used)[:_MAX_STYLES]:
        # plain searches, each bounded by the style's own element: a pattern with ".*?" across
        # the file retried from every <w:style would take minutes on a crafted styles.xml
        at = raw.find(f'w:styleId="{style_id}"'.encode())
        if at < 0:
            continue
        end = raw.find(b"</w:style>", at)
        element = raw[at : end if end >= 0 else at + 4096].decode("utf-8", "replace")
        match = _STYLE_NAME.search(element)
        num = _STYLE_NUM.search(element)  # a heading style with outline numbering
        level = _STYLE_ILVL.search(element)
        styles[style_id] = (
            match.group(1) if match else style_id,
            (num.group(1), level.group(1) if level else "0") if num else None,
        )
    return styles


def read_docx(data: bytes, skipped: list | None = None, meta: dict | None = None) -> list:
    _check_package(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            body = _xml(package, "word/document.xml").find(_W + "body")
            survey = _Survey(body) if body is not None else None
            styles = _styles(package, survey.styles, data) if survey else {}
            styled = any(style[1] for style in styles.values())
            # lists are read only when a paragraph or a style uses one (Word's own template
            # defines several that most reports never use)
            used = styled or (survey is not None and survey.lists)
            numbering = Numbering(
                _xml(package, "word/numbering.xml") if used and "word/numbering.xml" in names else None, styled
            )
            comments = _comments(_xml(package, "word/comments.xml")) if "word/comments.xml" in names else {}
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise IngestError(f"无法打开 Word 文件（文件已损坏或不是 .docx）：{error}") from error
    except Exception as error:  # lxml's XMLSyntaxError and the zip module's assorted errors
        raise IngestError(f"无法打开 Word 文件：{type(error).__name__}: {error}") from error
    if body is None:
        raise IngestError("Word 文件没有正文（word/document.xml 中缺少 w:body）")
    blocks = []
    ordinal = tables = 0
    budget = GridBudget()
    fields = _Fields(plain=not survey.special)
    marked = survey.marked  # comments or tracked changes anywhere
    places: dict[str, list[int]] = {}  # comment id → the paragraphs its range starts and ends in
    revisions: list = []
    for element in body.iter(_W + "p", _W + "tbl", _W + "commentRangeStart", _W + "commentRangeEnd"):
        if element.tag not in (_W + "p", _W + "tbl"):
            if element.getparent() is body:  # a comment's range marked between paragraphs
                spot = places.setdefault(element.get(_W + "id", ""), [ordinal + 1, ordinal + 1])
                if element.tag == _W + "commentRangeStart":
                    spot[0] = ordinal + 1
                else:
                    spot[1] = max(ordinal, spot[0])
            continue
        if not numbered(element):
            continue
        ordinal += 1
        if marked:
            _note_marks(element, ordinal, places, revisions)
        if element.tag == _W + "tbl":
            table = _table(element, ordinal, budget, styles, numbering, fields, tables + 1)
            if table:
                blocks.append(table)
                tables += 1
            continue
        text = _number(element, styles, numbering) + _para_text(element, fields)
        if text.strip():
            column = len(text) - len(text.lstrip()) + 1
            blocks.append(
                TextBlock(text.strip(), Loc(ordinal, column, unit="paragraph"), _style_level(element, styles))
            )
    if skipped is not None:
        skipped.extend(budget.skipped)
    if meta is not None:
        _word_marks(meta, comments, places, revisions)
    return blocks


_REVISION_TAGS = {
    _W + "ins": "插入",
    _W + "del": "删除",
    _W + "moveFrom": "移动",
    _W + "moveTo": "移动",
    _W + "rPrChange": "格式修改",
    _W + "pPrChange": "格式修改",
}


_MARKS = (_W + "commentRangeStart", _W + "commentRangeEnd", _W + "commentReference", *_REVISION_TAGS)


def _note_marks(element, ordinal: int, places: dict, revisions: list) -> None:
    """Where comments start and end, and the tracked changes, in this paragraph or table."""
    for node in element.iter(*_MARKS):
        tag = node.tag
        if tag in _REVISION_TAGS:
            text = "".join(t.text or "" for t in node.iter(_W + "t", _W + "delText"))
            revisions.append((ordinal, _REVISION_TAGS[tag], text))
        else:
            spot = places.setdefault(node.get(_W + "id", ""), [ordinal, ordinal])
            if tag == _W + "commentRangeStart":
                spot[0] = ordinal
            else:
                spot[1] = max(spot[1], ordinal)


def _comments(root) -> dict[str, str]:
    """comment id → its text."""
    return {
        c.get(_W + "id", ""): "".join(t.text or "" for t in c.iter(_W + "t")).strip() for c in root.iter(_W + "comment")
    }


def _word_marks(meta: dict, comments: dict, places: dict, revisions: list) -> None:
    """Comments that are directives (`xxgk-disable A302 -- 理由`) become directives on the range
    they comment; the others, and the tracked changes, are recorded (a draft must not be
    published with them)."""
    from checker.ingest.directives import Directive, comment_directive

    directives, changes = [], []
    for comment_id, text in comments.items():
        first, last = places.get(comment_id, [1, 1])
        directive = comment_directive(text)
        if directive:
            verb, body = directive
            directives.append(
                Directive(verb, body, first, last, unit="paragraph", span=(first, last) if verb == "disable" else None)
            )
        else:
            changes.append(Change("comment", Loc(first, unit="paragraph"), text[:40] or "（空批注）"))
    for ordinal, kind, text in revisions:
        changes.append(Change("revision", Loc(ordinal, unit="paragraph"), f"{kind}「{text[:20]}」" if text else kind))
    if directives:
        meta["directives"] = tuple(directives)
    if changes:
        meta["changes"] = changes


def inside(element, tag: str) -> bool:
    """Whether an element of the body lies within an element `tag` (a table cell, mc:Fallback)."""
    parent = element.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        if parent.tag == _W + "body":
            return False
        parent = parent.getparent()
    return False


def _in_fallback(element) -> bool:
    """Inside mc:Fallback: the copy of a drawing for programs that cannot read its mc:Choice."""
    return inside(element, _MC + "Fallback")


def _inside_table(element) -> bool:
    return inside(element, _W + "tc")


def numbered(element) -> bool:
    """Whether a paragraph or table of the body gets a paragraph number of its own (one within a
    table is read with the table; the fallback copy of a drawing is not read)."""
    return not _inside_table(element) and not _in_fallback(element)
