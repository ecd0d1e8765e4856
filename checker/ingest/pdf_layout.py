"""From a page's glyphs and ruling lines to what a reader sees: lines of text and tables of cells.

Tables are found from the ruling lines by pdfplumber's edge-to-cell algorithm (snap, join,
intersect, smallest cells, group), fed with PDFium's edges instead of pdfminer's; cell text is the
glyphs whose centre lies in the cell, line by line."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from checker.ingest.pdf_page import Glyph, PageContent, h_rule, v_rule


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Grid:
    """A table as found on one page: rows of cell boxes (None where a merged cell covers the
    slot), the text of each box, and the x of each column's left side."""

    bbox: tuple[float, float, float, float]
    boxes: list[list[tuple | None]]
    texts: list[list[str | None]]
    columns: list[float]
    open_top: bool = False  # its rules run on above its first rule (a row split by a page break)
    open_bottom: bool = False  # … below its last
    tops: list[float] = field(init=False)  # each row's top, for finding a point's row by bisection
    lefts: list[list[float]] = field(init=False)  # each row's cells' left sides (a covered slot: its left neighbour's)

    def __post_init__(self):
        self.tops = [min((box[1] for box in row if box), default=self.bbox[3]) for row in self.boxes]
        self.lefts = [list(accumulate((box[0] if box else float("-inf") for box in row), max)) for row in self.boxes]


def _wide(text: str) -> bool:
    return "\u2e80" <= text[-1] <= "\u9fff" or "\uff00" <= text[-1] <= "\uffef" or text[-1] in "“”‘’"


def _space_between(left: Glyph, right: Glyph) -> bool:
    """The source says where its spaces are (PDFium marks them); OCR words do not, so there a gap
    wider than half the characters' height is a space. Chinese is not written with spaces: a gap
    between two Chinese characters is justification, and one PDFium inferred between a Chinese
    character and a digit is the editor's automatic spacing, not a space in the text."""
    if _wide(left.text) and _wide(right.text[:1]):
        return False
    if right.inferred and (_wide(left.text) or _wide(right.text[:1])):
        return False  # the gap Word and LibreOffice set between Chinese and Latin or digits
    if right.space is not None:
        return right.space
    return right.x0 - left.x1 > 0.5 * max(left.bottom - left.top, right.bottom - right.top)


def _bands(glyphs: list[Glyph]) -> list[list]:
    """Glyphs grouped by the line they sit on: [top, bottom, glyphs] from the top of the page.
    A glyph joins the band holding its vertical centre; then bands that share their middles
    are one line (a quotation mark drawn small and high sorts apart from its line's characters)."""
    bands: list[list] = []
    for glyph in sorted(glyphs, key=lambda g: (g.top + g.bottom) / 2):
        middle = (glyph.top + glyph.bottom) / 2
        if bands and bands[-1][0] <= middle <= bands[-1][1]:
            band = bands[-1]
            band[2].append(glyph)
            band[0], band[1] = min(band[0], glyph.top), max(band[1], glyph.bottom)
        else:
            bands.append([glyph.top, glyph.bottom, [glyph]])
    merged: list[list] = []
    for band in bands:
        if merged:
            last = merged[-1]
            small, large = sorted((last, band), key=lambda b: b[1] - b[0])
            if large[0] <= (small[0] + small[1]) / 2 <= large[1]:
                last[0], last[1] = min(last[0], band[0]), max(last[1], band[1])
                last[2].extend(band[2])
                continue
        merged.append(band)
    return merged


def lines_of(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs as lines of text, top to bottom, each read left to right."""
    lines = []
    for top, bottom, members in _bands(glyphs):
        members.sort(key=lambda g: g.x0)
        lines.append(Line(_joined(members), members[0].x0, top, max(g.x1 for g in members), bottom))
    return lines


def _joined(members: list[Glyph]) -> str:
    """The text of glyphs on one line, left to right, with the source's spaces."""
    parts = [members[0].text]
    for left, right in zip(members, members[1:]):
        if right.space is not False and _space_between(left, right):  # (no space in the source: none)
            parts.append(" ")
        parts.append(right.text)
    return "".join(parts)


class _PageView:
    """The little of pdfplumber's Page that its TableFinder reads."""

    def __init__(self, content: PageContent):
        self.edges = content.edges
        self.bbox = (0, 0, content.width, content.height)
        self.chars: list = []


def _cells(intersections: dict) -> list[tuple]:
    """pdfplumber's intersections_to_cells, the same cells in the same order, with each point's
    edges as sets made once (pdfplumber makes them anew for every pair of points it compares,
    which was half the time of reading a corpus PDF)."""
    from pdfplumber.utils import obj_to_bbox

    boxes: dict[int, tuple] = {}  # each edge's box, worked out once (an edge meets many points)

    def box(edge: dict) -> tuple:
        found = boxes.get(id(edge))
        if found is None:
            found = boxes[id(edge)] = obj_to_bbox(edge)
        return found

    vertical = {p: {box(e) for e in found["v"]} for p, found in intersections.items()}
    horizontal = {p: {box(e) for e in found["h"]} for p, found in intersections.items()}
    points = sorted(intersections)
    column: dict[float, list] = {}  # x → its points, top to bottom
    row: dict[float, list] = {}  # top → its points, left to right
    for point in points:
        column.setdefault(point[0], []).append(point)
        row.setdefault(point[1], []).append(point)
    cells = []
    for point in points:
        x, y = point
        v_here, h_here = vertical[point], horizontal[point]
        right = None  # the points to its right joined to it by a rule, when first needed
        for b in column[x]:  # top to bottom: the first corner below joined to it …
            if b[1] <= y or v_here.isdisjoint(vertical[b]):
                continue
            if right is None:
                right = [r for r in row[y] if r[0] > x and not h_here.isdisjoint(horizontal[r])]
                if not right:
                    break
            # … with the first to its right whose far corner closes the cell
            cell = next(
                (
                    (x, y, r[0], b[1])
                    for r in right
                    if (r[0], b[1]) in intersections
                    and not vertical[(r[0], b[1])].isdisjoint(vertical[r])
                    and not horizontal[(r[0], b[1])].isdisjoint(horizontal[b])
                ),
                None,
            )
            if cell:
                cells.append(cell)
                break
    return cells


def finder_edges(edges: list[dict], settings) -> list[dict]:
    """pdfplumber's TableFinder.get_edges for its ruling-line strategy: the rules long enough,
    merged (by merge_rules: the finder's tolerances are the defaults it does), then the merged
    rules long enough."""

    def long(edge: dict, least: float) -> bool:
        return edge["height" if edge["orientation"] == "v" else "width"] >= least

    assert (settings.vertical_strategy, settings.horizontal_strategy) == ("lines", "lines")
    assert (
        {settings.snap_x_tolerance, settings.snap_y_tolerance, settings.join_x_tolerance, settings.join_y_tolerance}
        == {SNAP}
        == {JOIN}
    )
    least = settings.edge_min_length_prefilter
    base = [e for e in edges if e["orientation"] == "v" and long(e, least)] + [
        e for e in edges if e["orientation"] == "h" and long(e, least)
    ]
    return [e for e in merge_rules(base) if long(e, settings.edge_min_length)]


def _tables(content: PageContent) -> list:
    """pdfplumber's TableFinder with its default settings (ruling lines), on PDFium's edges."""
    from pdfplumber.table import Table, TableSettings, cells_to_tables, edges_to_intersections

    view = _PageView(content)
    settings = TableSettings.resolve(None)
    intersections = edges_to_intersections(
        finder_edges(content.edges, settings), settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )
    return [Table(view, group) for group in cells_to_tables(_cells(intersections))]


def _open_ends(content: PageContent) -> list[tuple[float, float, float, str]]:
    """Where a table is cut by a page break, its vertical rules stop with no rule across their
    ends (the last row goes on on the next page, the first row came from the page before). The
    rule a reader's eye supplies there: (top, x0, x1, "top" or "bottom") for each such end met by
    two vertical rules or more, with no body text beyond it (a page break, not a drawing)."""
    edges = content.edges
    margin = content.height * 0.1  # running headers, footers and page numbers may stand beyond
    body = [g for g in content.glyphs if margin < g.top and g.bottom < content.height - margin]
    lowest = max((g.bottom for g in body), default=0)
    highest = min((g.top for g in body), default=content.height)
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    closes = []
    for side in ("top", "bottom"):
        ends: dict[int, list[float]] = {}
        for edge in vertical:
            ends.setdefault(round(edge[side]), []).append(edge["x0"])
        for y, xs in ends.items():
            if len(xs) < 2:
                continue
            x0, x1 = min(xs), max(xs)
            crossed = _covered([(h["x0"], h["x1"]) for h in horizontal if abs(h["top"] - y) <= 3], x0, x1)
            at_break = y >= lowest - 1 if side == "bottom" else y <= highest + 1
            if not crossed and at_break:
                closes.append((float(y), x0, x1, side))
    return closes


def _open_sides(edges: list[dict]) -> list[dict]:
    """A table drawn without its outer left or right rule (a web page's styling often leaves it
    off): three horizontal rules or more of one table end at the same x, no vertical rule meets
    any of them there, and vertical rules of the table join each to the next. The rule the eye
    supplies, as an edge."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    by_x: dict[int, list[dict]] = {}  # vertical rules by the point they stand at
    for v in vertical:
        by_x.setdefault(round(v["x0"]), []).append(v)

    def met(x: float, y: float) -> bool:
        return any(
            abs(v["x0"] - x) <= 3 and v["top"] - 3 <= y <= v["bottom"] + 3
            for at in range(round(x) - 4, round(x) + 5)
            for v in by_x.get(at, ())
        )

    def joined(a: dict, b: dict) -> bool:
        left, right = max(a["x0"], b["x0"]), min(a["x1"], b["x1"])
        return any(
            left - 3 <= v["x0"] <= right + 3 and v["top"] <= a["top"] + 3 and v["bottom"] >= b["top"] - 3
            for v in vertical
        )

    added = []
    for side in ("x0", "x1"):
        dangling = sorted((edge for edge in horizontal if not met(edge[side], edge["top"])), key=lambda e: e[side])
        groups: list[list[dict]] = []  # rules ending within a point or two of each other
        for edge in dangling:
            if groups and edge[side] - groups[-1][0][side] <= 2.5:
                groups[-1].append(edge)
            else:
                groups.append([edge])
        for rules in groups:
            x = sum(r[side] for r in rules) / len(rules)
            rules.sort(key=lambda r: r["top"])
            chains = [[rules[0]]]
            for rule in rules[1:]:
                if joined(chains[-1][-1], rule):
                    chains[-1].append(rule)
                else:
                    chains.append([rule])
            for chain in chains:
                if len(chain) >= 3:
                    added.append(v_rule(x, chain[0]["top"], chain[-1]["top"]))
    return added


def _covered(spans: list[tuple[float, float]], x0: float, x1: float) -> bool:
    """Whether rules drawn piece by piece (a border per cell) run across most of x0..x1."""
    covered, reach = 0.0, x0
    for left, right in sorted(spans):
        if right > reach:
            covered += right - max(left, reach)
            reach = right
    return covered >= 0.9 * (x1 - x0)


SNAP = JOIN = 3  # pdfplumber's default snap and join tolerances, in points


def merge_rules(edges: list[dict]) -> list[dict]:
    """pdfplumber's merge_edges(edges, 3, 3, 3, 3), the same rules in the same order with the same
    arithmetic: rules within 3 points of one another across their line are snapped to their mean
    (chained, as its clustering is), then the pieces along each line within 3 points are joined.
    pdfplumber copies each edge's dict at every step, which was a fifth of finding a page's tables
    (a cell border drawn per cell gives a page a thousand edges); here each rule is copied once,
    when it is output. Edges as h_rule and v_rule make them."""
    lines: dict[tuple[str, float], list[tuple[float, dict]]] = {}  # (orientation, where) → (shift, edge)
    for orientation, across in (("v", "x0"), ("h", "top")):
        items = [e for e in edges if e["orientation"] == orientation]
        cluster_of: dict[float, int] = {}
        count, last = 0, None
        for value in sorted({e[across] for e in items}):
            if last is not None and value > last + SNAP:
                count += 1
            cluster_of[value] = count
            last = value
        clusters: list[list[dict]] = [[] for _ in range(count + 1)] if items else []
        for edge in items:
            clusters[cluster_of[edge[across]]].append(edge)
        for cluster in clusters:
            mean = sum(e[across] for e in cluster) / len(cluster)
            for edge in cluster:
                shift = mean - edge[across]
                lines.setdefault((orientation, edge[across] + shift), []).append((shift, edge))
    merged = []
    for orientation, where in sorted(lines):
        low, high = ("x0", "x1") if orientation == "h" else ("top", "bottom")
        joined: list[list] = []  # [edge, shift, how far it reaches along the line, its height]
        for shift, edge in sorted(lines[orientation, where], key=lambda item: item[1][low]):
            if joined and edge[low] <= joined[-1][2] + JOIN:
                last = joined[-1]
                if edge[high] > last[2]:  # pdfplumber's resize_object, one step at a time
                    last[3] += edge[high] - last[2]
                    last[2] = edge[high]
            else:
                joined.append([edge, shift, edge[high], edge["height"]])
        for edge, shift, reach, height in joined:
            out = dict(edge)
            if orientation == "v":
                out["x0"], out["x1"] = edge["x0"] + shift, edge["x1"] + shift
            else:
                out["top"], out["bottom"] = edge["top"] + shift, edge["bottom"] + shift
            if reach > edge[high]:
                if orientation == "h":
                    out["x1"], out["width"] = reach, reach - out["x0"]
                else:
                    out["bottom"], out["height"] = reach, height
            merged.append(out)
    return merged


def find_grids(content: PageContent) -> tuple[list[Grid], list[Glyph]]:
    """The page's tables with their cells' text, and the glyphs that are not in any table."""
    if len(content.edges) < 4:
        return [], content.glyphs
    # a rule drawn cell by cell is one rule: joined once here (the finder's own pass is then
    # cheap), so that the open sides and ends are looked for among a few dozen rules, not a thousand
    content.edges = merge_rules(content.edges)
    sides = _open_sides(content.edges)
    if sides:
        content.edges = content.edges + sides
    ends = _open_ends(content)
    if ends:
        content.edges = content.edges + [h_rule(x0, x1, y) for y, x0, x1, _ in ends]
    grids = []
    for table in _tables(content):
        for rows in _stacked([list(row.cells) for row in table.rows]):
            grids.append(_grid(rows, ends))
    if not grids:
        return [], content.glyphs
    return grids, _fill(grids, content.glyphs)


def _stacked(rows: list[list]) -> list[list[list]]:
    """Two tables drawn one right under the other share a rule, and the finder sees one table
    with the columns of both. Where a row and the one above it each have a column side in the
    middle of the other's cell, a new table begins (a merged header's cells span its body's
    sides, but the body has no side inside a header cell's neighbour); each keeps only its own
    columns."""
    parts: list[list[list]] = []
    for row in rows:
        if parts and _crosses(parts[-1][-1], row) and _crosses(row, parts[-1][-1]):
            parts.append([row])
        elif parts:
            parts[-1].append(row)
        else:
            parts.append([row])
    if len(parts) == 1:
        return parts
    out = []
    for part in parts:
        used = [c for c in range(len(part[0])) if any(row[c] for row in part)]
        out.append([[row[c] for c in used] for row in part])
    return out


def _crosses(upper: list, lower: list) -> bool:
    """Whether a side of a cell of `lower` falls inside a cell of `upper`."""
    sides = {box[0] for box in lower if box} | {box[2] for box in lower if box}
    return any(box[0] + 2 < x < box[2] - 2 for box in upper if box for x in sides)


def _grid(rows: list[list], ends) -> Grid:
    boxes = [box for row in rows for box in row if box]
    x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    grid = Grid((x0, top, x1, bottom), rows, [[None] * len(row) for row in rows], sorted({b[0] for b in boxes}))
    for y, left, right, side in ends:
        if left <= x1 and right >= x0:
            grid.open_top |= side == "top" and abs(y - top) <= 1
            grid.open_bottom |= side == "bottom" and abs(y - bottom) <= 1
    return grid


def placed(grids: list[Grid], glyph: Glyph) -> tuple[int, tuple[int, int] | None] | None:
    """The grid whose box holds the glyph's centre, and the (row, column) of its cell there (None
    on a rule between cells); None outside every grid. A cell holds its left and top edges, as
    pdfplumber's does."""
    return next(placements(grids, [glyph]))[1]


def placements(grids: list[Grid], glyphs: list[Glyph]):
    """(glyph, placed(grids, glyph)) for each glyph: a page's thousands placed in one loop."""
    boxes = list(enumerate(grid.bbox for grid in grids))
    for glyph in glyphs:
        x, y = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
        for g, (x0, top, x1, bottom) in boxes:
            if x0 <= x <= x1 and top <= y <= bottom:
                yield glyph, (g, cell_at(grids[g], x, y))
                break
        else:
            yield glyph, None


def _fill(grids: list[Grid], glyphs: list[Glyph]) -> list[Glyph]:
    """Each glyph goes to the cell holding its centre; the glyphs outside every table are returned."""
    holders: dict[tuple[int, int, int], list[Glyph]] = {}
    free = []
    for glyph, where in placements(grids, glyphs):
        if where is None:
            free.append(glyph)
        elif where[1]:
            holders.setdefault((where[0], *where[1]), []).append(glyph)
    for g, grid in enumerate(grids):
        for r, row in enumerate(grid.boxes):
            for c, box in enumerate(row):
                if box is not None:
                    held = holders.get((g, r, c), ())
                    if len(held) <= 1:  # many cells: one digit
                        grid.texts[r][c] = held[0].text if held else ""
                    elif all(abs(glyph.top - held[0].top) < 0.5 for glyph in held):  # most others: one line
                        grid.texts[r][c] = _joined(sorted(held, key=lambda glyph: glyph.x0)).strip()
                    else:
                        grid.texts[r][c] = "".join(line.text for line in lines_of(held)).strip()
    return free


def cell_at(grid: Grid, x: float, y: float) -> tuple[int, int] | None:
    """The (row, column) of the cell holding the point, None outside the grid. Rows are searched
    from the last one starting above the point upwards (a merged cell starts in an earlier row),
    and in a row the cell by its left side, so a glyph costs a few comparisons."""
    x0, top, x1, bottom = grid.bbox
    if not (x0 <= x < x1 and top <= y < bottom):
        return None
    for r in range(bisect_right(grid.tops, y) - 1, -1, -1):
        row = grid.boxes[r]
        c = bisect_right(grid.lefts[r], x) - 1
        while c >= 0 and row[c] is None:
            c -= 1
        box = row[c] if c >= 0 else None
        if box and box[0] <= x < box[2] and box[1] <= y < box[3]:
            return r, c
    return None
