"""What an audit keeps of one checked report: small, picklable (it crosses process boundaries)
and enough for every cross-report rule, the score and the HTML pages — the file is never read
again."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

from checker.audit.agencies import agency_key
from checker.audit.similar import signature
from checker.facts.dates import due_date
from checker.facts.key_figures import key_figure, tracked
from checker.engine.finding import Finding
from checker.formats import excerpt as excerpts
from checker.ingest.document import Loc


@dataclass
class Excerpt:
    """The text around a finding, with the offending part marked (a table row keeps its cells)."""

    text: str = ""
    start: int = 0
    end: int = 0
    cells: list[str] | None = None  # a table row
    hit: int | None = None  # the index of the offending cell in `cells`


class Cells(Mapping):
    """A report's table figures by cell key, as the audit holds them: the keys (and where each
    value is) shared by every report with the same cells — one index for a layout — and the
    values a list. A dict per report was most of a summary's memory (10 KB of 18)."""

    __slots__ = ("_at", "_values")
    _INDEXES: dict[tuple, dict] = {}

    def __init__(self, mapping=()):
        mapping = dict(mapping)
        keys = tuple(mapping)
        at = self._INDEXES.get(keys)
        if at is None:
            at = self._INDEXES[keys] = {sys.intern(k): i for i, k in enumerate(keys)}
        self._at, self._values = at, list(mapping.values())

    def __getitem__(self, key):
        return self._values[self._at[key]]

    def __contains__(self, key) -> bool:
        return key in self._at

    def __iter__(self):
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._values)

    def __reduce__(self):
        return Cells, (dict(self),)


@dataclass
class DocSummary:
    path: str
    agency: str | None = None
    agency_key: str | None = None
    kind: str = "unknown"
    year: int | None = None
    regime: str | None = None
    published: str | None = None
    due: str | None = None
    days_late: int | None = None  # negative: early; None: unknown
    title: str | None = None
    findings: list[Finding] = field(default_factory=list)
    excerpts: list[Excerpt] = field(default_factory=list)  # one per finding (kept in step)
    cells: dict[str, float | int | None] = field(default_factory=dict)  # key → number, None when not a number
    locs: dict[str, Loc] = field(default_factory=dict)  # cell key or section ordinal → where it is
    sections: dict[str, str] = field(default_factory=dict)  # canonical ordinal → its text
    signatures: dict = field(default_factory=dict)  # ordinal → MinHash values (for 雷同)
    similar: list[dict] = field(default_factory=list)  # 雷同 found: the other report and the passages
    score: float | None = None
    unassessed: int = 0
    evaluated: tuple[str, ...] = ()
    readable: bool = True
    absent: bool = False  # a roster agency with no report for the year (checker/audit/roster.py)
    match: str | None = None  # how it was matched to the roster where not by its name (沐→沭)
    on_roster: bool | None = None  # None: no roster given

    @property
    def on_time(self) -> bool | None:
        return None if self.days_late is None else self.days_late <= 0

    def shared(self) -> "DocSummary":
        """The same summary as the audit holds it: its table figures a Cells mapping, its keys and
        rule codes interned — every report has the same few hundred cell keys and rule codes, and
        a summary that crossed from a worker (or was read back) had its own copy of each."""
        intern = sys.intern
        self.cells = Cells(self.cells)
        self.locs = {intern(k): v for k, v in self.locs.items()}
        self.evaluated = tuple(intern(code) for code in self.evaluated)
        return self

    def figure(self, name: str):
        return key_figure(name).of(self.cells)

    def add(self, findings: list[Finding]) -> None:
        """Findings of the audit's own checks (across reports, the roster), kept in order with
        their excerpts (none: they point at a cell or a section, shown on the page)."""
        if not findings:
            return
        self.findings += findings
        self.excerpts += [Excerpt() for _ in findings]
        order = sorted(range(len(self.findings)), key=lambda k: self.findings[k].sort_key)
        self.findings = [self.findings[k] for k in order]
        self.excerpts = [self.excerpts[k] for k in order]


_STOP = re.compile(r"[，。；：、,.;:！？!?\s]")


def _excerpt(result, finding) -> Excerpt:
    loc = finding.loc
    source = result.source
    if source is None or loc is None:
        return Excerpt()
    row = excerpts.cell_row(source, loc)  # a table cell: keep the row, mark the cell
    if row is not None:
        return Excerpt(cells=row[0], hit=row[1])
    found = excerpts.source_line(source, loc)
    if not found:
        return Excerpt()
    text, index = found
    if index is None:
        return Excerpt(text=text[:200])
    start = max(index - 60, 0)
    clipped = text[start : index + 120]
    mark = index - start
    end = mark + 1
    while end < len(clipped) and end - mark < 16 and not _STOP.match(clipped[end]):
        end += 1
    return Excerpt(text=clipped, start=mark, end=end)


def summarize(result, deadline_params: dict | None, similar_sections=()) -> DocSummary:
    facts = result.facts
    if facts is None:  # unreadable: E001/E003
        return DocSummary(
            result.path,
            findings=list(result.findings),
            excerpts=[Excerpt() for _ in result.findings],
            evaluated=result.evaluated,
            readable=False,
        )
    due = due_date(facts, deadline_params) if deadline_params else None
    days = (facts.published - due).days if facts.published and due else None
    sections = {}
    for ordinal in facts.sections:
        parts = [node.text for node in result.report.paragraphs() if facts.section_of(node) == ordinal]
        sections[ordinal] = "\n".join(parts)
    cells = {key: cell.value if cell.kind in ("number", "zero") else None for key, cell in facts.cells.items()}
    # only the places the cross-report checks point at: a Loc for every cell of every report
    # was most of an audit's memory at 10,000 reports
    locs = {key: cell.loc for key, cell in facts.cells.items() if tracked(key)}
    locs.update({ordinal: section.loc for ordinal, section in facts.sections.items()})
    signatures = {}
    for ordinal in similar_sections:  # computed here, in the worker process, where it is parallel
        if ordinal in sections:
            values = signature(sections[ordinal])
            if values is not None:
                signatures[ordinal] = values
    return DocSummary(
        result.path,
        facts.agency,
        agency_key(facts.agency),
        facts.agency_kind,
        facts.year,
        facts.regime,
        facts.published.isoformat() if facts.published else None,
        due.isoformat() if due else None,
        days,
        result.report.title.text if result.report and result.report.title else None,
        list(result.findings),
        [_excerpt(result, f) for f in result.findings],
        cells,
        locs,
        sections,
        signatures,
        unassessed=len(result.unassessed),
        evaluated=result.evaluated,
    )


@dataclass
class Audited:
    """What an audit covered: its reports (the audited year's, then a line for each roster
    agency that did not publish), the year and how it was chosen, and the reports of other
    years in the folder, read as history."""

    docs: list[DocSummary]
    year: int | None
    chosen: str  # "given" (--year), "frequent" (the batch's most frequent year), "all" (--year all) or "none"
    others: list[DocSummary] = field(default_factory=list)
    roster: int | None = None  # how many agencies the roster names

    @property
    def published(self) -> list[DocSummary]:
        return [d for d in self.docs if not d.absent]
