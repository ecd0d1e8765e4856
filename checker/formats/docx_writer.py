"""Markdown (headings, paragraphs, pipe tables) to a Word document whose tables have their
repeated label cells merged (gridSpan and vMerge), as agencies' own templates have them. Used
for `xxgk template --format docx` and for the docx twins of the examples."""

from __future__ import annotations

import re

import docx


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+(\.\d+)?", text.strip()))


def _add_table(document, rows: list[list[str]]):
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c in range(width):
            table.cell(r, c).text = row[c] if c < len(row) else ""
    merged: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):  # side by side: 行政复议 ×5 → one cell spanning five columns
        c = 0
        while c < width:
            end = c
            while end + 1 < width and row[c] and not _numeric(row[c]) and row[end + 1:end + 2] == [row[c]]:
                end += 1
            if end > c:
                for k in range(c + 1, end + 1):
                    table.cell(r, k).text = ""
                    merged.add((r, k))
                merged.add((r, c))
                table.cell(r, c).merge(table.cell(r, end))
            c = end + 1
    for c in range(width):  # one above another: 三、本年度办理结果 down the first column
        r = 0
        while r < len(rows):
            text = rows[r][c] if c < len(rows[r]) else ""
            end = r
            while (end + 1 < len(rows) and text and not _numeric(text) and (r, c) not in merged
                   and (end + 1, c) not in merged and c < len(rows[end + 1]) and rows[end + 1][c] == text):
                end += 1
            if end > r:
                for k in range(r + 1, end + 1):
                    table.cell(k, c).text = ""
                table.cell(r, c).merge(table.cell(end, c))
            r = end + 1


def build(markdown: str):
    document = docx.Document()
    table: list[list[str]] = []
    for line in markdown.splitlines() + [""]:
        stripped = line.strip()
        if stripped.startswith("|"):
            if not re.fullmatch(r"\|?(\s*:?-{2,}:?\s*\|)+\s*", stripped):
                table.append([cell.strip() for cell in stripped.strip("|").split("|")])
            continue
        if table:
            _add_table(document, table)
            table = []
        if not stripped:
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if heading:
            document.add_heading(heading.group(2), level=min(len(heading.group(1)) - 1, 9) or 0)
        else:
            document.add_paragraph(stripped)
    return document


def write(markdown: str, target) -> None:
    from checker.safe_write import replacing

    with replacing(target) as temp:
        build(markdown).save(str(temp))
