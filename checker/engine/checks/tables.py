"""Tables: present, and every arithmetic relation between their cells."""

from __future__ import annotations

from typing import Callable

from checker.engine.registry import P, check, fmt_number, pattern, require
from checker.engine.context import Context
from checker.engine.expr import Expr, Unknown, compile_expr, evaluate
from checker.engine.finding import Hit
from checker.engine.wording import words as _words
from checker.engine.linear import Column, Confirmation
from checker.facts.layouts import TableSpec, layout as format_layout
from checker.facts.local_stats import read_local_stats
from checker.facts.report_meta import KIND_NAMES, KINDS
from checker.facts.tables import value_of
from checker.ingest.document import compact
from checker.vocab import ordinals

_NUMERIC = ("number", "zero")


@check(
    "table-present",
    params={"tables": P("list", "the layout tables (active, requests, appeals)")},
    reads="facts.keyed_tables",
)
def table_present(ctx: Context, params: dict):
    """Each official table of the report's format is there with its cells."""
    layout = ctx.facts.layout
    if layout is None:
        return
    for name in params.get("tables", list(layout.tables)):
        spec = layout.tables.get(name)
        if spec is None or name in ctx.facts.keyed_tables:
            continue
        section = ctx.facts.sections.get(spec.section)
        loc = section.loc if section else ctx.first_loc()
        yield Hit(
            {"table": spec.title, "ordinal": spec.section}, loc=loc, section=spec.section, anchor=f"{name}", key=name
        )


def _keyed(ctx: Context):
    """The layout's tables the report gives at least one cell of."""
    layout = ctx.facts.layout
    if layout is None:
        return
    for name, spec in layout.tables.items():
        if name in ctx.facts.keyed_tables:
            yield spec


def _other_format(ctx: Context, spec: TableSpec, formats: list[str]) -> str | None:
    """The other format version this table is written in, judged by the words only one
    version's table has ("本年新制作数量" is 2019's, "本年制发件数" 2021's). Asked by T205 and
    the shape check alike: judged once per report."""
    memo = ctx.memo.setdefault("other-format", {})
    key = (spec.name, tuple(formats))
    if key not in memo:
        memo[key] = _judged_format(ctx, spec, formats)
    return memo[key]


def _judged_format(ctx: Context, spec: TableSpec, formats: list[str]) -> str | None:
    text = ctx.facts.table_text(spec.name)
    own = sum(1 for w in spec.signature if w in text)
    for fmt in formats:
        other = format_layout(fmt)
        if fmt == ctx.facts.layout.format or other is None or spec.name not in other.tables:
            continue
        hits = sum(1 for w in other.tables[spec.name].signature if w in text)
        if hits > own:
            return fmt
    return None


@check(
    "table-format",
    params={
        "formats": P(
            "list", "the format versions compared (format-2019, format-2021)", default=["format-2019", "format-2021"]
        )
    },
    reads="the text of each keyed table and the other format's signature words",
)
def table_format(ctx: Context, params: dict):
    """Each table is the format version the reporting year requires."""
    named = _words("table-format")["formats"]
    for spec in _keyed(ctx):
        other = _other_format(ctx, spec, params["formats"])
        if other:
            first = ctx.facts.tables[spec.name][0]
            loc = first.rows[0][0].loc if first.rows and first.rows[0] else ctx.first_loc()
            yield Hit(
                {
                    "table": spec.title,
                    "ordinal": spec.section,
                    "used": named.get(other, other),
                    "required": named.get(ctx.facts.layout.format, ctx.facts.layout.format),
                    "year": ctx.facts.year,
                },
                loc=loc,
                section=spec.section,
                anchor=spec.name,
                key=spec.name,
            )


def _listed(items: list[str]) -> str:
    words = _words("table-shape")
    limit = words["listed_max"]
    shown = words.listed(words.say("item", i) for i in items[:limit])
    return shown + (words.say("more", len(items)) if len(items) > limit else "")


FRAGMENT_CHARS = 40  # a loose line this short in a table's section may be one of its rows, cut out


def _loose_lines(ctx: Context, section: str) -> list[str]:
    """Short lines of text in the table's section: where extraction drops a row it cut out of
    the grid ("行政许可 0" on a line of its own)."""
    return [
        text
        for unit in ctx.texts()
        if unit.section == section
        for text in [compact(unit.text)]
        if len(text) <= FRAGMENT_CHARS
    ]


@check(
    "table-shape",
    params={
        "aspects": P(
            "list",
            "what to report: missing (rows and columns), unsplit (a group given as one row), unreadable (a table cut apart by extraction); default all",
            default=["missing", "unsplit", "unreadable"],
        )
    },
    reads="facts.cells, facts.short and short lines of text in the table's section",
)
def table_shape(ctx: Context, params: dict):
    """Every row and column of the official table is there (labels matched tolerantly; rows a
    report adds are allowed). A table in the other format version is T205's, not listed here.
    A table extraction cut apart (rows standing as loose lines of text, rows that lost cells)
    cannot be read with certainty: that is one warning naming what could not be read, never
    a run of errors about rows that are in fact there."""
    aspects = params["aspects"]
    if "table-shape" not in ctx.memo:  # several rules report aspects of one shape
        ctx.memo["table-shape"] = list(_table_shape(ctx))
    for hit in ctx.memo["table-shape"]:
        if hit.variant.split("_")[0] in aspects:  # missing_rows and missing_columns are "missing"
            yield hit


def _table_shape(ctx: Context):
    cells = ctx.facts.cells
    for spec in _keyed(ctx):
        if _other_format(ctx, spec, list(_words("table-format")["formats"])):
            continue
        first = ctx.facts.tables[spec.name][0] if ctx.facts.tables.get(spec.name) else None
        loc = first.rows[0][0].loc if first and first.rows and first.rows[0] else ctx.first_loc()
        present, missing_rows = [], []
        columns: dict[str, object] = {}  # the columns of the rows the report gives in part …
        given: set[str] = set()  # … and those it gives a cell of
        for row, pairs in spec.row_cells:
            hit = [column for column, key in pairs if key in cells]
            if hit:
                present.append(row)
                given.update(hit)
                if len(hit) < len(pairs):  # (a row given whole leaves none of its columns out)
                    for column in row.columns:
                        columns[column.key] = column
            else:
                missing_rows.append(row)
        # a group given as one row with none of its items ("（六）其他处理" as in the 2019 table)
        unsplit = {}
        for row in missing_rows:
            group = row.key.rsplit(".", 1)[0]
            if (
                "." in row.key
                and any(f"{spec.name}.{group}.{c.key}" in cells for c in row.columns)
                and not any(r.key.startswith(group + ".") for r in present)
            ):
                unsplit.setdefault(group, []).append(row)
        for group, items in unsplit.items():
            cell = cells[next(k for k in cells if k.startswith(f"{spec.name}.{group}."))]
            yield Hit(
                {
                    "table": spec.title,
                    "ordinal": spec.section,
                    "label": cell.label.strip(),
                    "items": _listed([r.label for r in items]),
                },
                loc=cell.loc,
                section=spec.section,
                anchor=f"{spec.name}/{group}",
                key=f"unsplit/{group}",
                severity="warning",
                topic=spec.name,
                evidence=cell.text.strip() or None,
                variant="unsplit",
            )
        missing_rows = [r for r in missing_rows if not any(r in items for items in unsplit.values())]
        short = [
            (row_key.partition(".")[2], written, count)
            for row_key, (written, count) in ctx.facts.short.items()
            if row_key.partition(".")[0] == spec.name and spec.row(row_key.partition(".")[2])
        ]
        loose = _loose_lines(ctx, spec.section) if missing_rows else []
        cut_out = [r for r in missing_rows if any(r.pattern.search(line) for line in loose)]
        if short or cut_out:
            words, parts = _words("table-shape"), []
            if cut_out:
                parts.append(words.say("cut_out", rows=_listed([r.short for r in cut_out])))
            for key, written, count in short[:3]:
                parts.append(words.say("short", row=spec.row(key).short, written=written, count=count))
            lost = [r for r in missing_rows if r not in cut_out]
            if lost:
                parts.append(words.say("lost", rows=_listed([r.short for r in lost])))
            spot = cells[f"{spec.name}.{short[0][0]}.{spec.row(short[0][0]).columns[0].key}"] if short else None
            yield Hit(
                {"table": spec.title, "ordinal": spec.section, "detail": words.listed(parts, "clauses")},
                loc=spot.loc if spot else loc,
                section=spec.section,
                anchor=f"{spec.name}/unreadable",
                key="unreadable",
                topic=spec.name,
                evidence=(spot.text.split("、")[0] if spot else None),
                variant="unreadable",
            )
        elif missing_rows:
            yield Hit(
                {"table": spec.title, "ordinal": spec.section, "items": _listed([r.label for r in missing_rows])},
                loc=loc,
                section=spec.section,
                anchor=f"{spec.name}/rows",
                key="rows",
                topic=spec.name,
                variant="missing_rows",
            )
        missing_columns = [c for key, c in columns.items() if key not in given]
        if missing_columns:
            yield Hit(
                {"table": spec.title, "ordinal": spec.section, "items": _listed([c.label for c in missing_columns])},
                loc=loc,
                section=spec.section,
                anchor=f"{spec.name}/columns",
                key="columns",
                topic=spec.name,
                variant="missing_columns",
            )


def _placed(layout, cell):
    """A cell's table, row and column in the layout (the column None where the layout has none)."""
    spec = layout.tables[cell.table]
    row = spec.row(cell.row)
    return spec, row, (row or spec).column.get(cell.column)


def _cell_hit(spec, row, column, cell, variant: str, **values) -> Hit:
    """A finding on one cell of a table: where it is and what it holds, worded by `variant`."""
    return Hit(
        {
            "table": spec.title,
            "row": row.short if row else cell.row,
            "column": column.label,
            "text": cell.text.strip()[:30],
            **values,
        },
        loc=cell.loc,
        section=spec.section,
        anchor=cell.anchor,
        key=cell.key,
        evidence=cell.text.strip()[:30] or None,
        variant=variant,
    )


def _prepare_unit(params: dict) -> dict:
    limits = params["max_by_kind"]
    if not all(kind in KINDS and isinstance(v, (int, float)) and not isinstance(v, bool) for kind, v in limits.items()):
        words = _words("cell-unit")
        raise ValueError(words.say("max_by_kind", kinds=words.listed(KINDS)))
    return {**params, "written_re": pattern(params["written"])}


@check(
    "cell-unit",
    _prepare_unit,
    params={
        "written": P(
            "pattern", "a unit written in a money cell that is not its column's (e.g. 元 in a 万元 column)", True
        ),
        "factor": P("number", "what one of the written unit is in the column's unit (元 → 万元: 0.0001)", True),
        "max_by_kind": P(
            "dict",
            "agency kind → the largest amount plausible in the column's unit (above it: written in 元)",
            default={},
        ),
    },
    reads="facts.cells of the layout's money columns, facts.agency_kind",
)
def cell_unit(ctx: Context, params: dict):
    """A money cell in another unit than its column's: the unit written in the cell (variant
    written), or an amount plausible only in the smaller unit for this kind of agency (variant
    implausible)."""
    layout = ctx.facts.layout
    if layout is None:
        return
    limit = params["max_by_kind"].get(ctx.facts.agency_kind)
    for cell in ctx.facts.cells.values():
        if cell.kind != "number":
            continue
        spec, row, column = _placed(layout, cell)
        if column is None or not column.money:
            continue
        written = params["written_re"].search(cell.text)
        if written:
            variant = "written"
        elif limit is not None and cell.value > limit:
            variant = "implausible"
        else:
            continue
        yield _cell_hit(
            spec,
            row,
            column,
            cell,
            variant,
            value=fmt_number(cell.value),
            converted=fmt_number(round(cell.value * params["factor"], 6)),
            kind=KIND_NAMES.get(ctx.facts.agency_kind, ""),
        )


@check("cell-domain", params={}, reads="facts.cells (kind, value) and the layout's columns (signed, money)")
def cell_domain(ctx: Context, params: dict):
    """A count is a non-negative integer; only 本年增/减 may be negative, only money decimal."""
    layout = ctx.facts.layout
    if layout is None:
        return
    for cell in ctx.facts.cells.values():
        if cell.kind != "text" and not (cell.kind == "number" and (cell.value < 0 or isinstance(cell.value, float))):
            continue  # a count as counts are (nearly every cell): nothing to look up
        spec, row, column = _placed(layout, cell)
        if column is None:
            continue
        if cell.kind == "text":
            variant = "not_a_number"
        elif cell.kind == "number" and cell.value < 0 and not column.signed:
            variant = "negative"
        elif cell.kind == "number" and isinstance(cell.value, float) and not column.money:
            variant = "not_an_integer"
        else:
            continue
        yield _cell_hit(spec, row, column, cell, variant)


@check(
    "cell-reported",
    params={"rows_listed": P("number", "how many rows a finding lists before counting the rest", default=5)},
    reads="facts.cells (kind blank or slash)",
)
def cell_reported(ctx: Context, params: dict):
    """Blank, "/" and "-" cells are not zeros: the figure was not reported. One hit per table,
    naming its rows and their columns (the first few, then how many more)."""
    layout = ctx.facts.layout
    if layout is None:
        return
    limit, words = params["rows_listed"], _words("cell-reported")
    tables: dict[str, dict[str, list]] = {}
    for cell in ctx.facts.cells.values():
        if cell.kind in ("blank", "slash"):
            tables.setdefault(cell.table, {}).setdefault(cell.row, []).append(cell)
    for table, rows in tables.items():
        spec = layout.tables[table]
        listed = []
        for row_key, empty in rows.items():
            row = spec.row(row_key)
            names = {c.key: c.label for c in (row.columns if row else spec.columns)}
            columns = words.listed(names.get(c.column, c.column) for c in empty)
            listed.append(words.say("row_columns", row=row.short if row else empty[0].label, columns=columns))
        cells = [c for empty in rows.values() for c in empty]
        written = words.listed(
            dict.fromkeys(words.say("written", c.text.strip()) if c.text.strip() else words.say("blank") for c in cells)
        )
        more = words.say("more_rows", len(listed)) if len(listed) > limit else ""
        first = cells[0]
        yield Hit(
            {
                "table": spec.title,
                "ordinal": spec.section,
                "count": len(cells),
                "written": written,
                "rows": words.listed(listed[:limit], "clauses") + more,
            },
            loc=first.loc,
            section=spec.section,
            anchor=f"{table}/cells",
            key=table,
            topic=table,
            evidence=_label_in_row(ctx, first),
        )


def _label_in_row(ctx: Context, cell) -> str | None:
    """The row label of a cell when it is printed in the cell's own row (the evidence a reader
    sees next to the blank); None for a row of figures whose label stands in a header above."""
    label = compact(cell.label)
    for table in ctx.facts.tables.get(cell.table, ()):
        for row in table.rows:
            if any(c.loc == cell.loc for c in row):
                return cell.label.strip() if any(compact(c.text) == label for c in row) and label else None
    return None


def _prepare_equation(params: dict) -> dict:
    require(params, "table", "each")
    words = _words("equation")
    if params["each"] not in ("column", "row"):
        raise ValueError(words.say("each"))
    if ("expr" in params) == ("balance" in params):
        raise ValueError(words.say("expr_or_balance"))
    if "balance" in params:
        if not isinstance(params["balance"], int) or isinstance(params["balance"], bool) or params["balance"] < 0:
            raise ValueError(words.say("balance"))
        return {**params, "compiled": None}  # built per layout at run time: the layout is the one source
    compiled = []
    for source in params["expr"] if isinstance(params["expr"], list) else [params["expr"]]:
        expr = compile_expr(source)
        if expr.sides() is None:
            raise ValueError(words.say("not_comparison", source))
        compiled.append(expr)
    return {**params, "compiled": tuple(compiled)}


def _balance(spec: TableSpec, index: int) -> tuple[Expr, ...]:
    """The layout's balance `index` (rules/tables/*.yaml `balances`, which the flattened-table reader
    uses too) as a relation: the rows of each side added up."""
    if index >= len(spec.balances):
        return ()
    left, right = (spec.balance_rows(side) for side in spec.balances[index])
    return (compile_expr(f"{' + '.join(left)} == {' + '.join(right)}"),)


# (id of the expression, table, by column) → (the expression, kept so its id stays its own;
# each → (the keys of the expression's names, Relation._plan); (eaches, anchor) → its confirmation)
_PLANS: dict[tuple, tuple[Expr, dict[str, tuple]]] = {}


def _values(ctx: Context) -> dict[str, float | int]:
    """The report's numeric cells' values by key, made once per report for all its relations."""
    values = ctx.memo.get("cell-values")
    if values is None:
        values = ctx.memo["cell-values"] = {
            key: cell.value for key, cell in ctx.facts.cells.items() if cell.kind in _NUMERIC
        }
    return values


class _Relation:
    """One relation over one table, evaluated for each of its columns (or rows)."""

    def __init__(self, ctx: Context, spec: TableSpec, expr: Expr, by_column: bool):
        self.ctx, self.spec, self.expr, self.by_column = ctx, spec, expr, by_column
        self.cells = ctx.facts.cells
        entry = _PLANS.get((id(expr), spec.name, by_column))
        if entry is None or entry[0] is not expr:
            entry = _PLANS[(id(expr), spec.name, by_column)] = (expr, {})
        self.plans = entry[1]

    def key(self, name: str, each: str) -> str:
        return f"{self.spec.name}.{name}.{each}" if self.by_column else f"{self.spec.name}.{each}.{name}"

    def expand(self, each: str) -> Callable[[str], list[str]]:
        def expand(name: str) -> list[str]:
            if not self.by_column:
                return [name]
            leaves = self.spec.leaves_under(name)
            if (
                leaves
                and self.key(name, each) in self.cells
                and not any(self.key(n, each) in self.cells for n in leaves)
            ):
                return [name]  # the report gives the group as one row (2019's （六）其他处理)
            return leaves or [name]

        return expand

    def confirmation(self, eaches: tuple[str, ...], anchor: str | None) -> Confirmation:
        """The compiled confirmation (engine/linear.py) of this relation over these columns (or
        rows), made once and kept with the plans; `anchor`: a name whose cell must be given."""
        confirm = self.plans.get((eaches, anchor))
        if confirm is None:
            columns = []
            for each in eaches:
                keys, plan = self.planned(each)
                columns.append(Column(each, keys, self.key(anchor, each) if anchor else None, plan))
            linear = self.expr.linear
            confirm = self.plans[(eaches, anchor)] = Confirmation(columns, linear[0] if linear else None)
        return confirm

    def planned(self, each: str) -> tuple:
        """(the cell keys of the names the expression reads, the linear plan) for a column or row."""
        planned = self.plans.get(each)
        if planned is None:
            planned = self.plans[each] = (tuple(self.key(n, each) for n in self.expr.names()), self._plan(each))
        return planned

    def _plan(self, each: str) -> tuple | None:
        """The linear relation (Expr.linear) for one column or row as cell keys: per side, each
        term's (sign, key, the keys of its group's leaves when it is a sum() over a group)."""
        if self.expr.linear is None:
            return None
        compare, *sides = self.expr.linear
        return (
            compare,
            tuple(
                tuple(
                    (
                        sign,
                        self.key(name, each),
                        tuple(self.key(n, each) for n in self.spec.leaves_under(name))
                        if is_sum and self.by_column
                        else (),
                    )
                    for sign, name, is_sum in side
                )
                for side in sides
            ),
        )

    def evaluate(self, each: str, patch: dict[str, float] | None = None, used: list | None = None):
        def resolve(name: str) -> float:
            key = self.key(name, each)
            if used is not None:
                used.append(key)
            if patch and key in patch:
                return patch[key]
            cell = self.cells.get(key)
            if cell is None or cell.kind not in _NUMERIC:
                raise Unknown()
            return cell.value

        return evaluate(self.expr, resolve, self.expand(each))

    def split_hint(self, each: str) -> str:
        """If joining two adjacent one-digit cells of a row that has one value too many makes
        the relation hold, say so: PDF extraction splits "12" into "1 | 2"."""
        prefix = self.spec.name + "."
        for row_key, raw in self.ctx.facts.overflow.items():
            row = self.spec.row(row_key[len(prefix) :]) if row_key.startswith(prefix) else None
            if row is None or len(raw) != len(row.columns) + 1 or (not self.by_column and row.key != each):
                continue
            for i in range(len(raw) - 1):
                a, b = raw[i].strip(), raw[i + 1].strip()
                if not (len(a) == 1 == len(b) and a.isdigit() and b.isdigit()):
                    continue
                joined = raw[:i] + (a + b,) + raw[i + 2 :]
                patch = {f"{row_key}.{c.key}": value_of(t)[1] for c, t in zip(row.columns, joined)}
                if any(v is None for v in patch.values()):
                    continue
                if self.evaluate(each, patch).holds:
                    return _words("equation").say("split", row=row.short, a=a, b=b)
        return ""


@check(
    "equation",
    _prepare_equation,
    params={
        "table": P("str", "the layout table (active, requests, appeals)", True),
        "each": P("str", "column or row: the relation holds for each", True),
        "expr": P("exprs", "one relation or a list, in grammars/expr.lark (or balance)"),
        "balance": P(
            "number",
            "instead of expr: the table layout's balance of this index (from 0), so layout and rule share one source",
        ),
        "over": P("list", "only these columns (or rows)"),
        "anchor": P("str", "the name whose cell the finding points at"),
        "optional": P("bool", "skip a column/row whose anchor cell the report does not give"),
    },
    reads="facts.cells of one layout table",
)
def equation(ctx: Context, params: dict):
    """A relation between cells holds for every column (or every row) of a table. With
    `optional`, a column or row whose anchor cell the report does not give is skipped (a
    subtotal row only some reports add)."""
    layout = ctx.facts.layout
    if layout is None or params["table"] not in layout.tables:
        return
    spec = layout.tables[params["table"]]
    cells = ctx.facts.cells
    if spec.name not in ctx.facts.keyed_tables:
        return  # no table at all: T201 says so
    by_column = params["each"] == "column"
    rows, columns, values = spec.row_by_key, spec.column, _values(ctx)
    exprs = params["compiled"] if params["compiled"] is not None else _balance(spec, params["balance"])
    for expr in exprs:
        relation = _Relation(ctx, spec, expr, by_column)
        left, right = expr.sides()
        names = expr.names()
        anchor_name = params.get("anchor") or names[0]
        optional = params.get("optional")
        eaches = tuple(params.get("over") or (columns if by_column else rows))
        # the columns (rows) the report gives that adding up did not show to hold; a column it
        # does not give at all (a local variant) is not there to check
        for each in relation.confirmation(eaches, anchor_name if optional else None)(cells, values):
            present = next(key for key in relation.planned(each)[0] if key in cells)
            used: list[str] = []
            result = relation.evaluate(each, used=used)
            anchor_cell = cells.get(relation.key(anchor_name, each)) or cells[present]
            anchor = f"{spec.name}/{anchor_name if by_column else each}/{each if by_column else anchor_name}"
            if result.holds is None:
                ctx.unassessed.append({"anchor": anchor, "unknown": [relation.key(n, each) for n in result.unknown]})
                continue
            if result.holds:
                continue

            def label(name: str) -> str:
                item = rows.get(name) if by_column else columns.get(name)
                return item.short if item else name

            where = (
                _words("equation").say("column", columns[each].short)
                if by_column
                else _words("equation").say("row", rows[each].short)
            )
            yield Hit(
                {
                    "where": where,
                    "left": fmt_number(result.left),
                    "right": fmt_number(result.right),
                    "left_terms": " + ".join(label(n) for n in left.names()),
                    "right_terms": " + ".join(label(n) for n in right.names()),
                    "table": spec.title,
                    "row": label(anchor_name) if by_column else rows[each].short,
                    "difference": fmt_number((result.left or 0) - (result.right or 0)),
                    "hint": relation.split_hint(each),
                },
                loc=anchor_cell.loc,
                section=spec.section,
                anchor=anchor,
                key=anchor,
                evidence=anchor_cell.text.strip() or None,
                suspects=frozenset((key, abs((result.left or 0) - (result.right or 0))) for key in used),
            )


@check("table-flattened", params={}, reads="facts.flattened (tables read back from run-together digits)")
def table_flattened(ctx: Context, params: dict):
    """Tables published as run-together text: said once for the document (one cause: the page
    was captured or converted so), naming each table, how much was read back, and which rows
    could not be split for certain. It stands at the first such table."""
    layout = ctx.facts.layout
    flattened = sorted(ctx.facts.flattened.items(), key=lambda item: ordinals().find(layout.tables[item[0]].section))
    if not flattened:
        return
    words = _words("table-flattened")
    tables, ambiguous, rows = [], [], 0
    for name, note in flattened:
        spec = layout.tables[name]
        tables.append(words.say("table", ordinal=spec.section, title=spec.title))
        ambiguous += note.ambiguous
        rows += note.rows
    shown = words["shown"]
    listed = words.listed(
        (words.say("run", label=label, digits=digits[:24]) for label, digits in ambiguous[:shown]), "runs_sep"
    )
    more = words.say("more") if len(ambiguous) > shown else ""
    detail = words.say("ambiguous", runs=listed, more=more) if listed else ""
    first, note = flattened[0]
    spec = layout.tables[first]
    yield Hit(
        {"table": words.listed(tables), "ordinal": spec.section, "rows": rows, "detail": detail, "count": len(tables)},
        loc=note.loc or ctx.first_loc(),
        section=spec.section,
        anchor=first,
        key="flattened",
    )


def _prepare_local(params: dict) -> dict:
    if params["aspect"] not in ("sums", "cumulative"):
        raise ValueError(_words("local-statistics").say("aspect"))
    return {
        **params,
        "header_re": pattern(params["header"]),
        "totals_re": [pattern(p) for p in params["totals"]],
        "unit_set": frozenset(params["units"]),
    }


@check(
    "local-statistics",
    _prepare_local,
    params={
        "aspect": P("str", "sums (a total against its 其中 parts) or cumulative (历年累计 not below 本年度)", True),
        "header": P("pattern", "the table's header (指标名称 … 历年累计)", True),
        "units": P("list", "the units of measure a row may give (条, 件, 元 …)", True),
        "totals": P("list", "patterns naming the totals whose 其中 parts are all of it", default=[]),
    },
    reads="the report's tables and text (facts.local_stats): the 2008-era local statistics table",
)
def local_statistics(ctx: Context, params: dict):
    """The 2008-era local statistics table, where it is read for certain: a total's parts add up
    to it (aspect sums, the totals named), and no row's 历年累计 is below its 本年度 (cumulative)."""
    key = ("local-stats", params["header"], tuple(params["units"]))
    if key not in ctx.memo:
        ctx.memo[key] = read_local_stats(ctx.texts(), ctx.report.tables(), params["header_re"], params["unit_set"])
    stats = ctx.memo[key]
    if stats is None:
        return
    if params["aspect"] == "cumulative":
        for row in stats.rows:
            if row.cumulative < row.this_year:
                yield Hit(
                    {"row": row.label, "this": fmt_number(row.this_year), "cumulative": fmt_number(row.cumulative)},
                    loc=row.loc,
                    anchor=f"local/{row.label}",
                    key=row.label,
                    evidence=row.label,
                )
        return
    words = _words("local-statistics")
    for total, parts in stats.groups():
        if len(parts) < 2 or not any(p.search(total.label) for p in params["totals_re"]):
            continue
        for column, value in (("this_year", total.this_year), ("cumulative", total.cumulative)):
            added = sum(getattr(part, column) for part in parts)
            if added != value:
                yield Hit(
                    {
                        "row": total.label,
                        "column": words.say(column),
                        "value": fmt_number(value),
                        "sum": fmt_number(added),
                        "parts": words.listed(part.name for part in parts),
                    },
                    loc=total.loc,
                    anchor=f"local/{total.label}/{column}",
                    key=f"{total.label}/{column}",
                    evidence=total.label,
                )
