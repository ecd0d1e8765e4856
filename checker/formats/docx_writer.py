"""Markdown (headings, paragraphs, pipe tables) to a Word document laid out as an official document
(公文, after GB/T 9704): A4, margins 37/35/28/26 mm, title in 小标宋 二号 centred, body in 仿宋_GB2312
三号 with two characters' first-line indent, level-1 headings in 黑体, level-2 in 楷体, each font
named with the fallbacks Word, WPS and LibreOffice find on a machine without it. Tables have
their repeated label cells merged into one (gridSpan and vMerge) — the 勾稽 note one cell over
the corner, 行政复议 over its five columns — column widths that keep labels on a line or two,
and a landscape page when they are too wide for a portrait one. Used for
`xxgk template --format docx` and for the docx twins of the examples."""

from __future__ import annotations

import datetime as dt
import re

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# (font, size in points, bold): the fonts of GB/T 9704, and what each falls back to
TITLE = ("方正小标宋简体", 22)
BODY = ("仿宋_GB2312", 16)
HEADING_1 = ("黑体", 16)
HEADING_2 = ("楷体_GB2312", 16)
TABLE = ("仿宋_GB2312", 10.5)
FALLBACKS = {
    "方正小标宋简体": ["小标宋", "华文中宋", "宋体", "SimSun", "Noto Serif CJK SC"],
    "仿宋_GB2312": ["仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"],
    "黑体": ["SimHei", "STHeiti", "Noto Sans CJK SC"],
    "楷体_GB2312": ["楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC"],
}
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # mm
LINE = Pt(28)  # 22 lines to a page of 三号 text
CHAR_MM = 3.9  # a 五号 character, with a little room
WIDE = 9  # columns: a table this wide goes on a landscape page


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+(\.\d+)?", text.strip()))


def _font(style, font: tuple, bold: bool = False) -> None:
    name, size = font
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _font(normal, BODY)
    normal.paragraph_format.first_line_indent = Pt(BODY[1] * 2)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    for name, font, indent in (("Title", TITLE, False), ("Heading 1", HEADING_1, True), ("Heading 2", HEADING_2, True)):
        style = styles[name]
        _font(style, font)
        style.paragraph_format.first_line_indent = Pt(BODY[1] * 2) if indent else Pt(0)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = Pt(36) if name == "Title" else LINE
        style.paragraph_format.keep_with_next = True
        p_pr = style.element.get_or_add_pPr()
        for border in p_pr.findall(qn("w:pBdr")):  # the Title style's blue rule under it
            p_pr.remove(border)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    from docx.enum.style import WD_STYLE_TYPE

    for name, alignment in (("表格文字", WD_ALIGN_PARAGRAPH.LEFT), ("表格居中", WD_ALIGN_PARAGRAPH.CENTER)):
        table_text = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = normal
        _font(table_text, TABLE)
        table_text.paragraph_format.first_line_indent = Pt(0)
        table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        table_text.paragraph_format.alignment = alignment
    _font_table(document)


def _font_table(document) -> None:
    """Each font of the form named in the font table with its fallbacks (w:altName), so a machine
    without 仿宋_GB2312 shows 仿宋 or FangSong, not a default Latin face."""
    part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    blob = part.blob.decode("utf-8")
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alternatives[0]}"/><w:charset w:val="86"/>'
        f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, alternatives in FALLBACKS.items()
    )
    part._blob = blob.replace("</w:fonts>", fonts + "</w:fonts>").encode("utf-8")


def _page(section, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])


def _blocks(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Rectangles of one label repeated side by side and one above another (the 勾稽 note over
    the corner, 申请人情况 over the applicant columns, 三、本年度办理结果 down the first column):
    (top row, left column, bottom row, right column), each cell in one of them at most."""
    height, width = len(rows), max(len(r) for r in rows)

    def at(r: int, c: int) -> str:
        return rows[r][c] if c < len(rows[r]) else ""

    taken: set[tuple[int, int]] = set()
    blocks = []
    for r in range(height):
        for c in range(width):
            text = at(r, c)
            if (r, c) in taken or not text or _numeric(text):
                continue
            right = c
            while right + 1 < width and at(r, right + 1) == text and (r, right + 1) not in taken:
                right += 1
            bottom = r
            while bottom + 1 < height and all(
                at(bottom + 1, k) == text and (bottom + 1, k) not in taken for k in range(c, right + 1)
            ):
                bottom += 1
            if (right, bottom) != (c, r):
                blocks.append((r, c, bottom, right))
                taken |= {(i, k) for i in range(r, bottom + 1) for k in range(c, right + 1)}
    return blocks


def _full_width_label(row: list[str], width: int) -> bool:
    """A block's label across the whole table (第二十条第（五）项 over its rows)."""
    return len(row) == width and bool(row[0]) and not _numeric(row[0]) and len(set(row)) == 1


def _tails(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Where a block of a table has fewer columns than the table (table 二's （五）（六）（八）, one
    figure column beside the three of （一））: its column header ends in empty cells, and in that
    block each row's last column spans to the table's edge, header and figures alike, as the
    official form draws it. A row whose cells past it hold something keeps its own."""
    width = max(len(r) for r in rows)
    tails = []
    for r, row in enumerate(rows[:-1]):
        if not _full_width_label(row, width):
            continue
        header = rows[r + 1] + [""] * (width - len(rows[r + 1]))
        last = max((i for i, t in enumerate(header) if t), default=0)
        if not 0 < last < width - 1:
            continue
        k = r + 1
        while k < len(rows) and not _full_width_label(rows[k], width):
            cells = rows[k] + [""] * (width - len(rows[k]))
            if not any(cells[last + 1 :]):
                tails.append((k, last, k, width - 1))
            k += 1
    return tails


def _merges(rows: list[list[str]], merge: bool = True) -> list[tuple[int, int, int, int]]:
    """Every merged rectangle of the table: repeated labels, and the blocks' tails (none for a
    table of records, where two rows that say the same say it twice)."""
    return _blocks(rows) + _tails(rows) if merge else []


def _header_rows(rows: list[list[str]]) -> int:
    """How many rows open the table as its header, repeated on each page it runs over: those the
    corner label spans (table 三's 勾稽 note over three rows); none where it spans one."""
    corner = next((b for b in _blocks(rows) if b[:2] == (0, 0)), None)
    return corner[2] + 1 if corner is not None and corner[2] > 0 else 0


def _widths(rows: list[list[str]], width_mm: float, merge: bool = True) -> list[float]:
    """Column widths: a label column as wide as its longest label alone in a cell (up to 14
    characters: longer ones take two lines), a figure column as wide as half its header."""
    columns = max(len(r) for r in rows)
    merged = {
        (r, c)
        for top, left, bottom, right in _merges(rows, merge)
        if right > left
        for r in range(top, bottom + 1)
        for c in range(left, right + 1)
    }
    need = []
    for c in range(columns):
        texts = [row[c] for r, row in enumerate(rows) if c < len(row) and (r, c) not in merged and row[c]]
        labels = [t for t in texts if not _numeric(t)]
        if any(_numeric(t) for t in texts) or all(len(t) <= 6 for t in labels):
            need.append(max([3.0] + [len(t) / 2 + 0.5 for t in labels]))
        else:
            need.append(min(14.0, max(len(t) for t in labels) / (1 if max(len(t) for t in labels) <= 14 else 2)))
    scale = width_mm / sum(need)
    return [n * scale for n in need]


# Tables of one shape (the same labels, figures in the same cells, the same page width) are laid
# out once per process: python-docx's merging and styling is most of a document's time, and a
# batch writes the same three official tables thousands of times. The table's XML is kept with a
# placeholder in each figure cell and filled in for each document.
_PROTOTYPES: dict[tuple, str] = {}
_MAX_PROTOTYPES = 64
_SLOT = re.compile("\ue000(\\d+),(\\d+)\ue001")


def _add_table(document, rows: list[list[str]], merge: bool = True):
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml

    section = document.sections[-1]
    text_mm = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    shape = (round(text_mm, 3), merge, tuple(tuple("#" if _numeric(t) else t for t in row) for row in rows))
    xml = _PROTOTYPES.get(shape)
    if xml is None:
        slots = [
            [f"\ue000{r},{c}\ue001" if _numeric(t) else t for c, t in enumerate(row)] for r, row in enumerate(rows)
        ]
        # laid out in a scratch document of the same styles, dropped whole: taking the table
        # out of this one again (lxml moves each node to a new document) cost 2.8 s for 3,000 rows
        scratch = docx.Document()
        _styles(scratch)
        xml = _lay_out_table(scratch, rows, slots, text_mm, merge)._tbl.xml
        if len(_PROTOTYPES) >= _MAX_PROTOTYPES:
            _PROTOTYPES.clear()
        _PROTOTYPES[shape] = xml
    filled = _SLOT.sub(lambda m: escape(rows[int(m.group(1))][int(m.group(2))]), xml)
    document.element.body._insert_tbl(parse_xml(filled))


def _lay_out_table(document, rows: list[list[str]], texts: list[list[str]], text_mm: float, merge: bool = True):
    """The table with `texts` in its cells, laid out (styles, widths, merges) by `rows`."""
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    widths = [Mm(w) for w in _widths(rows, text_mm, merge)]
    for c, column in enumerate(table.columns):
        column.width = widths[c]
    grid = [row.cells for row in table.rows]  # python-docx recomputes table.cell() every call
    # styles set by id (python-docx looks a name up anew each time); the widths are the grid's
    left, centred = document.styles["表格文字"].style_id, document.styles["表格居中"].style_id
    for r, cells in enumerate(grid):
        for c, cell in enumerate(cells):
            text = rows[r][c] if c < len(rows[r]) else ""
            paragraph = cell.paragraphs[0]
            # figures, the empty cells they go in and the blocks' labels, all centred alike
            heading = (r < 3 if merge else r == 0) or _full_width_label(rows[r], width)
            paragraph._p.style = centred if _numeric(text) or not text or heading else left
            if text:
                paragraph.add_run(texts[r][c])
    for r in range(_header_rows(rows) if merge else 1):
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for top, left, bottom, right in _merges(rows, merge):
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    for run in grid[r][c].paragraphs[0].runs:
                        run._r.getparent().remove(run._r)
        merged = grid[top][left].merge(grid[bottom][right])
        for extra in merged.paragraphs[1:]:  # merging leaves the covered cells' empty paragraphs
            if not extra.text:
                extra._p.getparent().remove(extra._p)
    return table


def _items(markdown: str) -> list[tuple[str, object]]:
    """("heading", (level, text)), ("paragraph", text) and ("table", rows), in order."""
    items: list[tuple[str, object]] = []
    table: list[list[str]] = []
    for line in markdown.splitlines() + [""]:
        stripped = line.strip()
        if stripped.startswith("|"):
            if not re.fullmatch(r"\|?(\s*:?-{2,}:?\s*\|)+\s*", stripped):
                table.append([cell.strip() for cell in stripped.strip("|").split("|")])
            continue
        if table:
            items.append(("table", table))
            table = []
        if not stripped:
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if heading:
            items.append(("heading", (min(len(heading.group(1)) - 1, 9), heading.group(2))))
        else:
            items.append(("paragraph", stripped))
    return items


def _landscape(items: list[tuple[str, object]]) -> list[bool]:
    """Which items go on a landscape page: a table too wide for a portrait one, with the
    heading that introduces it (a heading is not left alone at the foot of the page before)."""
    wide = [kind == "table" and max(len(r) for r in value) >= WIDE for kind, value in items]
    for i in range(len(items) - 1):
        if items[i][0] == "heading" and wide[i + 1]:
            wide[i] = True
    return wide


_DATE_LINE = re.compile(r"^\d{4}年[\d\s　]{1,3}月[\d\s　]{1,3}日$")


def _sign_off(paragraphs) -> None:
    """The signature and the date under the text, right-aligned as a 公文 sets them: the last line
    that is a date alone, and the short line above it naming the agency."""
    dated = next((i for i in range(len(paragraphs) - 1, -1, -1) if _DATE_LINE.match(paragraphs[i].text.strip())), None)
    if dated is None:
        return
    lines = [paragraphs[dated]]
    above = paragraphs[dated - 1].text.strip() if dated else ""
    if above and len(above) <= 30 and not re.search(r"[。；：:]", above):
        lines.append(paragraphs[dated - 1])
    for paragraph in lines:
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)


def build(markdown: str, title: str | None = None, merge: bool = True):
    document = docx.Document()
    _styles(document)
    _page(document.sections[0])
    items = _items(markdown)
    landscape = False
    heading_styles: dict[int, str] = {}
    for (kind, value), wide in zip(items, _landscape(items)):
        if wide != landscape:
            _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=wide)
            landscape = wide
        if kind == "table":
            _add_table(document, value, merge)
        elif kind == "heading":
            level, text = value
            if level not in heading_styles:  # by id: python-docx looks a style name up anew each time
                heading_styles[level] = document.styles["Title" if level == 0 else f"Heading {level}"].style_id
            document.add_paragraph(text)._p.style = heading_styles[level]
            title = title or (text if level == 0 else None)
        else:
            document.add_paragraph(value)
    _sign_off(document.paragraphs)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    properties = document.core_properties
    properties.title = title or ""
    properties.author = properties.last_modified_by = "xxgk-checker"
    properties.created = properties.modified = now
    properties.revision = 1
    properties.comments = properties.subject = properties.keywords = ""
    return document


def write(markdown: str, target, merge: bool = True) -> None:
    from checker.safe_write import replacing

    with replacing(target) as temp:
        build(markdown, merge=merge).save(str(temp))
