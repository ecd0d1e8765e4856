"""Flattened text: a web page scraped into one long line, its headings embedded mid-line
("…政府建设。（一）主动公开方面。…二、主动公开政府信息情况 第二十条第（一）项…"). Such a line is
cut before each heading, so the grammar sees the report's structure. Only headings are cut —
the text between them is kept whole (a flattened table stays one paragraph, for facts to read),
and each piece keeps its position in the original line."""

from __future__ import annotations

import re
from dataclasses import replace

from checker.ingest.document import Loc, TextBlock
from checker.vocab import section_vocabulary, table_row_openings

LONG = 400  # a line this long with several headings in it is flattened text
MIN_SECTIONS = 3  # … at least this many of the report's own top-level headings
# (a flattened table's last figure may stand right before the next heading: "…0000五、存在的…")
_TOP = re.compile(r"(?<![（(一二三四五六七八九十])([一二三四五六七八九十])、")
_SUB = re.compile(r"(?<!第)[（(]([一二三四五六七八九十])[)）]")
_SUB_BEFORE = re.compile(r"[。；;：:！？\s]$")
_TABLE_ROW = re.compile(r"[^。，,：:；;\d]{1,40}?\d")  # a label running straight into its figures
# row labels of the official tables look like headings ("一、本年新收…", "四、结转下年度…"):
# how they begin comes from the layout YAML (vocab.table_row_openings)
_CN = "一二三四五六七八九十"


def _keywords() -> tuple[str, ...]:
    words = {k for w in section_vocabulary() for k in w.keywords}
    return tuple(sorted(words | {"概述", "收费", "减免"}, key=len, reverse=True))


def _ascending(matches, accept) -> list[int]:
    """Start offsets of the matches that number 一, 二, 三 … in order (skipping any other)."""
    cuts, expected = [], 1
    for match in matches:
        number = _CN.index(match.group(1)) + 1
        if number == expected and accept(match):
            cuts.append(match.start())
            expected += 1
        elif number == 1 and accept(match) and expected > 2:
            break  # a second numbering starts: not the report's own headings
    return cuts


_SUFFIX = re.compile(r"[^\d\s。，、；：,;:]{0,6}?(?:情况|事项|措施)")


def _heading_end(part: str, titles: list[str], keywords: tuple[str, ...]) -> int:
    """Where a heading run together with its text ends: after the official title, else after
    the last section keyword in its first words (and a closing 情况/事项/措施)."""
    title = next((t for t in titles if part.startswith(t)), None)
    if title:
        return len(title)
    head = part[:32]
    ends = [head.find(k) + len(k) for k in keywords if k in head]
    if not ends:
        return 0
    end = max(ends)
    suffix = _SUFFIX.match(part, end)
    return suffix.end() if suffix else end


def split_points(text: str) -> list[int]:
    keywords = _keywords()

    def top(match) -> bool:
        after = text[match.end():match.end() + 24]
        return not after.startswith(table_row_openings()) and any(k in after for k in keywords)

    cuts = _ascending(_TOP.finditer(text), top)
    if len(cuts) < MIN_SECTIONS:
        return []  # a long paragraph with an enumeration in it, not a whole report on one line
    bounds = [0, *cuts, len(text)]
    titles = [w.ordinal + "、" + w.title for w in section_vocabulary()]
    for start, end in zip(bounds, bounds[1:]):
        part = text[start:end]
        if start in cuts:  # "一、总体情况2021年，…": the heading on its own line
            cuts.append(start + _heading_end(part, titles, keywords))

        def sub(match, part=part) -> bool:  # （一）after a sentence, or right under the heading …
            if _TABLE_ROW.match(part, match.end()):
                return False  # … but not a flattened table row ("（一）予以公开330000033")
            return bool(_SUB_BEFORE.search(part[:match.start()])) or (match.start() <= 24 and "。" not in part[:match.start()])

        cuts += [start + c for c in _ascending(_SUB.finditer(part), sub) if c]
    return sorted(set(c for c in cuts if 0 < c < len(text)))


def reflow(block: TextBlock) -> list[TextBlock]:
    """The block cut at its embedded headings (unchanged unless it is long and has them)."""
    text = block.text
    if len(text) < LONG:
        return [block]
    cuts = split_points(text)
    if len(cuts) < 2:
        return [block]
    pieces = []
    for start, end in zip([0, *cuts], [*cuts, len(text)]):
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        offset = start + (len(piece) - len(piece.lstrip()))
        pieces.append(replace(block, text=stripped, loc=Loc(block.loc.line, block.loc.column + offset,
                                                            block.loc.page, block.loc.unit), shifts=()))
    return pieces
