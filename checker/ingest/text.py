"""Plain text and Markdown: one block per paragraph — a non-empty line, or the lines a hard wrap
made of one paragraph, joined again; Markdown pipe tables become tables."""

from __future__ import annotations

import re

from checker.ingest.directives import is_directive_line
from checker.ingest.document import CellText, Loc, TableBlock, TextBlock

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_HTML_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")


def _plain(text: str) -> str:
    """The text without **bold** and __bold__ marks (most lines have none: not searched)."""
    return _MD_EMPHASIS.sub(r"\2", text) if "**" in text or "__" in text else text


def _text_block(line: str, number: int, hint: int = 0) -> TextBlock | None:
    stripped = line.strip()
    if not stripped:
        return None
    column = len(line) - len(line.lstrip()) + 1
    return TextBlock(stripped, Loc(number, column), hint)


def read_text(text: str) -> list:
    blocks = []
    for number, line in enumerate(text.splitlines(), 1):
        if is_directive_line(line):
            continue  # <!-- xxgk-disable … -->: for the gate, not part of the report
        block = _text_block(line, number)
        if block:
            blocks.append(block)
    return unwrap(blocks)


# A line that ends a sentence, or one that opens like a heading, is no continuation
_SENTENCE_END = re.compile(r"[。！？；：!?;:][”’」』）)]*$")
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．]\D|第[一二三四五六七八九十]+[部章节])"
)
# a line that stands on its own: a crawler's "==== 正文 ====" (its header above it is left as it
# is: "发布时间: …" records, one a line), a directive, a table's | row (never prose, nor its margin)
_OWN_LINE = re.compile(r"^(?:=+|<!--|\|)")  # … and a table written as | rows
BODY_MARK = re.compile(r"^=+\s*正文\s*=+$")  # normalisation reads the header above it as metadata
WRAP_SHARE = 0.5  # of the long lines ending at the margin: the file is hard-wrapped
MARGIN_SLACK = 5  # display cells short of the margin a wrapped line may end (two CJK characters and a half)


# East Asian Wide and Fullwidth characters (Unicode's East_Asian_Width W and F, by block): one
# search over a line counts them, where asking unicodedata of every character was a seventh of
# checking a text file
_WIDE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u2329\u232a\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19"
    "\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\U00016fe0-\U0001b2ff\U0001f300-\U0001f64f"
    "\U0001f900-\U0001f9ff\U00020000-\U0003fffd]"
)


def _cells(text: str) -> int:
    """Display width: a Chinese character takes two cells, as the wrapping program counted."""
    return len(text) + len(_WIDE.findall(text))


def unwrap(blocks: list) -> list:
    """Lines a program hard-wrapped at a fixed width (a crawler's text, a PDF extraction, a mail
    client) are one paragraph again, as the PDF reader joins a PDF's lines: a line that runs to
    the margin continues on the next source line unless a blank line comes between. Where the text
    marks its paragraphs (blank lines between them, or indented first lines), a line ending a
    sentence, or a next line opening like a heading, also ends a paragraph; where it marks them by
    neither (a crawler's run-on body wrapped), the lines alone say it. Only where most long lines
    end at one margin — a text written one paragraph a line is left as it is. The margin is
    measured both in characters and in display cells (wrapping programs count either way). The
    joined paragraph keeps the position of its first line."""
    texts = [b.text for b in blocks if isinstance(b, TextBlock) and not b.hint and not _OWN_LINE.match(b.text)]
    measures = [(len, 2.5), (_cells, MARGIN_SLACK)]
    margins = []
    for measure, slack in measures:
        widths = sorted(w for w in map(measure, texts) if w >= 12)
        if len(widths) < 6:
            return blocks
        margin = widths[int(len(widths) * 0.9)]
        share = sum(1 for w in widths if w >= margin - slack) / len(widths)
        margins.append((margin, slack, share))
    if max(share for _, _, share in margins) < WRAP_SHARE or min(margin for margin, _, _ in margins) > 240:
        return blocks

    lines = [b for b in blocks if isinstance(b, TextBlock)]
    marked = any(b.loc.line - a.loc.line > 1 for a, b in zip(lines, lines[1:])) or sum(
        1 for b in lines if b.loc.column > 1
    ) >= 0.03 * len(lines)

    def at_margin(text: str) -> bool:
        return any(measure(text) >= margin - slack for (measure, _), (margin, slack, _) in zip(measures, margins))

    header = next((i + 1 for i, b in enumerate(blocks[:15]) if isinstance(b, TextBlock) and BODY_MARK.match(b.text)), 0)
    out: list = list(blocks[:header])
    last = None  # the source line the paragraph being built ended on, and whether it ran to the margin
    for block in blocks[header:]:
        prev = out[-1] if out else None
        if (
            isinstance(block, TextBlock)
            and not block.hint
            and isinstance(prev, TextBlock)
            and not prev.hint
            and last is not None
            and block.loc.line == last[0] + 1
            and last[1]
            and not _OWN_LINE.match(block.text)
            and not _OWN_LINE.match(prev.text)
            and not (marked and (_SENTENCE_END.search(prev.text) or _HEADING_START.match(block.text)))
        ):
            out[-1] = TextBlock(prev.text + block.text, prev.loc, prev.hint, prev.shifts)
        else:
            out.append(block)
        last = (block.loc.line, at_margin(block.text)) if isinstance(block, TextBlock) else None
    return out


_ESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_new = object.__new__


def _split_pipe_row(line: str, number: int, row: int, table: int) -> tuple[CellText, ...]:
    """A pipe row's cells, each at its place: line and column, and (table, row, column) from 1 —
    numbered here as _number_cells would, since every cell of a markdown table is its own.

    The cell and its Loc are made field by field, not through the dataclasses' __init__: a class
    call is a C-to-Python call per object, and those two calls per cell were a sixth of checking
    a markdown report (a test holds every cell equal to one the constructors make)."""
    cells = []
    start = line.index("|") + 1
    body = line.rstrip()
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    pos = start + 1  # the column of a raw cell's first character
    escaped = "\\|" in body
    place_row = row + 1
    for col, raw in enumerate(_ESCAPED_PIPE.split(body[start:]) if escaped else body[start:].split("|"), 1):
        text = raw.strip()
        loc = _new(Loc)
        loc.line = number
        # where its text starts (a blank cell: just before the next "|")
        loc.column = pos + len(raw) - len(raw.lstrip()) if text else pos + len(raw)
        loc.page = None
        loc.unit = "line"
        loc.cell = (table, place_row, col)
        loc.bbox = None
        cell = _new(CellText)
        cell.text = text.replace("\\|", "|") if escaped else text
        cell.loc = loc
        cell.row = row
        cell.col = col - 1
        cells.append(cell)
        pos += len(raw) + 1
    return tuple(cells)


def read_markdown(text: str) -> list:
    blocks = []
    table_rows: list[tuple[CellText, ...]] = []
    table_start = 0
    tables = 0

    def flush_table():
        nonlocal table_rows, tables
        if table_rows:
            tables += 1
            blocks.append(TableBlock(tuple(table_rows), Loc(table_start, 1), merged=False))
            table_rows = []

    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("|"):
            if not table_rows:
                table_start = number
            if "--" not in stripped or not _MD_SEPARATOR.match(stripped):  # (a separator has "--")
                table_rows.append(_split_pipe_row(line, number, len(table_rows), tables + 1))
            continue
        if table_rows:
            flush_table()
        if "<!--" in line and _HTML_COMMENT.match(line):
            continue
        heading = _MD_HEADING.match(line) if "#" in line else None
        if heading:
            level = len(heading.group(1))
            content = _plain(heading.group(2))
            column = line.index(heading.group(2)) + 1 if heading.group(2) else 1
            if content.strip():
                blocks.append(TextBlock(content.strip(), Loc(number, column), level))
            continue
        block = _text_block(_plain(line), number)
        if block:
            blocks.append(block)
    flush_table()
    return unwrap(blocks)
