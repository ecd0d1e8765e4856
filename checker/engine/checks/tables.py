"""Tables: present, and every arithmetic relation between their cells."""

from __future__ import annotations

from checker.engine.checks import check, require
from checker.engine.context import Context
from checker.engine.expr import Expr, Unknown, compile_expr, evaluate
from checker.engine.finding import Hit

_NUMERIC = ("number", "zero")


@check("table-present")
def table_present(ctx: Context, params: dict):
    """Each official table of the report's format is there with its cells."""
    layout = ctx.facts.layout
    if layout is None:
        return
    for name in params.get("tables", list(layout.tables)):
        spec = layout.tables.get(name)
        if spec is None or any(key.startswith(name + ".") for key in ctx.facts.cells):
            continue
        section = ctx.facts.sections.get(spec.section)
        loc = section.loc if section else ctx.first_loc()
        yield Hit({"table": spec.title, "ordinal": spec.section}, loc, spec.section, f"{name}", name)


def _prepare_equation(params: dict) -> dict:
    require(params, "table", "each", "expr")
    if params["each"] not in ("column", "row"):
        raise ValueError("each 应为 column（对每一列）或 row（对每一行）")
    expr = compile_expr(params["expr"])
    if expr.sides() is None:
        raise ValueError(f"expr「{params['expr']}」应为一个比较式，如 a + b == c")
    return {**params, "compiled": expr}


def _fmt(value) -> str:
    if value is None:
        return "?"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@check("equation", _prepare_equation)
def equation(ctx: Context, params: dict):
    """A relation between cells holds for every column (or every row) of a table."""
    layout = ctx.facts.layout
    if layout is None or params["table"] not in layout.tables:
        return
    spec = layout.tables[params["table"]]
    cells = ctx.facts.cells
    if not any(key.startswith(spec.name + ".") for key in cells):
        return  # no table at all: T201 says so
    expr: Expr = params["compiled"]
    left, right = expr.sides()
    by_column = params["each"] == "column"
    rows = {r.key: r for r in spec.rows}
    columns = {c.key: c for c in spec.columns}
    for each in (params.get("over") or (columns if by_column else rows)):
        def key(name: str, each=each) -> str:
            return f"{spec.name}.{name}.{each}" if by_column else f"{spec.name}.{each}.{name}"

        def resolve(name: str) -> float:
            cell = cells.get(key(name))
            if cell is None or cell.kind not in _NUMERIC:
                raise Unknown()
            return cell.value

        def expand(name: str) -> list[str]:
            return (spec.leaves_under(name) or [name]) if by_column else [name]

        present = [n for n in expr.names() if key(n) in cells]
        if not present:
            continue  # this row/column is not in the report at all (e.g. a local variant)
        result = evaluate(expr, resolve, expand)
        anchor_name = params.get("anchor") or expr.names()[0]
        anchor_cell = cells.get(key(anchor_name)) or cells[key(present[0])]
        anchor = f"{spec.name}/{anchor_name if by_column else each}/{each if by_column else anchor_name}"
        if result.holds is None:
            ctx.unassessed.append({"anchor": anchor, "unknown": [key(n) for n in result.unknown]})
            continue
        if result.holds:
            continue

        def label(name: str) -> str:
            item = rows.get(name) if by_column else columns.get(name)
            return item.short if item else name

        where = f"「{columns[each].short}」列" if by_column else f"「{rows[each].short}」行"
        yield Hit({"where": where, "left": _fmt(result.left), "right": _fmt(result.right),
                   "left_terms": " + ".join(label(n) for n in left.names()),
                   "right_terms": " + ".join(label(n) for n in right.names()), "table": spec.title,
                   "difference": _fmt((result.left or 0) - (result.right or 0))},
                  anchor_cell.loc, spec.section, anchor, anchor)
