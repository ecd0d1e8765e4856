"""Line-level tokens for grammars/report.lark: each block of the normalised Document becomes
one token (TITLE, H1 …). Classification needs a little context that a context-free grammar
cannot express — where the title ends, which dates close the report, a table row label that
only looks like a heading — so it is done here, and the grammar states the structure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.ingest.document import Block, TableBlock, TextBlock
from checker.numerals import ordinal_value
from checker.reflow import HEADING_SPAN

CN = "一二三四五六七八九十"
H1 = re.compile(rf"^([{CN}]{{1,3}})\s*[、.．]\s*")
H2 = re.compile(rf"^[（(]\s*([{CN}]{{1,3}})\s*[)）]\s*[、.．]?\s*")
H3 = re.compile(r"^(?:(\d{1,2})\s*[、.．](?!\d)|[（(]\s*(\d{1,2})\s*[)）])\s*")
LIST = re.compile(rf"^([{CN}]{{1,3}})是")
DATE = re.compile(
    r"^[（(]?\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|"
    r"[〇○零一二三四五六七八九OＯ]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日|"
    r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2})\s*[)）]?$"
)
TITLE_WORDS = re.compile(r"政府信息公开|信息公开|政务公开|年度报告|工作报告")
SENTENCE_END = re.compile(r"[。；;!！?？]")
AGENCY_END = re.compile(r"(?:局|委|委员会|办|办公室|办公厅|政府|厅|会|室|中心|院|处|所|站|街道|镇|乡|管委会|公司|部)$")
# Rows of the official tables: when such a line turns up as "一、…" it is a table row, not a heading.
_COLON = re.compile(r"[:：]")
_PUNCTUATION = re.compile(r"[，,。；：:]")
_YEAR_FIRST = re.compile(r"^\d{4}\s*年")
_YEAR_LAST = re.compile(r"\s*(?:19|20)\d{2}\s*年度?$")  # "云溪县财政局2024年" over "政府信息公开工作年度报告"
_TITLE_TAIL = re.compile(r"报告|年度|工作")
_SPACE = re.compile(r"\s+")
TABLE_ROW = re.compile(r"本年新收|上年结转|本年度办理结果|结转下年度|予以公开|不予公开|无法提供|不予处理|其他处理")


@dataclass(slots=True, unsafe_hash=True)  # immutable by convention: see Loc
class Line:
    """A classified block: the token type and, for headings, the parts of the line."""

    kind: str
    block: Block
    ordinal: str = ""
    number: int = 0
    heading: str = ""
    rest: str = ""  # the paragraph text after an inline heading
    rest_offset: int = 0
    marker: str | None = None


def _split_heading(text: str, match: re.Match) -> tuple[str, str, int]:
    """一、领导重视，责任落实。我局领导… → heading 领导重视，责任落实 and the paragraph after it."""
    body = text[match.end() :]
    stop = SENTENCE_END.search(body)
    colon = _COLON.search(body)
    cut = None
    if stop and stop.start() <= HEADING_SPAN:
        cut = stop
    if colon and colon.start() <= HEADING_SPAN and (cut is None or colon.start() < cut.start()):
        cut = colon
    if cut is None and len(body.strip()) > HEADING_SPAN:
        # no sentence end near: a capture's space (where a line break stood) ends the heading
        cut = _SPACE.search(body, len(body) - len(body.lstrip()), HEADING_SPAN)
    if cut is not None:
        heading = body[: cut.start()].strip()
        rest = body[cut.end() :].strip()
        offset = match.end() + cut.end() + (len(body[cut.end() :]) - len(body[cut.end() :].lstrip()))
        return heading, rest, offset
    return body.strip(), "", 0


def _heading(block: TextBlock, kind: str, match: re.Match, number: int) -> Line:
    heading, rest, offset = _split_heading(block.text, match)
    ordinal = block.text[: match.end()].strip()
    return Line(kind, block, ordinal, number, heading, rest, offset)


def _is_title_line(text: str) -> bool:
    return len(text) <= 60 and not SENTENCE_END.search(text) and not text.endswith(("：", ":"))


def _is_agency_line(text: str) -> bool:
    return len(text) <= 30 and not _PUNCTUATION.search(text) and bool(AGENCY_END.search(text))


def classify(blocks: tuple[Block, ...]) -> list[Line]:
    lines: list[Line] = []
    text_indexes = [i for i, b in enumerate(blocks) if isinstance(b, TextBlock)]
    title = _find_title(blocks, text_indexes)
    last_h1 = 0
    for index, block in enumerate(blocks):
        if isinstance(block, TableBlock):
            lines.append(Line("TABLE", block))
            continue
        if index in title:
            lines.append(Line("TITLE", block))
            continue
        if title and index < min(title):
            lines.append(Line("PRE", block))  # a stray line above the title ("正文")
            continue
        text = block.text
        if match := H1.match(text):
            number = ordinal_value(match.group(1)) or 0
            row_label = TABLE_ROW.search(text) and number <= last_h1
            if number and not row_label and len(text) > match.end():
                last_h1 = number
                lines.append(_heading(block, "H1", match, number))
                continue
        elif match := H2.match(text):
            number = ordinal_value(match.group(1)) or 0
            if number and len(text) > match.end():
                lines.append(_heading(block, "H2", match, number))
                continue
        elif (match := H3.match(text)) and len(text) > match.end():
            lines.append(_heading(block, "H3", match, int(match.group(1) or match.group(2))))
            continue
        marker = LIST.match(text)
        lines.append(Line("PARA", block, marker=marker.group(0) if marker else None))
    _mark_dates(lines)
    return lines


def _find_title(blocks, text_indexes) -> set[int]:
    """The title: the first short line naming the report (信息公开 / 年度报告), joined with a
    continuation line ("…政府信息公开" + "工作年度报告") or an agency line above it."""
    for position, index in enumerate(text_indexes[:8]):
        block = blocks[index]
        text = block.text
        if H1.match(text) or H2.match(text):
            return set()
        if not (_is_title_line(text) and (TITLE_WORDS.search(text) or block.hint == 1)):
            if len(text) > 60:
                return set()
            continue
        chosen = [index]
        if position > 0:  # a title centred over two lines: the agency (and the year) above the rest
            before = blocks[text_indexes[position - 1]]
            agency_only = _is_agency_line(before.text) and _YEAR_FIRST.match(text)
            with_year = (
                not _YEAR_FIRST.match(text)
                and _YEAR_LAST.search(before.text)
                and _is_agency_line(_YEAR_LAST.sub("", before.text))
            )
            if agency_only or with_year:
                chosen.insert(0, text_indexes[position - 1])
        joined = text
        for following in text_indexes[position + 1 : position + 3]:
            nxt = blocks[following].text
            if joined.endswith("报告") or not _is_title_line(nxt) or len(nxt) > 20:
                break
            if H1.match(nxt) or H2.match(nxt) or DATE.match(nxt) or not _TITLE_TAIL.search(nxt):
                break
            chosen.append(following)
            joined += nxt
        return set(chosen)
    return set()


def _mark_dates(lines: list[Line]) -> None:
    """Date lines: the last one closes the report (with the signature above it); those before
    the first heading belong to the lead; any other stays a paragraph."""
    first_heading = next((i for i, line in enumerate(lines) if line.kind in ("H1", "H2", "H3")), len(lines))
    last = len(lines) - 1
    while (
        last >= 0
        and lines[last].kind == "PARA"
        and len(lines[last].block.text) <= 2
        and not DATE.match(lines[last].block.text)
    ):
        last -= 1  # a stray dash or page number after the date
    if last >= 0 and lines[last].kind == "PARA" and DATE.match(lines[last].block.text) and last > first_heading:
        lines[last] = Line("CLOSE_DATE", lines[last].block)
        if last > 0 and lines[last - 1].kind == "PARA" and _is_agency_line(lines[last - 1].block.text):
            lines[last - 1] = Line("CLOSE_SIGN", lines[last - 1].block)
    for i in range(min(first_heading, len(lines))):
        line = lines[i]
        if line.kind != "PARA":
            continue
        text = line.block.text
        if DATE.match(text):
            lines[i] = Line("LEAD_DATE", line.block)
            if i > 0 and lines[i - 1].kind == "PARA" and _is_agency_line(lines[i - 1].block.text):
                lines[i - 1] = Line("LEAD_SIGN", lines[i - 1].block)
        elif text.endswith(("：", ":")) and len(text) <= 40 and not SENTENCE_END.search(text):
            lines[i] = Line("ADDR", line.block)
