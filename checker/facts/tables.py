"""The three official tables as keyed cells: requests.new.natural_person, appeals.review.total …

Each table in the report is recognised by its labels, then every row is matched to a row of the
official layout by its label (tolerating merged label cells, extra local rows and fragments of
one table spread over several), and its values are assigned to the layout's columns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from checker.facts.layouts import Layout, Row, TableSpec
from checker.ingest.document import Loc
from checker.parse.ast import Cell, Table

_SLASH = {
    "/",
    "／",
    "-",
    "—",
    "－",
    "——",
    "\\",
    "–",
    "―",
    "－－",
    "--",
    "、",
    # words written where a figure is due: not a figure, so not reported (T204 says 没有发生的应填0)
    "无",
    "零",
    "空",
    "暂无",
    "没有",
    "无此项",
    "不涉及",
    "未发生",
}
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
MAX_DIGITS = 15  # more digits than any count or amount a report gives (and than a float holds exactly)
_UNIT = re.compile(r"(?<=\d)(?:万元|元|件|个|项|次|条)$")
_new = object.__new__


@dataclass(slots=True, unsafe_hash=True)  # immutable by convention: see Loc
class CellFact:
    key: str  # requests.new.natural_person
    table: str
    row: str
    column: str
    kind: str  # number | zero | blank | slash | text
    value: float | int | None
    text: str
    loc: Loc
    label: str  # the row label as printed

    @property
    def anchor(self) -> str:
        return f"{self.table}/{self.row}/{self.column}"


@lru_cache(maxsize=4096)  # cells repeat ("0", "1", ""): each text is classified once
def value_of(text: str) -> tuple[str, float | int | None]:
    t = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    if not t:
        return "blank", None
    if t in _SLASH:
        return "slash", None
    t = _UNIT.sub("", t) if _NUMBER.match(t) else t  # "251000元", "12件": a figure with its unit
    if _NUMBER.fullmatch(t) and len(t) <= MAX_DIGITS:  # a longer "figure" is no count: text
        value = float(t) if "." in t else int(t)
        return ("zero" if value == 0 else "number"), value
    return "text", None


@lru_cache(maxsize=4096)
def _valueish_text(text: str) -> bool:
    return value_of(text)[0] != "text" or text.strip().isdigit()


def _valueish(cell: Cell) -> bool:
    """A cell in a row's figures: a number, zero, blank or "/" — or a run of digits too long to be
    a count (it stands where a figure stands, and is reported as not a number)."""
    return _valueish_text(cell.text)


def joined_text(table: Table) -> str:
    """All the text of a table's cells, end to end."""
    return "".join([c.text for row in table.rows for c in row])


def classify(table: Table, layout: Layout) -> str | None:
    """Which official table this is, by how many of its tell-tale words its text contains."""
    text = joined_text(table)
    best, score = None, 0
    for name, spec in layout.tables.items():
        hits = sum(1 for word in spec.detect if word in text)
        if hits > score:
            best, score = name, hits
    return best


def _continues(table: Table, layout: Layout, previous: str | None) -> str | None:
    """A fragment without any tell-tale word ("| 1. 属于国家秘密 | 0 | …" under an invented
    header) continues the table before it when its labels are rows of that table."""
    if previous is None:
        return None
    spec = layout.tables[previous]
    hits = sum(len(spec.matching(row[0].text)[1]) for row in table.distinct_rows() if row)
    return previous if hits else None


def _shaped(table: Table, layout: Layout) -> str | None:
    """A wide table whose header words were lost in extraction ("| 维持 | 纠正 | 结果 |…") is
    still known by its one row of figures: every group of them adds up to its own 总计."""
    for name, spec in layout.tables.items():
        if spec.layout != "wide":
            continue
        size = len(spec.columns)
        for row in table.distinct_rows():
            kinds = [value_of(c.text) for c in row]
            if len(kinds) == size * len(spec.rows) and all(k in ("number", "zero") for k, _ in kinds):
                values = [v for _, v in kinds]
                if all(sum(values[i : i + size - 1]) == values[i + size - 1] for i in range(0, len(values), size)):
                    return name
    return None


class _Keyer:
    def __init__(
        self,
        spec: TableSpec,
        cells: dict[str, CellFact],
        overflow: dict[str, tuple[str, ...]],
        short: dict[str, tuple[str, int]],
    ):
        self.spec = spec
        self.cells = cells
        self.overflow = overflow  # row key → all its value texts, when it had more than its columns
        self.context: set[str] = set()
        # every group prefix of a row keyed so far: a fragment cut from under its group's label
        # (the label became a heading) still stands in a group already seen
        self.groups_seen: set[str] = set()
        self.widest = 0
        self.short = short  # row key → (its figures as written, how many columns it should have)

    def _put(self, row: Row | str, label: str, values: Sequence[Cell]):
        row_key = row.key if isinstance(row, Row) else row
        if values and row_key not in self.groups_seen:
            self.groups_seen.update(self.spec.prefixes(row_key))
        cells, name = self.cells, self.spec.name
        for (column, key), cell in zip(self.spec.cell_keys(row_key), values):
            if key not in cells:
                # made field by field (see ingest/text.py, _split_pipe_row): a report keys ~200 cells
                fact = cells[key] = _new(CellFact)
                fact.key = key
                fact.table = name
                fact.row = row_key
                fact.column = column.key
                fact.kind, fact.value = value_of(cell.text)
                fact.text = cell.text
                fact.loc = cell.loc
                fact.label = label

    def _short(self, row: Row, label: str, values: Sequence[Cell]):
        written = "、".join(v.text.strip() for v in values if v.text.strip())
        self.short[f"{self.spec.name}.{row.key}"] = (written, len(row.columns))
        for column in row.columns:
            key = f"{self.spec.name}.{row.key}.{column.key}"
            self.cells.setdefault(
                key, CellFact(key, self.spec.name, row.key, column.key, "unsplit", None, written, values[0].loc, label)
            )

    def _match(self, labels: list[str]) -> Row | None:
        for text in (labels[-1], "".join(labels)):
            for row in self.spec.matching(text)[1]:
                if row.group and row.group not in self.context and row.group not in self.groups_seen:
                    continue
                if self.spec.cell_keys(row.key)[0][1] in self.cells:  # the row is keyed already
                    continue
                return row
        return None

    def _groups(self, labels: list[str]) -> str | None:
        """Update the group context from this row's labels; return a group this row heads."""
        headed = None
        for label in labels:
            for key in self.spec.matching(label)[0]:
                prefixes = self.spec.prefixes(key)
                self.context = set(prefixes) | self.context if len(prefixes) > 1 else set(prefixes)
                headed = key
        return headed

    def grid(self, table: Table):
        width = self.spec.width
        # the widest row of this table's fragments so far: a row narrower than that lost cells
        rows = list(table.distinct_rows())
        self.widest = max([self.widest, *map(len, rows)])
        for row in rows:
            label_end = len(row) - 1
            while label_end >= 0 and _valueish_text(row[label_end].text):
                label_end -= 1  # the last cell that is not a figure: the row's label ends there
            after = row[label_end + 1 :]
            if len(after) > width and after and after[0].text.strip():
                # values start right after the label, and blank cells trail them: an
                # extraction artefact ("| 4 | 0 | … | 4 |  |"), not part of the row
                while len(after) > width and not after[-1].text.strip():
                    after = after[:-1]
                row = row[: label_end + 1] + after
            labels = [c.text for c in row[: label_end + 1] if c.text.strip()]
            if not labels:
                continue
            if self.spec.align == "right" and len(row) > width:
                values = row[-width:]
                labels = [c.text for c in row[:-width] if c.text.strip()] or labels
            else:
                values = row[label_end + 1 :]
            if not labels:
                continue
            headed = self._groups(labels)
            match = self._match(labels)
            if match is None and headed and any(_valueish(v) and v.text.strip() for v in values):
                # a subtotal row a report adds for a group: keyed by the group itself
                self._put(headed, labels[-1], values)
                continue
            if match is None:
                continue
            if match.key.count(".") == 0 and self.spec.groups:
                self.context = set()
            if self.spec.align == "left":
                # values start after the cell that names the row, so a value written as text
                # ("三百五十六", "251000元") is still read as that row's value, not as a label
                start = next(
                    (i for i, c in enumerate(row) if any(r is match for r in self.spec.matching(c.text)[1])), None
                )
                if start is not None:
                    values = row[start + 1 :]
                values = values[: len(match.columns)]
            elif len(values) > len(match.columns):
                values = values[-len(match.columns) :]
            if len(row) - label_end - 1 > len(match.columns):  # (else there cannot be one too many)
                raw = [c.text.strip() for c in row[label_end + 1 :]]
                while raw and not raw[0]:
                    raw.pop(0)  # blank cells of a merged label span, not values
                if len(raw) > len(match.columns):
                    # one value too many: "12" may have been split into "1 | 2" (PDF extraction)
                    self.overflow[f"{self.spec.name}.{match.key}"] = tuple(raw)
            if len(values) < len(match.columns) and len(row) < self.widest and any(v.text.strip() for v in values):
                # fewer figures than columns in a row narrower than its table: extraction lost
                # cells, and which column each figure belongs to is unknown ("| 规章 | 22 | 235 |"
                # under 制发 | 废止 | 现行有效). Keyed as not readable, never guessed.
                self._short(match, labels[-1], values)
                continue
            self._put(match, labels[-1], values)

    def wide(self, table: Table):
        """One data row holding each group's columns side by side (table 四)."""
        columns = self.spec.columns
        need = len(columns) * len(self.spec.rows)
        best = None
        for row in table.distinct_rows():
            numeric = [c for c in row if _valueish(c)]
            if len(numeric) >= need and (best is None or len(numeric) > len(best)):
                best = numeric
        if best is None:
            # OCR and extraction cut table 四 into one small table per group (行政复议, then the
            # two kinds of 行政诉讼), each with just its five figures: they fill the groups in order
            fragment = next(
                (
                    numeric
                    for row in table.distinct_rows()
                    for numeric in [[c for c in row if _valueish(c)]]
                    if len(numeric) == len(columns)
                ),
                None,
            )
            row = next(
                (r for r in self.spec.rows if f"{self.spec.name}.{r.key}.{columns[0].key}" not in self.cells), None
            )
            if fragment and row:
                self._put(row, row.label, fragment)
            return
        values = best[-need:]
        for index, row in enumerate(self.spec.rows):
            self._put(row, row.label, values[index * len(columns) : (index + 1) * len(columns)])


def table_names(cells: dict[str, CellFact]) -> frozenset[str]:
    """The layout tables that the keyed cells ("requests.new.total") belong to."""
    return frozenset(cell.table for cell in cells.values())  # each fact names its table (no key split)


@dataclass
class Keyed:
    cells: dict[str, CellFact]
    tables: dict[str, list[Table]]  # layout table name → the report's tables that are it
    overflow: dict[str, tuple[str, ...]]  # "requests.new" → its value texts, one too many
    short: dict[str, tuple[str, int]] = field(default_factory=dict)  # rows that lost cells (see _short)


def key_tables(tables: list[Table], layout: Layout) -> Keyed:
    cells: dict[str, CellFact] = {}
    found: dict[str, list[Table]] = {}
    overflow: dict[str, tuple[str, ...]] = {}
    short: dict[str, tuple[str, int]] = {}
    keyers: dict[str, _Keyer] = {}
    previous = None
    for table in tables:
        name = classify(table, layout) or _continues(table, layout, previous) or _shaped(table, layout)
        if name is None:
            continue
        previous = name
        found.setdefault(name, []).append(table)
        spec = layout.tables[name]
        keyer = keyers.setdefault(name, _Keyer(spec, cells, overflow, short))
        if spec.layout == "wide":
            keyer.wide(table)
        else:
            keyer.grid(table)
    return Keyed(cells, found, overflow, short)
