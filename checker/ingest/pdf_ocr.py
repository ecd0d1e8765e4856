"""A scanned page read by Tesseract (Debian's tesseract-ocr with tesseract-ocr-chi-sim): the page
is rasterised by PDFium, Tesseract's word boxes (TSV) become glyphs, and the table's ruling lines
are found in the image itself (long runs of dark pixels), so the rest of the PDF reader — lines,
tables, cells — works on a scan as on a text layer."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess

from checker.ingest.pdf_page import Glyph, PageContent, render

DPI = 300
SECONDS_PER_PAGE = 120
MIN_LINE_INCHES = 0.25  # a ruling line is at least this long (a character stroke is shorter)
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


def _words(program: str, image) -> list[Glyph]:
    png = io.BytesIO()
    image.save(png, format="PNG")
    done = subprocess.run([program, "stdin", "stdout", "-l", "chi_sim", "--psm", "3", "--dpi", str(DPI), "tsv"],
                          input=png.getvalue(), capture_output=True, timeout=SECONDS_PER_PAGE,
                          env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace")[-200:])
    scale = 72 / DPI
    glyphs = []
    rows = csv.DictReader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text or float(row.get("conf") or -1) < 0:
            continue
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        glyphs.append(Glyph(left * scale, top * scale, (left + width) * scale, (top + height) * scale, text))
    return glyphs


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


def _ruling_lines(image) -> list[dict]:
    """Horizontal and vertical ruling lines in a greyscale page image, as pdfplumber edges."""
    import numpy as np

    dark = np.asarray(image) < 128
    scale = 72 / DPI
    length = int(MIN_LINE_INCHES * DPI)
    edges = []
    for row, start, end in _merge_rows(_runs(dark, length)):
        y = row * scale
        edges.append({"x0": start * scale, "x1": end * scale, "top": y, "bottom": y, "width": (end - start) * scale,
                      "height": 0, "orientation": "h", "object_type": "line"})
    for col, start, end in _merge_rows(_runs(dark.T, length)):
        x = col * scale
        edges.append({"x0": x, "x1": x, "top": start * scale, "bottom": end * scale, "width": 0,
                      "height": (end - start) * scale, "orientation": "v", "object_type": "line"})
    return edges


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
    return [((first + last) // 2, start, end) for first, last, start, end in merged]


def ocr_page(pdf, index: int, program: str) -> PageContent:
    image = render(pdf, index, DPI)
    glyphs = _words(program, image)
    width, height = image.width * 72 / DPI, image.height * 72 / DPI
    return PageContent(index + 1, width, height, glyphs, _ruling_lines(image), ocr=True)
