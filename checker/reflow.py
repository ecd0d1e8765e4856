"""Flattened text: a web page scraped into one long line, or into lines broken anywhere, its
headings embedded mid-line ("…政府建设。（一）主动公开方面。…二、主动公开政府信息情况 第二十条第（一）项…").
The document's own top-level headings are found across all its lines — those that open a line
first, then the numbers still missing, mid-line, between them — and each line is cut before such a
heading, after the heading's words, and before the sub-headings right under it, so the grammar sees
the report's structure however the capture broke the lines. Only headings are cut: the text
between them is kept whole (a flattened table stays one paragraph, for facts to read), and each
piece keeps its position in the original line."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Callable, Iterator, Sequence

from checker.ingest.document import Block, Loc, TextBlock
from checker.numerals import ordinal_value
from checker.vocab import outline_2008, section_vocabulary, table_row_openings

MIN_SECTIONS = 3  # headings cut mid-line only when the report shows at least this many of its own
# (a flattened table's last figure may stand right before the next heading: "…0000五、存在的…")
_AFTER_BREAK = re.compile(r"[。！？!?]\s+$")  # "…。 二、落实各项制度": a space where a line break stood
_TOP = re.compile(r"(?<![（(一二三四五六七八九十])([一二三四五六七八九十]{1,2})、")
_LINE_TOP = re.compile(r"^[\s#*>•·]*([一二三四五六七八九十]{1,2})\s*、")  # (after a markdown mark too)
_SUB = re.compile(r"(?<!第)[（(]([一二三四五六七八九十])[)）]")
_SUB_BEFORE = re.compile(r"[。；;：:！？\s]$")
_TABLE_ROW = re.compile(r"[^。，,：:；;\d]{1,40}?\d")  # a label running straight into its figures
_BODY_START = re.compile(r"[\s\d（(]")  # what opens the text run on after a heading: 2024年, （一）
_HEADING_STOP = re.compile(r"[。；;!！?？:：]")
HEADING_SPAN = 45  # a heading ends at a sentence end this near (the lexer reads it so)
# row labels of the official tables look like headings ("一、本年新收…", "四、结转下年度…"):
# how they begin comes from the layout YAML (vocab.table_row_openings)
_CN = "一二三四五六七八九十"
# a title run on into the body on the first line: "云溪县财政局2024年政府信息公开工作年度报告 一、总体情况…"
_TITLE_RUN = re.compile(
    r"\s*[^。，；：:\s]{2,40}?(?:19|20)\d{2}\s*年度?[^。，；：:]{0,12}?(?:信息公开|政务公开)[^。，；：:]{0,12}?报告"
)
_TITLE_LINES = 8  # the title is among the first lines
_TITLE_REACH = 160  # … and, on a line that runs on, after at most a breadcrumb
# a page's meta run on after the title: "发布时间:2024-03-08 09:17来源:办公室 "
_META_RUN = re.compile(
    r"(?:\s*(?:发布时间|发布日期|更新时间|时间|日期|来源|作者|浏览次数|点击数|字号)\s*[:：]\s*[^\s]*"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)+"
)
# the signature run on after the last sentence: "…水平。 云溪县财政局 2025年1月20日"
_CLOSING_RUN = re.compile(
    r"(?<=[。！？!?])\s*((?:[^\s。，；]{2,30}\s+)?)((?:\d{4}|[〇○零一二三四五六七八九OＯ]{4})\s*年\s*"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)\s*$"
)


@cache
def _keywords() -> tuple[str, ...]:
    words = {k for w in section_vocabulary() for k in w.keywords}
    return tuple(sorted(words | {"概述", "收费", "减免"}, key=len, reverse=True))


@cache
def _titles() -> tuple[str, ...]:
    """Sections' titles as the formats and the 条例 word them, longest first."""
    words = {t for w in section_vocabulary() for t in (w.title, *w.statutory)} | set(outline_2008())
    return tuple(sorted(words, key=len, reverse=True))


_SUFFIX = re.compile(r"[^\d\s。，、；：,;:]{0,6}?(?:情况|事项|措施)")


def _heading_end(part: str, titles: list[str], keywords: tuple[str, ...]) -> int:
    """Where a heading run together with its text ends (`part` starts after "二、"): after the
    official title, else after the last section keyword in its first words (and a closing
    情况/事项/措施); 0 when its words are not a section's."""
    lead = len(part) - len(part.lstrip())
    part = part.lstrip()
    title = next((t for t in titles if part.startswith(t)), None)
    if title:
        return lead + len(title)
    head = part[:32]
    ends = [head.find(k) + len(k) for k in keywords if k in head]
    if not ends:
        return 0
    end = max(ends)
    suffix = _SUFFIX.match(part, end)
    return lead + (suffix.end() if suffix else end)


@dataclass(frozen=True, slots=True)
class _Heading:
    block: int
    start: int  # where "二、" begins in the block's text
    end: int  # just after "、"
    number: int
    mid_line: bool


def _is_top(text: str, end: int, keywords: tuple[str, ...]) -> bool:
    after = text[end : end + 24].lstrip()
    return not after.startswith(table_row_openings()) and any(k in after for k in keywords)


def _candidates(texts: Sequence[str | None], keywords) -> tuple[list[_Heading], list[_Heading]]:
    """Headings that open a line, and section headings standing mid-line, in document order."""
    starts, inside = [], []
    for index, text in enumerate(texts):
        if text is None:
            continue
        if (match := _LINE_TOP.match(text)) and not text[match.end() :].lstrip().startswith(table_row_openings()):
            starts.append(_Heading(index, match.start(1), match.end(), ordinal_value(match.group(1)) or 0, False))
        for match in _TOP.finditer(text):
            before = text[: match.start()]
            if before.strip(" \t#*>•·") and (_is_top(text, match.end(), keywords) or _AFTER_BREAK.search(before)):
                inside.append(_Heading(index, match.start(), match.end(), ordinal_value(match.group(1)) or 0, True))
    return starts, inside


def _key(heading: _Heading) -> tuple[int, int]:
    return heading.block, heading.start


def document_headings(texts: Sequence[str | None]) -> list[_Heading]:
    """The report's top-level headings 一, 二, 三 … in order: one that opens a line is taken
    first; a number no line opens is looked for mid-line, after the heading before it and
    before the next line-opening heading of a higher number. Mid-line ones count only when the
    report shows at least MIN_SECTIONS headings in all (else it is an enumeration in prose)."""
    keywords = _keywords()
    starts, inside = _candidates(texts, keywords)
    chosen: list[_Heading] = []
    after = (-1, -1)
    for number in range(1, 21):
        line = next((h for h in starts if h.number == number and _key(h) > after), None)
        if line is None:
            bound = min((_key(h) for h in starts if h.number > number and _key(h) > after), default=None)
            line = next(
                (h for h in inside if h.number == number and _key(h) > after and (bound is None or _key(h) < bound)),
                None,
            )
        if line is not None:
            chosen.append(line)
            after = _key(line)
    if any(h.mid_line for h in chosen) and len(chosen) < MIN_SECTIONS:
        chosen = [h for h in chosen if not h.mid_line]
    return chosen


def _cuts(text: str, headings: list[_Heading], titles, keywords) -> list[int]:
    """Offsets to cut one line at: before each mid-line heading, after a heading's words when
    its text runs straight on, and before the sub-headings right under it."""
    cuts = [h.start for h in headings if h.mid_line or text[: h.start].strip()]  # (or after "## ")
    bounds = [h.start for h in headings] + [len(text)]
    for heading, stop in zip(headings, bounds[1:]):
        part = text[heading.end : stop]
        words = _heading_end(part, titles, keywords)
        if not words or words >= len(part.rstrip()):
            continue
        if not heading.mid_line and len(part.strip()) <= HEADING_SPAN and not part.lstrip().startswith(titles):
            continue  # a short line of its own is the heading, whatever its words
        official = part.lstrip().startswith(titles)
        running_on = official or not _HEADING_STOP.search(part[:HEADING_SPAN]) or _BODY_START.match(part, words)
        if not running_on:
            continue  # "二、积极做好主动公开工作。本年…": the lexer reads a heading up to its full stop
        cuts.append(heading.end + words)

        def sub(match, part=part, words=words) -> bool:  # （一）after a sentence, or right under the heading …
            if _TABLE_ROW.match(part, match.end()):
                return False  # … but not a flattened table row ("（一）予以公开330000033")
            return bool(_SUB_BEFORE.search(part[: match.start()])) or (
                match.start() <= words + 24 and "。" not in part[: match.start()]
            )

        expected = 1
        for match in _SUB.finditer(part, words):
            number = _CN.index(match.group(1)) + 1
            if number == expected and sub(match):
                cuts.append(heading.end + match.start())
                expected += 1
            elif number == 1 and expected > 2:
                break  # a second numbering starts: not this section's own sub-headings
    return sorted(set(c for c in cuts if 0 < c < len(text)))


def _pieces(block: TextBlock, cuts: list[int]) -> list[TextBlock]:
    text, pieces = block.text, []
    for start, end in zip([0, *cuts], [*cuts, len(text)]):
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        offset = start + (len(piece) - len(piece.lstrip()))
        pieces.append(
            replace(
                block,
                text=stripped,
                loc=Loc(block.loc.line, block.loc.column + offset, block.loc.page, block.loc.unit),
                shifts=(),
            )
        )
    return pieces


def _title_cuts(texts: Sequence[str | None]) -> tuple[int | None, list[int]]:
    """The first line when the report's title stands in it and the text runs on (after a
    breadcrumb, before the page's meta and the body): that line and where to cut it."""
    for index, text in enumerate(texts[:_TITLE_LINES]):
        if text is None or not text.strip():
            continue
        match = _TITLE_RUN.search(text, 0, _TITLE_REACH)
        if match and len(text) - match.end() >= 20:
            start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
            meta = _META_RUN.match(text, match.end())
            return index, [start, match.end(), *([meta.end()] if meta and meta.end() > match.end() else [])]
        if match or len(text) > 120:
            break
    return None, []


def _seen(text: str, simplify) -> str:
    """The text as its words are matched: simplified when that keeps every offset."""
    if simplify is None:
        return text
    simplified = simplify(text)
    return simplified if len(simplified) == len(text) else text


def reflow(blocks: Sequence[Block], simplify: Callable[[str], str] | None = None) -> Iterator[tuple[int, Block]]:
    """(index of the original block, block): lines cut at the report's own headings; every
    other block as it was. `simplify` (traditional → simplified script, when the text needs it)
    lets the headings' words be recognised before normalisation converts them."""
    texts = [_seen(b.text, simplify) if isinstance(b, TextBlock) else None for b in blocks]
    by_block: dict[int, list[_Heading]] = {}
    for heading in document_headings(texts):
        by_block.setdefault(heading.block, []).append(heading)
    titles, keywords = _titles(), _keywords()
    title, title_cuts = _title_cuts(texts)
    last = max((i for i, t in enumerate(texts) if t and t.strip()), default=None)
    for index, block in enumerate(blocks):
        cuts = _cuts(texts[index], by_block[index], titles, keywords) if index in by_block else []
        if index == title:
            cuts = sorted({*title_cuts, *cuts} - {0, len(block.text)})
        if index == last and (closing := _CLOSING_RUN.search(texts[index])):
            cuts = sorted({*cuts, closing.start(1), closing.start(2)} - {len(block.text)})
        if cuts:
            for piece in _pieces(block, cuts):
                yield index, piece
        else:
            yield index, block
