"""A scanned page read by Tesseract (Debian's tesseract-ocr with tesseract-ocr-chi-sim): the page
is rasterised by PDFium, Tesseract's word boxes (TSV) become glyphs, and the table's ruling lines
are found in the image itself (long runs of dark pixels), so the rest of the PDF reader — lines,
tables, cells — works on a scan as on a text layer."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from bisect import bisect_right

from checker.ingest.document import IngestError
from checker.ingest.pdf_page import Glyph, PageContent, h_rule, render, v_rule

DPI = 300
MAX_PIXELS = 60_000_000  # an A3 page at 300 dpi is 17.5 million; A4 8.7
BLANK_SHARE = 0.0005  # a page with fewer dark pixels than this share is blank (specks, a scanner's edge)
BLANK_DPI = 36  # … judged on a thumbnail: a line of 9 pt text still darkens its pixels
SECONDS_PER_PAGE = 120
# A horizontal ruling line is at least this long (a character's stroke is shorter); a vertical
# one may be as short as a one-line row, and the table finder keeps only those that meet
# horizontal ones at both ends.
MIN_LINE_INCHES = 0.25
MIN_VERTICAL_INCHES = 0.1
INSET = 4  # pixels trimmed from each side of a cell: the ruling line is not its text
GAP = 40  # white pixels between stacked cells
_FIGURES = re.compile(r"[\d.,，。\-—/\s]*")  # what the page's reading found in a cell of figures
INSTALL_HINT = "安装 Tesseract（Debian/Ubuntu：apt-get install tesseract-ocr tesseract-ocr-chi-sim）后可识别扫描件"


def tesseract() -> str | None:
    """The tesseract program, when it is installed with its simplified-Chinese data."""
    program = os.environ.get("XXGK_TESSERACT") or shutil.which("tesseract")
    if not program:
        return None
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return program if "chi_sim" in listed.stdout.split() else None


_RULES = "|｜丨[]【】"  # a table's ruling line read as a character


def _tesseract(program: str, image, psm: int, digits: bool = False) -> list[tuple[int, int, int, int, str]]:
    """Tesseract's words in `image`: (left, top, width, height, text) in pixels. `digits`: the
    image holds figures only (read with the Latin model, limited to digits and "." "-" "/")."""
    png = io.BytesIO()
    image.save(png, format="PNG")
    language = ["-l", "eng", "-c", "tessedit_char_whitelist=0123456789.-/"] if digits else ["-l", "chi_sim"]
    done = subprocess.run(
        [program, "stdin", "stdout", *language, "--psm", str(psm), "--dpi", str(DPI), "tsv"],
        input=png.getvalue(),
        capture_output=True,
        timeout=SECONDS_PER_PAGE,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace")[-200:])
    words = []
    rows = csv.DictReader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        text = (row.get("text") or "").strip().strip(_RULES)
        if row.get("level") != "5" or not text or float(row.get("conf") or -1) < 0:
            continue
        words.append((int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]), text))
    return words


def _glyph(left: float, top: float, width: float, height: float, text: str) -> Glyph:
    scale = 72 / DPI
    return Glyph(left * scale, top * scale, (left + width) * scale, (top + height) * scale, text)


def _runs(dark, min_length: int) -> list[tuple[int, int, int]]:
    """Runs of True at least `min_length` long in each row of a boolean array: (row, start, end)."""
    import numpy as np

    padded = np.zeros((dark.shape[0], dark.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    change = np.diff(padded, axis=1)
    rows_start, starts = np.nonzero(change == 1)
    _, ends = np.nonzero(change == -1)
    keep = (ends - starts) >= min_length
    return list(zip(rows_start[keep].tolist(), starts[keep].tolist(), ends[keep].tolist()))


def _ruling_lines(image):
    """Horizontal and vertical ruling lines in a greyscale page image, as pdfplumber edges, and
    the image with them painted out (Tesseract reads a table's rules as "|" and "一")."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image)
    dark = pixels < 170  # rules are often grey (a web page's table border)
    scale = 72 / DPI
    cleaned = pixels.copy()
    edges = []
    horizontal = _merge_rows(_runs(dark, int(MIN_LINE_INCHES * DPI)))
    for row, start, end, first, last in horizontal:
        cleaned[max(first - 1, 0) : last + 2, start:end] = 255
        edges.append(h_rule(start * scale, end * scale, row * scale))
    reach = int(0.02 * DPI)  # how near a rule a vertical line must end to meet it

    def meets(x: int, y: int) -> bool:
        return any(abs(row - y) <= reach and start - reach <= x <= end + reach for row, start, end, _, _ in horizontal)

    for col, start, end, first, last in _merge_rows(_runs(dark.T, int(MIN_VERTICAL_INCHES * DPI))):
        if end - start < MIN_LINE_INCHES * DPI and not (meets(col, start) and meets(col, end)):
            continue  # a character's stroke, not a rule between two rules
        cleaned[start:end, max(first - 1, 0) : last + 2] = 255
        edges.append(v_rule(col * scale, start * scale, end * scale))
    return edges, Image.fromarray(cleaned)


def _merge_rows(runs):
    """A line a few pixels thick is one line: runs on adjacent rows that overlap become one."""
    merged: list[list[int]] = []  # [first row, last row, start, end]
    open_runs: list[list[int]] = []
    for row, start, end in sorted(runs):
        for run in open_runs:
            if run[1] >= row - 1 and start < run[3] and end > run[2]:
                run[1], run[2], run[3] = row, min(run[2], start), max(run[3], end)
                break
        else:
            run = [row, row, start, end]
            open_runs.append(run)
            merged.append(run)
        open_runs = [r for r in open_runs if r[1] >= row - 1]
    return [((first + last) // 2, start, end, first, last) for first, last, start, end in merged]


def _cells_read_alone(program: str, image, cleaned, grids, page_glyphs) -> list[Glyph]:
    """Every inked cell of the page's tables read on its own: the cells are cut out, stacked one
    under another with white space between, and read in one Tesseract call per kind — figures
    (a cell where the page's reading found digits or nothing) with the digit model, the rest as
    Chinese. A whole-page reading loses single digits in wide grids and reads a lone "0" as a
    character; a cell alone, read as what it holds, comes out right far more often."""
    import numpy as np

    # Figures are read with the rules painted out (a rule beside a "0" makes it "l0"); words
    # from the page as it is (painting a rule out can take a stroke of a character with it).
    sources = {True: np.asarray(cleaned), False: np.asarray(image)}
    ratio = DPI / 72
    first_reading = _by_cell(grids, page_glyphs)
    pieces: dict[bool, list] = {True: [], False: []}  # digits? → [(origin in the page image, crop)]
    for g, grid in enumerate(grids):
        for r, row in enumerate(grid.boxes):
            for c, box in enumerate(row):
                if box is None:
                    continue
                x0, top, x1, bottom = (
                    int(box[0] * ratio) + INSET,
                    int(box[1] * ratio) + INSET,
                    int(box[2] * ratio) - INSET,
                    int(box[3] * ratio) - INSET,
                )
                if x1 - x0 < 4 or bottom - top < 4:
                    continue
                figures = _FIGURES.fullmatch(first_reading.get((g, r, c), "")) is not None
                crop = sources[figures][top:bottom, x0:x1]
                if (crop < 128).mean() < 0.002:
                    continue  # an empty cell
                pieces[figures].append(((x0, top), crop))
    glyphs = []
    for figures, cut in pieces.items():
        if cut:
            glyphs += _read_stacked(program, cut, figures)
    # A cell the second reading left empty keeps what the page's reading found in it.
    read = set(_by_cell(grids, glyphs))
    return glyphs + [glyph for glyph in page_glyphs if _place(grids, glyph) not in read and _within(grids, glyph)]


def _place(grids, glyph: Glyph) -> tuple[int, int, int] | None:
    """(grid, row, column) of the cell holding the glyph, None when no cell does."""
    from checker.ingest.pdf_layout import placed

    where = placed(grids, glyph)
    return (where[0], *where[1]) if where and where[1] else None


def _within(grids, glyph: Glyph) -> bool:
    """Whether the glyph lies inside one cell (a word read across several cells does not)."""
    place = _place(grids, glyph)
    if place is None:
        return False
    box = grids[place[0]].boxes[place[1]][place[2]]
    return box[0] - 2 <= glyph.x0 and glyph.x1 <= box[2] + 2


def _by_cell(grids, glyphs) -> dict[tuple[int, int, int], str]:
    """What a reading put in each cell."""
    found: dict[tuple[int, int, int], str] = {}
    for glyph in glyphs:
        place = _place(grids, glyph)
        if place:
            found[place] = found.get(place, "") + glyph.text
    return found


def _read_stacked(program: str, pieces: list, figures: bool) -> list[Glyph]:
    import numpy as np
    from PIL import Image

    width = max(crop.shape[1] for _, crop in pieces) + 2 * GAP
    height = sum(crop.shape[0] + GAP for _, crop in pieces) + GAP
    sheet = np.full((height, width), 255, dtype=np.uint8)
    places = []  # (top on the sheet, origin in the page image)
    y = GAP
    for origin, crop in pieces:
        sheet[y : y + crop.shape[0], GAP : GAP + crop.shape[1]] = crop
        places.append((y, origin))
        y += crop.shape[0] + GAP
    starts = [top for top, _ in places]
    glyphs = []
    for left, top, w, h, text in _tesseract(program, Image.fromarray(sheet), 6, digits=figures):
        i = max(bisect_right(starts, top + h / 2) - 1, 0)
        sheet_top, (x0, y0) = places[i]
        glyphs.append(_glyph(left - GAP + x0, top - sheet_top + y0, w, h, text))
    return glyphs


def _blank(image) -> bool:
    """Whether a greyscale thumbnail of a page has (almost) no pixel that is not near white: at
    this size a line of text is a light grey smear, so anything darker than near white counts."""
    marked = sum(image.histogram()[:230])
    return marked <= BLANK_SHARE * image.width * image.height


def ocr_page(pdf, index: int, program: str) -> PageContent:
    from checker.ingest.pdf_layout import find_grids

    page = pdf[index]
    try:
        points = page.get_size()
    finally:
        page.close()
    pixels = points[0] * points[1] * (DPI / 72) ** 2
    if pixels > MAX_PIXELS:  # a page drawn 4800 pt square would be 20000 px a side at 300 dpi
        raise IngestError(
            f"扫描件第 {index + 1} 页尺寸过大（{points[0]:.0f}×{points[1]:.0f} 点，按 {DPI} dpi 识别需"
            f" {pixels / 1e6:.0f} 百万像素，超过 {MAX_PIXELS // 1_000_000} 百万像素的限制），未识别",
            kind="limit",
        )
    if _blank(render(pdf, index, BLANK_DPI)):  # nothing on it (seen at a glance): no reading to wait for
        return PageContent(index + 1, points[0], points[1], [], [], ocr=True)
    image = render(pdf, index, DPI)
    edges, cleaned = _ruling_lines(image)
    glyphs = [_glyph(*word) for word in _tesseract(program, cleaned, 3)]
    width, height = image.width * 72 / DPI, image.height * 72 / DPI
    content = PageContent(index + 1, width, height, glyphs, edges, ocr=True)
    grids, free = find_grids(content)
    if grids:
        kept = {id(glyph) for glyph in free}
        inside = [glyph for glyph in glyphs if id(glyph) not in kept]
        content.glyphs = free + _cells_read_alone(program, image, cleaned, grids, inside)
    return content
