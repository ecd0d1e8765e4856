"""The line a finding points at, as the report has it, with a caret under the spot — measured in
terminal cells, since a Chinese character takes two."""

from __future__ import annotations

import unicodedata

from checker.ingest.document import TableBlock

WINDOW = 36  # characters shown either side of the spot on a long line


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def source_line(source, loc) -> tuple[str, int | None] | None:
    """The text at `loc` and the index of the spot in it (None when only the block is known)."""
    if source is None or loc is None:
        return None
    lines = source.meta.get("lines")
    if lines and loc.unit == "line" and 0 < loc.line <= len(lines):
        return lines[loc.line - 1], max(loc.column - 1, 0)
    for block in source.blocks:
        if isinstance(block, TableBlock):
            for row in block.rows:
                for cell in row:
                    if cell.loc.line == loc.line and cell.loc.page == loc.page and cell.loc.column == loc.column:
                        return " | ".join(c.text for c in row), None
        elif block.loc.line == loc.line and block.loc.page == loc.page:
            return block.text, max(loc.column - block.loc.column, 0) if loc.unit != "paragraph" else None
    return None


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
    return text if len(text) <= 2 * WINDOW else text[:2 * WINDOW] + "…"
