"""The table geometry pdf_layout does itself for speed (merging ruling lines, finding the cells
between them) gives exactly what pdfplumber's own functions give, on random sets of rules laid
the way tables draw them: a grid's lines drawn whole or cell by cell, nudged by fractions of a
point, with strays."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfplumber.table import TableFinder, TableSettings, edges_to_intersections, intersections_to_cells, merge_edges

from checker.ingest.pdf_layout import _cells, _PageView, finder_edges, merge_rules
from checker.ingest.pdf_page import PageContent
from checker.ingest.pdf_page import h_rule, v_rule

BUDGET = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
NUDGE = st.sampled_from([0.0, 0.0, 0.0, 0.25, -0.4, 1.5, 2.9, 3.0, 3.2, -2.5])


@st.composite
def ruled_grid(draw):
    """A table's rules: column sides and row lines, each drawn whole or per cell (the pieces meeting
    or a point apart), positions nudged; plus a few stray rules anywhere."""
    xs = sorted(set(draw(st.lists(st.integers(0, 40), min_size=2, max_size=6))))
    ys = sorted(set(draw(st.lists(st.integers(0, 40), min_size=2, max_size=7))))
    xs, ys = [x * 12.0 for x in xs], [y * 10.0 for y in ys]
    edges = []
    for y in ys:
        if draw(st.booleans()):
            edges.append(h_rule(xs[0] + draw(NUDGE), xs[-1] + draw(NUDGE), y + draw(NUDGE)))
        else:
            for left, right in zip(xs, xs[1:]):
                edges.append(h_rule(left + draw(NUDGE), right + abs(draw(NUDGE)), y + draw(NUDGE)))
    for x in xs:
        if draw(st.booleans()):
            edges.append(v_rule(x + draw(NUDGE), ys[0] + draw(NUDGE), ys[-1] + draw(NUDGE)))
        else:
            for top, bottom in zip(ys, ys[1:]):
                edges.append(v_rule(x + draw(NUDGE), top + draw(NUDGE), bottom + abs(draw(NUDGE))))
    for _ in range(draw(st.integers(0, 4))):
        a, b, c = (draw(st.floats(0, 500, allow_nan=False)) for _ in range(3))
        edges.append(
            h_rule(min(a, b), max(a, b) + 1, c) if draw(st.booleans()) else v_rule(a, min(b, c), max(b, c) + 1)
        )
    order = draw(st.permutations(range(len(edges))))
    return [edges[i] for i in order]


@BUDGET
@given(ruled_grid())
def test_merged_rules_are_pdfplumbers(edges):
    assert merge_rules(edges) == merge_edges(edges, 3, 3, 3, 3)


@BUDGET
@given(ruled_grid())
def test_cells_between_rules_are_pdfplumbers(edges):
    intersections = edges_to_intersections(merge_rules(edges), 3, 3)
    assert _cells(intersections) == intersections_to_cells(intersections)


@BUDGET
@given(ruled_grid())
def test_the_finders_rules_are_pdfplumbers(edges):
    finder = TableFinder.__new__(TableFinder)
    finder.page, finder.settings = _PageView(PageContent(1, 600, 800, [], edges)), TableSettings.resolve(None)
    assert finder_edges(edges, finder.settings) == finder.get_edges()
