"""PDF: the text layer read through PDFium (pypdfium2) — characters with their boxes, lines rebuilt
from them, tables found from the ruling lines — and, for a scanned page, Tesseract's reading of it.

Each page gives its tables and the text lines outside them, in reading order; a position is
(page, line on that page). A table continued on the next page is one table; page numbers and
running headers and footers are not report text."""

from __future__ import annotations

import re
import time

from checker.ingest.document import CellText, Change, IngestError, Loc, TableBlock, TextBlock
from checker.ingest.sandbox import limits
from checker.ingest.pdf_layout import Grid, Line, find_grids, lines_of
from checker.ingest.pdf_page import PageContent, open_pdf, read_page

MAX_PAGES = 500  # an annual report has 5 to 30
MAX_PAGE_CHARS = 100_000  # a dense page of Chinese text has about 1,500
MAX_SECONDS = 60  # per document: a crafted PDF must not hold a batch for minutes
MAX_OCR_SECONDS = 600  # a scanned report of 30 pages at a few seconds a page
MARGIN = 0.1  # running headers and footers sit in the top and bottom tenth of the page


def _is_text_frame(texts) -> bool:
    """Whether the rows of a drawn frame use one column at most: a box round body text."""
    used = {c for row in texts for c, text in enumerate(row) if text}
    return len(used) <= 1


_PAGE_NUMBER = re.compile(
    r"^[-—–－─~\s]*\d{1,3}[-—–－─~\s]*$|^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$"
    r"|^\d{1,3}\s*/\s*\d{1,3}$"
)
_SENTENCE_END = re.compile(r"[。！？；：!?;:]$")
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．]\D)")
_CAPTION = re.compile(r"^第[一二三四五六七八九十]+条|^信息内容|^[（(]本列数据|^申请人情况|^行政复议")
_DIGITS = re.compile(r"\d+")


def _prose_rows(texts) -> int:
    """How many leading rows hold only a first cell of prose (not a table caption)."""
    count = 0
    for row in texts:
        filled = [c for c, text in enumerate(row) if text]
        if filled != [0] or _CAPTION.match(row[0]):
            break
        count += 1
    return count


def _cells(grid: Grid, page: int, skip: int, first: int) -> tuple:
    """The grid's rows after the first `skip`, as cells: the table's first row on line `first` of
    its page, each row on the next line, each cell with its box."""
    return tuple(
        tuple(
            CellText(
                grid.texts[r][c] or "",
                Loc(
                    first + r - skip,
                    c + 1,
                    page,
                    "page",
                    bbox=(round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1)) if box else None,
                ),
                r,
                c,
            )
            for c, box in enumerate(row)
        )
        for r, row in enumerate(grid.boxes)
        if r >= skip
    )


def _running(pages: list[tuple[PageContent, list[Line]]]) -> set[str]:
    """Texts (digits aside) that recur in the top or bottom margin of at least half the pages, on
    two pages or more: a running header or footer (the agency's name, "第 3 页")."""
    if len(pages) < 2:
        return set()
    seen: dict[str, set[int]] = {}
    for content, lines in pages:
        for line in lines:
            if _in_margin(line, content):
                seen.setdefault(_DIGITS.sub("#", line.text.replace(" ", "")), set()).add(content.number)
    return {text for text, where in seen.items() if len(where) >= 2 and 2 * len(where) >= len(pages)}


def _in_margin(item, content: PageContent) -> bool:
    return item.bottom <= content.height * MARGIN or item.top >= content.height * (1 - MARGIN)


def _is_margin_noise(line: Line, content: PageContent, running: set[str]) -> bool:
    text = line.text.strip()
    if _PAGE_NUMBER.match(text):  # "- 3 -", "— 1 —", "第 2 页": not content
        return True
    return _in_margin(line, content) and _DIGITS.sub("#", text.replace(" ", "")) in running


def _page_items(content: PageContent, running: set[str]):
    """The page's tables and lines, top to bottom: (top, text, Line | None) for a line, and
    (top, None, (Grid, how many of its leading rows were prose)) for a table."""
    grids, free = find_grids(content)
    items = []
    for grid in grids:
        texts = [[text or "" for text in row] for row in grid.texts]
        tops = [next((box[1] for box in row if box), grid.bbox[1]) for row in grid.boxes]
        lead = _prose_rows(texts)
        if lead and not _is_text_frame(texts):
            # prose and table drawn in one frame: the prose rows come out as lines
            for row, top, boxes in zip(texts[:lead], tops, grid.boxes):
                items.append((top, row[0], _row_line(content, boxes, row[0])))
        else:
            lead = 0
        if _is_text_frame(texts[lead:]):
            # a box drawn round body text: its "rows" are lines of prose
            for row, top, boxes in zip(texts[lead:], tops[lead:], grid.boxes[lead:]):
                text = "".join(row).strip()
                if text:
                    items.append((top, text, _row_line(content, boxes, text)))
        elif texts[lead:]:
            items.append((tops[lead], None, (grid, lead)))
    for line in lines_of(free):
        if line.text.strip() and not _is_margin_noise(line, content, running):
            items.append((line.top, line.text.strip(), line))
    items.sort(key=lambda item: item[0])
    return items


def _row_line(content: PageContent, boxes, text: str) -> Line | None:
    """A frame's row of prose as a line: where its characters stand (not the frame's edges), so
    that it is joined with the next as any line is."""
    spans = [box for box in boxes if box]
    glyphs = [
        g
        for g in content.glyphs
        if g.text.strip()
        and any(b[0] <= (g.x0 + g.x1) / 2 <= b[2] and b[1] <= (g.top + g.bottom) / 2 <= b[3] for b in spans)
    ]
    if not glyphs:
        return None
    return Line(
        text,
        min(g.x0 for g in glyphs),
        min(g.top for g in glyphs),
        max(g.x1 for g in glyphs),
        max(g.bottom for g in glyphs),
    )


def _continues(grid_before: Grid, grid: Grid) -> bool:
    """A table at the top of a page continues the one that ended the page before when its columns
    stand where that table's did (within a few points), all of them — with its header repeated
    or not — or when a row was cut by the page break and some of them do."""
    aligned = all(any(abs(x - y) <= 3 for y in grid_before.columns) for x in grid.columns)
    if grid_before.open_bottom and grid.open_top:
        return aligned and len(grid.columns) <= len(grid_before.columns)
    return aligned and len(grid.columns) == len(grid_before.columns)


def _continued(previous: TableBlock, grid_before: Grid, rows: tuple, grid: Grid) -> TableBlock:
    """The rows of the continuation appended, laid on the first part's columns; a repeated header
    (rows equal to the first part's first rows) dropped."""
    width = len(grid_before.columns)
    place = [min(range(width), key=lambda i: abs(grid_before.columns[i] - x)) for x in grid.columns]
    if grid_before.open_bottom and grid.open_top and rows and previous.rows:
        # the row the page break cut in two: its second part completes the first, cell by cell
        first, *rows = rows
        by_column = {place[c]: cell for c, cell in enumerate(first) if c < len(place)}
        last = tuple(
            CellText(cell.text + (by_column[i].text if i in by_column else ""), cell.loc, cell.row, cell.col)
            for i, cell in enumerate(previous.rows[-1])
        )
        previous = TableBlock(previous.rows[:-1] + (last,), previous.loc)
    start = len(previous.rows)
    laid = []
    for r, row in enumerate(rows):
        by_column = {place[c]: cell for c, cell in enumerate(row) if c < len(place)}
        laid.append(
            tuple(
                CellText(by_column[i].text, by_column[i].loc, start + r, i)
                if i in by_column
                else CellText("", row[0].loc, start + r, i)
                for i in range(width)
            )
        )
    header = 0
    while (
        header < min(len(laid), len(previous.rows))
        and [c.text for c in laid[header]] == [c.text for c in previous.rows[header]]
        and any(c.text for c in laid[header])
    ):
        header += 1
    kept = [tuple(CellText(c.text, c.loc, start + r, c.col) for c in row) for r, row in enumerate(laid[header:])]
    return TableBlock(previous.rows + tuple(kept), previous.loc)


def preload() -> None:
    """What reading a PDF imports, imported in the checker's own process before the sandbox forks
    (a child's imports die with it: without this every PDF paid for pdfplumber's import again)."""
    import pdfplumber.table  # noqa: F401
    import pdfplumber.utils  # noqa: F401
    import pypdfium2  # noqa: F401


def read_pdf(data: bytes, extend=None) -> tuple[list, dict]:
    """The PDF's blocks and meta. Run in the sandbox (ingest.sandbox): `extend` asks it for the
    time OCR of the scanned pages needs."""
    from pypdfium2 import PdfiumError

    deadline = time.monotonic() + min(MAX_SECONDS, limits().seconds * 0.9)
    try:
        pdf = open_pdf(data)
    except PdfiumError as error:
        if "password" in str(error).lower() or b"/Encrypt" in data:
            raise IngestError("PDF 已加密（需要密码），无法读取；请提供未加密的版本") from error
        _unreadable(error)
    try:
        return _read(pdf, deadline, extend)
    except IngestError:
        raise
    except Exception as error:  # PDFium and the table finder on a broken file: all mean the same
        _unreadable(error)
    finally:
        pdf.close()


def _read(pdf, deadline: float, extend=None) -> tuple[list, dict]:
    count = len(pdf)
    if count > MAX_PAGES:
        raise IngestError(f"PDF 有 {count} 页，超过 {MAX_PAGES} 页上限，不是一份年度报告")
    contents: list[PageContent] = []
    for index in range(count):
        if time.monotonic() > deadline:
            raise IngestError(f"PDF 过于复杂，读取时限内未能读完（读到第 {index + 1} 页）", kind="limit")
        content = read_page(pdf, index)
        if len(content.glyphs) > MAX_PAGE_CHARS:
            raise IngestError(f"PDF 第 {index + 1} 页有 {len(content.glyphs)} 个字符，远超一页报告，未读取")
        contents.append(content)
    blank = sum(1 for content in contents if not content.glyphs)
    ocr_pages = _ocr(pdf, contents, extend)
    running = _running(
        [(content, lines_of([g for g in content.glyphs if _in_margin(g, content)])) for content in contents]
    )
    blocks: list = []
    boxes: dict[int, Line | None] = {}  # id(text block) → its line on the page
    grids: dict[int, Grid] = {}  # id(table block) → the grid of its last part
    chars = 0
    for content in contents:
        number = 0  # the line on the page: a table row counts as one line
        for position, (_, item, extra) in enumerate(_page_items(content, running)):
            number += 1
            if item is None:  # a table
                grid, lead = extra
                rows = _cells(grid, content.number, lead, number)
                number += len(rows) - 1
                chars += sum(len(c.text) for row in rows for c in row)
                before = blocks[-1] if blocks and position == 0 else None
                if isinstance(before, TableBlock) and _continues(grids[id(before)], grid):
                    first_part = grids.pop(id(before))
                    blocks[-1] = _continued(before, first_part, rows, grid)
                    grids[id(blocks[-1])] = first_part  # a third page lays on the same columns
                    continue
                blocks.append(TableBlock(rows, Loc(number - len(rows) + 1, 1, content.number, "page")))
                grids[id(blocks[-1])] = grid
            else:
                chars += len(item)
                bbox = _box(extra) if extra else None
                blocks.append(TextBlock(item, Loc(number, 1, content.number, "page", bbox=bbox)))
                boxes[id(blocks[-1])] = extra
    if chars == 0:
        from checker.ingest.pdf_ocr import INSTALL_HINT

        if ocr_pages:
            raise IngestError(
                f"PDF 没有文字层，文字识别（OCR）在 {len(ocr_pages)} 页图像中也未识别出文字；请提供可复制文字的版本",
                kind="scanned",
            )
        hint = INSTALL_HINT + "，或" if blank else ""
        raise IngestError(f"PDF 没有文字层（可能是扫描件），无法检查；{hint}请提供可复制文字的版本", kind="scanned")
    meta: dict = {"ocr_pages": sorted(ocr_pages)} if ocr_pages else {}
    hidden = []  # text laid off the page: not read (nobody sees it), but said
    for content in contents:
        if content.hidden:
            lines = lines_of(content.hidden)
            text = " ".join(line.text for line in lines)
            hidden.append(Change("offpage", Loc(1, 1, content.number, "page", bbox=_box(lines[0])), text))
    if hidden:
        meta["changes"] = hidden
    return _join_lines(blocks, boxes), meta


def _box(line: Line) -> tuple[float, float, float, float]:
    return round(line.x0, 1), round(line.top, 1), round(line.x1, 1), round(line.bottom, 1)


def _ocr(pdf, contents: list[PageContent], extend=None) -> set[int]:
    """Pages without a text layer read by Tesseract, when it is installed; their numbers. OCR has
    its own time, by the number of pages to read (sandbox.Limits.ocr_budget)."""
    blank = [i for i, content in enumerate(contents) if not content.glyphs]
    if not blank:
        return set()
    from checker.ingest.pdf_ocr import ocr_page, tesseract

    program = tesseract()
    if not program:
        return set()
    done = set()
    budget = min(MAX_OCR_SECONDS, limits().ocr_budget(len(blank)))
    if extend is not None:
        extend(budget + 10)
    deadline = time.monotonic() + budget
    for index in blank:
        if time.monotonic() > deadline:
            raise IngestError(
                f"扫描件识别超时（{budget:g} 秒的识别时限内未能识别完，读到第 {index + 1} 页）", kind="limit"
            )
        try:
            contents[index] = ocr_page(pdf, index, program)
        except IngestError:
            raise
        except Exception as error:  # Tesseract failing on one page leaves that page unread
            raise IngestError(f"扫描件第 {index + 1} 页文字识别失败：{error}") from error
        done.add(index + 1)
    return done


def _unreadable(error: Exception):
    """PDFium and the table finder raise many kinds of error on broken files; all mean the same here."""
    raise IngestError(f"PDF 无法解析（文件可能已损坏）：{type(error).__name__}") from error


def _join_lines(blocks: list, boxes: dict) -> list:
    """A PDF gives lines, not paragraphs. A line that runs to the right margin continues on the
    next line when that one starts at the left margin (a new paragraph is indented), across a
    page break too; the joined paragraph keeps the position of its first line.

    "Runs to the margin" allows two characters and a half short of it: ragged text, and a line
    broken early because "一、" may not be split. Where the document marks its paragraphs —
    by indenting their first lines, or by spacing between them — a line ending a sentence, or
    one beginning like a heading, also ends a paragraph; where it marks them by neither (a web
    page printed), the lines alone say it, and a flowing paragraph breaks anywhere."""
    lines = [boxes.get(id(b)) for b in blocks]
    known = [box for box in lines if box]
    if len(known) < 2:
        return blocks
    char = _middle(line.bottom - line.top for line in known)
    left = _middle((line.x0 for line in known), 0.1)
    right = _middle((line.x1 for line in known if line.x1 - line.x0 > 10 * char), 0.9) or max(b.x1 for b in known)
    steps = _steps(blocks, lines)
    pitch = _middle(steps, 0.25) if len(steps) >= 4 else None  # the usual step within a paragraph
    spaced = bool(pitch) and _spaced_paragraphs(pitch, steps)
    indented = sum(1 for line in known if left + 1.5 * char <= line.x0 <= left + 4.5 * char) >= 0.03 * len(known)
    out: list = []
    previous = previous_block = None
    for block, box in zip(blocks, lines):
        joinable = (
            out
            and box
            and previous
            and isinstance(out[-1], TextBlock)
            and box.x0 <= left + 0.5 * char
            and previous.x1 >= right - _allowance(block.text) * char
        )
        usual_step = (
            joinable and spaced and block.loc.page == previous_block.loc.page and box.top - previous.top <= pitch * 1.15
        )
        if joinable and (indented or spaced) and not usual_step:
            joinable = not _SENTENCE_END.search(out[-1].text) and not _HEADING_START.match(block.text)
        if joinable:
            out[-1] = TextBlock(out[-1].text + block.text, out[-1].loc, out[-1].hint)
        else:
            out.append(block)
        previous, previous_block = (box, block) if isinstance(block, TextBlock) else (None, None)
    return out


# what a line may open with that cannot be broken: a character held to the closing mark after
# it, then digits or Latin letters ("形）380000038", "（www.gov.cn", "00000003.")
_WORD = re.compile(r"(?:\S?[）)」』”’，。、：；！？])?[（(“\"]?[0-9A-Za-z][0-9A-Za-z.,%/:_\-]*")


def _allowance(text: str) -> float:
    """How many characters short of the margin a line may end and still run on into `text`:
    two and a half (ragged text, "一、" kept together), or room for the word `text` opens with
    when that is a run of digits or Latin letters, which is not broken (a flattened table's
    "00000003.", an address)."""
    word = _WORD.match(text)
    return max(2.5, 0.6 * len(word.group(0)) + 1) if word else 2.5


def _middle(values, share: float = 0.5) -> float | None:
    """The value at `share` of the way through the sorted values (a robust margin or size)."""
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)] if ordered else None


def _steps(blocks: list, lines: list) -> list[float]:
    """From each line's top to the next's, on the same page."""
    return [
        b.top - a.top
        for (x, a), (y, b) in zip(zip(blocks, lines), zip(blocks[1:], lines[1:]))
        if a and b and x.loc.page == y.loc.page and b.top > a.top
    ]


def _spaced_paragraphs(pitch: float, steps: list[float]) -> bool:
    """Whether the document sets its paragraphs apart (a step well over the usual one is common
    between consecutive lines); only then does the usual step say "same paragraph"."""
    return sum(1 for step in steps if step > pitch * 1.3) >= max(2, len(steps) // 20)
