"""PDF with a text layer, through pdfplumber (pdfminer's layout analysis plus a table finder
that works from ruling lines, which is how these reports' tables are drawn).

Each page gives its tables and the text lines outside them, in reading order; a position is
(page, line on that page)."""

from __future__ import annotations

import io
import re
import time

from checker.ingest.document import CellText, IngestError, Loc, TableBlock, TextBlock


MAX_PAGES = 500  # an annual report has 5 to 30
MAX_PAGE_CHARS = 100_000  # a dense page of Chinese text has about 1,500
MAX_SECONDS = 60  # per document: a crafted PDF must not hold a batch for minutes


def _outside(bboxes):
    def keep(obj) -> bool:
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in bboxes)

    return keep


def _is_text_frame(rows) -> bool:
    used = {c for row in rows for c, cell in enumerate(row) if cell.text}
    return len(used) <= 1


_PAGE_NUMBER = re.compile(r"^[-—–－─~\s]*\d{1,3}[-—–－─~\s]*$|^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$")
_SENTENCE_END = re.compile(r"[。！？；：!?;:]$")
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．]\D)")
_CAPTION = re.compile(r"^第[一二三四五六七八九十]+条|^信息内容|^[（(]本列数据|^申请人情况|^行政复议")


def _prose_rows(rows) -> int:
    """How many leading rows hold only a first cell of prose (not a table caption)."""
    count = 0
    for row in rows:
        filled = [cell for cell in row if cell.text]
        if len(filled) != 1 or filled[0] is not row[0] or _CAPTION.match(row[0].text):
            break
        count += 1
    return count


def _row_tops(table):
    tops = [row.bbox[1] for row in table.rows]
    return tops + [table.bbox[3]] * (len(table.rows) - len(tops))


def _cell_box(table, r: int, c: int):
    """The cell's box on the page (x0, top, x1, bottom), or None for a slot a merged cell covers."""
    try:
        box = table.rows[r].cells[c]
    except (IndexError, AttributeError):
        return None
    return tuple(round(v, 1) for v in box) if box else None


def _at_lines(rows, first: int):
    """The cells of a table whose first row is line `first` of its page, each at its row's line."""
    out = []
    for r, row in enumerate(rows):
        new = []
        for cell in row:
            loc = cell.loc
            new.append(CellText(cell.text, Loc(first + r, loc.column, loc.page, loc.unit, bbox=loc.bbox),
                                cell.row, cell.col))
        out.append(tuple(new))
    return tuple(out)


def _quiet_pdfminer():
    """pdfminer's parser calls logger.debug for every token (about 25 000 calls a page); the
    calls alone are a twentieth of reading a PDF. When nobody listens at DEBUG, they go to a
    no-op on those loggers (anyone who turns DEBUG on before reading still gets the messages)."""
    import logging

    for name in ("psparser", "pdfinterp", "pdfpage", "pdfparser", "pdfdocument", "pdffont", "cmapdb", "converter"):
        logger = logging.getLogger(f"pdfminer.{name}")
        if not logger.isEnabledFor(logging.DEBUG):
            logger.debug = _no_op


def _no_op(*args, **kwargs):
    return None


def read_pdf(data: bytes) -> list:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError as error:  # pragma: no cover - dependency of the package
        raise IngestError(f"缺少 PDF 支持库：{error}") from error
    _quiet_pdfminer()
    blocks: list = []
    boxes: dict[int, tuple] = {}  # id(text block) → (x0, x1) of its line
    chars = 0
    deadline = time.monotonic() + MAX_SECONDS
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise IngestError(f"PDF 有 {len(pdf.pages)} 页，超过 {MAX_PAGES} 页上限，不是一份年度报告")
            for page_no, page in enumerate(pdf.pages, 1):
                if time.monotonic() > deadline:
                    raise IngestError(f"PDF 过于复杂，{MAX_SECONDS} 秒内未能读完（读到第 {page_no} 页）")
                if len(page.chars) > MAX_PAGE_CHARS:
                    raise IngestError(f"PDF 第 {page_no} 页有 {len(page.chars)} 个字符，远超一页报告，未读取")
                items = []
                tables = page.find_tables()
                for table in tables:
                    rows = table.extract()
                    cells = tuple(
                        tuple(CellText((text or "").replace("\n", "").strip(),
                                       Loc(1, c + 1, page_no, "page", bbox=_cell_box(table, r, c)), r, c)
                              for c, text in enumerate(row))
                        for r, row in enumerate(rows))
                    lead = _prose_rows(cells)
                    if lead and not _is_text_frame(cells):
                        # prose and table drawn in one frame: the prose rows come out as lines
                        tops = _row_tops(table)
                        for row, top in zip(cells[:lead], tops):
                            items.append((top, row[0].text, None))
                        cells = cells[lead:]
                    if _is_text_frame(cells):
                        # a box drawn round body text: its "rows" are lines of prose
                        for row, top in zip(cells, _row_tops(table)):
                            text = "".join(c.text for c in row).strip()
                            if text:
                                items.append((top, text, None))
                    elif cells:
                        items.append((table.bbox[1], TableBlock(cells, Loc(1, 1, page_no, "page")), None))
                outside = page.filter(_outside([t.bbox for t in tables])) if tables else page
                for line in outside.extract_text_lines(return_chars=False):
                    text = line["text"].strip()
                    if text and not _PAGE_NUMBER.match(text):  # "- 3 -", "— 1 —", "第 2 页": not content
                        chars += len(text)
                        items.append((line["top"], text, (line["x0"], line["x1"])))
                items.sort(key=lambda item: item[0])
                number = 0  # the line on the page: a table row counts as one line
                for _, item, box in items:
                    number += 1
                    if isinstance(item, TableBlock):
                        blocks.append(TableBlock(_at_lines(item.rows, number), Loc(number, 1, page_no, "page")))
                        number += len(item.rows) - 1
                        chars += sum(len(c.text) for row in item.rows for c in row)
                    else:
                        blocks.append(TextBlock(item, Loc(number, 1, page_no, "page")))
                        boxes[id(blocks[-1])] = box
    except IngestError:
        raise
    except PDFPasswordIncorrect as error:
        raise IngestError("PDF 已加密，无法读取") from error
    except Exception as error:
        if b"/Encrypt" in data or "password" in repr(error).lower():
            raise IngestError("PDF 已加密（需要密码），无法读取；请提供未加密的版本") from error
        _unreadable(error)
    if chars == 0:
        raise IngestError("PDF 没有文字层（可能是扫描件），无法检查；请提供可复制文字的版本", kind="scanned")
    return _join_lines(blocks, boxes)


def _unreadable(error: Exception):
    """pdfminer raises many kinds of error on broken files; all of them mean the same here."""
    raise IngestError(f"PDF 无法解析（文件可能已损坏）：{type(error).__name__}") from error


def _join_lines(blocks: list, boxes: dict) -> list:
    """A PDF gives lines, not paragraphs. A line that runs to the right margin without ending
    its sentence continues on the next line when that one starts at the left margin (a new
    paragraph is indented), across a page break too; the joined paragraph keeps the position
    of its first line."""
    lines = [boxes.get(id(b)) for b in blocks]
    known = [box for box in lines if box]
    if not known:
        return blocks
    left = min(x0 for x0, _ in known)
    right = max(x1 for _, x1 in known)
    width = (right - left) / 40  # about one character (reports run ~28-40 characters a line)
    out: list = []
    previous_box = None
    for block, box in zip(blocks, lines):
        joinable = (out and box and previous_box and isinstance(out[-1], TextBlock)
                    and previous_box[1] >= right - 1.5 * width and box[0] <= left + 0.5 * width
                    and not _SENTENCE_END.search(out[-1].text) and not _HEADING_START.match(block.text))
        if joinable:
            out[-1] = TextBlock(out[-1].text + block.text, out[-1].loc, out[-1].hint)
        else:
            out.append(block)
        previous_box = box if isinstance(block, TextBlock) else None
    return out
