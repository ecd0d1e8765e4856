"""Plain text and Markdown: one block per non-empty line; Markdown pipe tables become tables."""

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
    return blocks


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
    return blocks
