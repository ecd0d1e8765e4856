"""The key figures (rules/vocab/key_figures.yaml): what a summary, a comparison across years or a
ranking reads from a report, named once and resolved to the official tables' cells here, so that
no later stage writes a cell key of its own."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from checker.facts.layouts import layout
from checker.resources import load_yaml, rules_dir


@dataclass(frozen=True)
class KeyFigure:
    name: str
    label: str
    cells: tuple[str, ...]  # the cells it adds up
    total: str = ""  # how it is named as a sum of others' (a roster's aggregate)

    @property
    def cell(self) -> str:
        """The cell a finding about this figure points at (the first it adds up)."""
        return self.cells[0]

    def of(self, cells: dict):
        """Its value in a report's cells (key → number or None): the sum, None unless every term is a number."""
        values = [cells.get(key) for key in self.cells]
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in values):
            return None
        return values[0] if len(values) == 1 else sum(values)


@cache
def _file() -> dict:
    return load_yaml((rules_dir() / "vocab" / "key_figures.yaml").read_text(encoding="utf-8"))


@cache
def key_figures() -> dict[str, KeyFigure]:
    return {
        name: KeyFigure(name, item["label"], tuple(item["cells"]), item.get("total", item["label"]))
        for name, item in _file()["figures"].items()
    }


def key_figure(name: str) -> KeyFigure:
    return key_figures()[name]


@cache
def percent_bases() -> tuple[tuple[str, ...], ...]:
    """The wholes a stated percentage may be of, each as the cells it adds up."""
    figures = key_figures()
    return tuple(tuple(cell for name in names for cell in figures[name].cells) for names in _file()["percent_bases"])


@dataclass(frozen=True)
class Carry:
    """A cell of this year's report that must equal a cell of last year's."""

    column: str  # the column's key
    short: str  # its short label
    this: str  # this year's cell (上年结转)
    last: str  # last year's cell (结转下年度)
    section: str  # the section its table stands in


def carried(layout) -> tuple[Carry, ...]:
    """The carry-over pairs of a layout, one per column of the table."""
    spec = _file()["carry"]
    table = layout.tables.get(spec["table"]) if layout is not None else None
    if table is None:
        return ()
    return tuple(
        Carry(
            column.key,
            column.short,
            f"{spec['table']}.{spec['to']}.{column.key}",
            f"{spec['table']}.{spec['from']}.{column.key}",
            table.section,
        )
        for column in table.columns
    )


@dataclass(frozen=True)
class Stock:
    """A row of documents whose stock carries over: in force now = before + issued − repealed."""

    row: str
    label: str
    in_force: str
    issued: str
    repealed: str
    section: str


def stocks(layout) -> tuple[Stock, ...]:
    spec = _file()["stock"]
    table = layout.tables.get(spec["table"]) if layout is not None else None
    if table is None:
        return ()
    labels = {row.key: row.label for row in table.rows}
    return tuple(
        Stock(
            row,
            labels.get(row, row),
            *(f"{spec['table']}.{row}.{spec[column]}" for column in ("in_force", "issued", "repealed")),
            table.section,
        )
        for row in spec["rows"]
    )


def tracked(key: str) -> bool:
    """Whether a cell is one the comparisons across reports point at: a key figure's, a
    carried-over cell or a stock of documents in force (asked of every cell of every report)."""
    cells, carried_prefix, stock_prefix, stock_suffix = _tracked()
    return (
        key in cells or key.startswith(carried_prefix) or (key.startswith(stock_prefix) and key.endswith(stock_suffix))
    )


@cache
def _tracked() -> tuple[frozenset[str], str, str, str]:
    carry, stock = _file()["carry"], _file()["stock"]
    cells = frozenset(cell for figure in key_figures().values() for cell in figure.cells)
    return cells, f"{carry['table']}.{carry['to']}.", f"{stock['table']}.", f".{stock['in_force']}"


def section_of(regime: str | None, key: str) -> str | None:
    """The section a cell's table stands in, as the regime's layout says."""
    found = layout(regime) if regime else None
    spec = found.tables.get(key.split(".", 1)[0]) if found is not None else None
    return spec.section if spec is not None else None
