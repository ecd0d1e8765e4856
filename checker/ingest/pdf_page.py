"""What a PDF page holds, read through PDFium (pypdfium2): its characters with their boxes and the
ruling lines drawn on it, in display coordinates (points, x to the right, top downwards, the page's
/Rotate applied), the same frame pdfplumber uses.

Reading a page this way costs a few milliseconds; pdfminer interpreting it cost ten times that."""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

import checker.ingest.pdfium_calls as fpdf

MAX_PATH_SEGMENTS = 200_000  # per page: a drawing, not a table, past this
MAX_FORM_DEPTH = 8


@dataclass(slots=True)
class Glyph:
    """One character (or, from OCR, one recognised word) and its box."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    space: bool | None = None  # a space comes before it in the source (None: not known, judge by the gap)
    inferred: bool = False  # … one PDFium inferred from the gap, not a space character in the file


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    glyphs: list[Glyph]
    edges: list[dict] = field(default_factory=list)  # pdfplumber's edge dicts
    ocr: bool = False
    hidden: list[Glyph] = field(default_factory=list)  # in the file but off the page: nobody sees them


class _Frame:
    """Maps PDF user space to the page as displayed."""

    def __init__(self, page):
        left, bottom, right, top = page.get_mediabox()
        self.left, self.bottom, self.right, self.top = left, bottom, right, top
        self.rotation = page.get_rotation() % 360
        w, h = right - left, top - bottom
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        x, y = x - self.left, y - self.bottom
        w, h = self.right - self.left, self.top - self.bottom
        if self.rotation == 90:
            return y, x
        if self.rotation == 180:
            return w - x, y
        if self.rotation == 270:
            return h - y, w - x
        return x, h - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        if self.rotation == 0:  # nearly every page: no corners to turn
            return left - self.left, self.top - top, right - self.left, self.top - bottom
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _sane(loose, tight) -> bool:
    """PDFium's loose box (the font's ascent to descent) is what lines are banded by, but for some
    fonts (vertical writing in a merged cell) it is hundreds of points wide; then the glyph's own
    box is used."""
    width, height = tight[2] - tight[0], tight[3] - tight[1]
    size = max(width, height, 1)
    return (
        loose[2] - loose[0] <= width + 1.5 * size + 2
        and loose[3] - loose[1] <= 3 * size + 2
        and loose[0] <= tight[0] + 1
        and loose[2] >= tight[2] - 1
    )


def _glyphs(page, frame: _Frame) -> list[Glyph]:
    textpage = page.get_textpage()
    try:
        count = raw.FPDFText_CountChars(textpage.raw)
        text = textpage.get_text_range(0, count) if count else ""
        if len(text) != count:  # a character outside the BMP (two UTF-16 units): read one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
        rect = raw.FS_RECTF()  # (its fields are read faster than a ctypes array's items)
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        handle, at_rect = fpdf.address(textpage.raw), ctypes.addressof(rect)
        at_tight = [ctypes.addressof(v) for v in (left, right, bottom, top)]
        loose_box, generated = fpdf.loose_box, fpdf.is_generated
        # PDFium's loose box (the font's ascent to descent) is what lines are banded by; read it
        # for every character, and the glyph's own box to check it only where the loose one is
        # far larger than the page's usual (some fonts, vertical writing in a merged cell, give
        # boxes hundreds of points wide) or the character is a mark.
        read: list[tuple[int, str, bool, bool, float, float, float, float]] = []
        spaced = inferred = False  # a space before the next character; only one PDFium inferred
        for i, char in enumerate(text):
            if char.isspace():
                if char in "\r\n":
                    spaced = inferred = False
                    continue
                # in the file or inferred by PDFium from the gap: words apart
                if not spaced or inferred:  # a space in the file outweighs an inferred one
                    inferred = bool(generated(handle, i))
                spaced = True
                continue
            if char in "\x00\ufffe\uffff" or not loose_box(handle, i, at_rect):
                continue
            read.append((i, char, spaced, inferred, rect.left, rect.bottom, rect.right, rect.top))
            spaced = inferred = False
        if not read:
            return []
        usual = sorted(item[7] - item[5] for item in read)[len(read) // 2]
        wide = 3 * usual + 2
        found: list[tuple[Glyph, int]] = []
        angle, last = 0, None
        upright, page_left, page_top = frame.rotation == 0, frame.left, frame.top
        for i, char, spaced, inferred, box_left, box_bottom, box_right, box_top in read:
            if box_right - box_left > wide or box_top - box_bottom > wide or not char.isalnum():
                # (punctuation too: a mark hung past the margin can carry a loose box elsewhere)
                if not fpdf.char_box(handle, i, *at_tight):
                    continue
                tight = (left.value, bottom.value, right.value, top.value)
                if not _sane((box_left, box_bottom, box_right, box_top), tight):
                    box_left, box_bottom, box_right, box_top = tight
            if upright:  # frame.box, inlined for the pages nearly every report has
                x0, top_, x1, bottom_ = (
                    box_left - page_left,
                    page_top - box_top,
                    box_right - page_left,
                    page_top - box_bottom,
                )
            else:
                x0, top_, x1, bottom_ = frame.box(box_left, box_bottom, box_right, box_top)
            if x1 - x0 <= 0 or bottom_ - top_ <= 0:
                continue
            if last is None or abs(top_ - last.top) > 0.5 or abs(bottom_ - last.bottom) > 0.5 or x0 < last.x1 - 1:
                # a character that does not follow the last one on its line: its own angle (one
                # that follows it in a run shares it, and is not asked)
                angle = round(math.degrees(fpdf.char_angle(handle, i))) % 360
            last = Glyph(x0, top_, x1, bottom_, char, spaced, inferred)
            found.append((last, angle))
    finally:
        textpage.close()
    if not found:
        return []
    # The body is written at one angle; a seal's curved text, a diagonal watermark are not
    # report text.
    usual = Counter(angle for _, angle in found).most_common(1)[0][0]
    return [glyph for glyph, angle in found if angle == usual or min((angle - usual) % 360, (usual - angle) % 360) <= 2]


def _matrix(obj: int) -> tuple[float, ...]:
    m = raw.FS_MATRIX()
    if not fpdf.object_matrix(obj, ctypes.addressof(m)):
        return (1, 0, 0, 1, 0, 0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner, outer):
    """The matrix applying `inner` then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_points(obj: int, count: int, matrix, frame: _Frame) -> list[list[tuple[float, float]]]:
    """The subpaths of a path object as polylines on the displayed page (curves by their ends).
    A cell's border is a path of five segments and a table has hundreds: the loop does no more per
    segment than its four PDFium calls and the arithmetic of frame.point, inlined."""
    a, b, c, d, e, f = matrix
    get_segment, get_point, get_type, get_close = (
        fpdf.get_segment,
        fpdf.segment_point,
        fpdf.segment_type,
        fpdf.segment_close,
    )
    moveto, upright = raw.FPDF_SEGMENT_MOVETO, frame.rotation == 0
    left, bottom, height = frame.left, frame.bottom, frame.top - frame.bottom
    x, y = ctypes.c_float(), ctypes.c_float()
    at_x, at_y = ctypes.addressof(x), ctypes.addressof(y)
    paths: list[list[tuple[float, float]]] = []
    current: list | None = None
    for i in range(min(count, MAX_PATH_SEGMENTS)):
        segment = get_segment(obj, i)
        if not get_point(segment, at_x, at_y):
            continue
        px, py = x.value, y.value
        px, py = px * a + py * c + e, px * b + py * d + f
        point = (px - left, height - (py - bottom)) if upright else frame.point(px, py)
        if current is None or get_type(segment) == moveto:
            current = [point]
            paths.append(current)
        else:
            current.append(point)
        if get_close(segment) and len(current) > 1:
            current.append(current[0])
    return paths


def h_rule(x0: float, x1: float, y: float) -> dict:
    """A horizontal rule as pdfplumber's edge dict (what its table finder reads)."""
    return {
        "x0": x0,
        "x1": x1,
        "top": y,
        "bottom": y,
        "width": x1 - x0,
        "height": 0,
        "orientation": "h",
        "object_type": "line",
    }


def v_rule(x: float, top: float, bottom: float) -> dict:
    """A vertical rule as pdfplumber's edge dict."""
    return {
        "x0": x,
        "x1": x,
        "top": top,
        "bottom": bottom,
        "width": 0,
        "height": bottom - top,
        "orientation": "v",
        "object_type": "line",
    }


def _edge(x0: float, top0: float, x1: float, top1: float) -> dict | None:
    """A horizontal or vertical segment as an edge; None for a slanted one."""
    if abs(top0 - top1) < 0.5 and abs(x1 - x0) >= 0.5:
        return h_rule(min(x0, x1), max(x0, x1), (top0 + top1) / 2)
    if abs(x0 - x1) < 0.5 and abs(top1 - top0) >= 0.5:
        return v_rule((x0 + x1) / 2, min(top0, top1), max(top0, top1))
    return None


def _thin_rect(points) -> dict | None:
    """A filled rectangle a point or two thick is how Word and WPS draw a cell border: one edge."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, top, x1, bottom = min(xs), min(ys), max(xs), max(ys)
    if bottom - top <= 2.5 and x1 - x0 > bottom - top:
        return _edge(x0, (top + bottom) / 2, x1, (top + bottom) / 2)
    if x1 - x0 <= 2.5 and bottom - top > x1 - x0:
        return _edge((x0 + x1) / 2, top, (x0 + x1) / 2, bottom)
    return None


def _edges(page, frame: _Frame) -> list[dict]:
    edges: list[dict] = []
    budget = [MAX_PATH_SEGMENTS]
    form, path = raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH
    get_type = fpdf.object_type
    bounds = [ctypes.c_float() for _ in range(4)]  # left, bottom, right, top
    at_bounds = [ctypes.addressof(v) for v in bounds]

    def walk(parent, count, child, outer, depth):
        # a page holds thousands of text objects and a few hundred paths: the loop does no more
        # per object than fetch it and ask its type (a PDFium call is the cost)
        for index in range(count):
            obj = child(parent, index)
            kind = get_type(obj)
            if kind == form and depth < MAX_FORM_DEPTH:
                walk(obj, fpdf.form_count(obj), fpdf.form_object, _compose(_matrix(obj), outer), depth + 1)
            elif kind == path and budget[0] > 0:
                if outer[1] == outer[2] == 0 and fpdf.object_bounds(obj, *at_bounds):
                    # A path whose bounds are a point or two thin lies on one line: a rule, drawn
                    # as a stroked line or as a filled sliver (as Word and WPS draw cell borders);
                    # its bounds are its edge, without reading its segments one by one.
                    a, _, _, d, e, f = outer
                    x0, y0 = frame.point(bounds[0].value * a + e, bounds[1].value * d + f)
                    x1, y1 = frame.point(bounds[2].value * a + e, bounds[3].value * d + f)
                    thin = _thin_rect([(x0, y0), (x1, y1)])
                    if thin:
                        edges.append(thin)
                        continue
                count = fpdf.count_segments(obj)
                budget[0] -= count
                for points in _path_points(obj, count, _compose(_matrix(obj), outer), frame):
                    thin = _thin_rect(points) if len(points) in (4, 5) else None
                    if thin:
                        edges.append(thin)
                        continue
                    for p, q in zip(points, points[1:]):
                        edge = _edge(*p, *q)
                        if edge:
                            edges.append(edge)

    handle = fpdf.address(page.raw)
    walk(handle, fpdf.count_objects(handle), fpdf.get_object, (1, 0, 0, 1, 0, 0), 0)
    return edges


def _on_page(glyph: Glyph, frame: _Frame) -> bool:
    """Whether the glyph's middle lies on the page as shown (a table laid wider than the page
    runs off its edge: its text is in the file, but neither screen nor paper shows it)."""
    x, y = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
    return 0 <= x <= frame.width and 0 <= y <= frame.height


def read_page(pdf, index: int) -> PageContent:
    page = pdf[index]
    try:
        frame = _Frame(page)
        glyphs = _glyphs(page, frame)
        seen = [glyph for glyph in glyphs if _on_page(glyph, frame)]
        hidden = [glyph for glyph in glyphs if not _on_page(glyph, frame)] if len(seen) < len(glyphs) else []
        edges = _edges(page, frame) if seen else []
        return PageContent(index + 1, frame.width, frame.height, seen, edges, hidden=hidden)
    finally:
        page.close()


def open_pdf(data: bytes):
    return pdfium.PdfDocument(data)


def render(pdf, index: int, dpi: int):
    """The page as a greyscale Pillow image at `dpi` (for OCR)."""
    page = pdf[index]
    try:
        return page.render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        page.close()
