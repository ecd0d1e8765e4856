"""Linear table relations confirmed by compiled code: one function per relation and table, which
adds up every column's (or row's) cells at once and returns those it could not show to hold.

Nearly every relation of every report holds, in every column. Walking each column's plan term by
term in Python (a loop, a dict lookup and a branch per term) was the largest part of checking
a report's tables. The function made here has the plan written out as straight-line code with
the cell keys as constants. It is made once per relation, table and column set, and reused for
every report. What it returns goes to the general evaluator (engine/expr.py), which says why.

A plan is Expr.linear with each name made a cell key (see checks/tables.py, _Relation._plan):
(compare, (left terms, right terms)), a term being (sign, key, the keys of its group's leaves
when it is a sum() over a group, else ())."""

from __future__ import annotations

from typing import Callable, NamedTuple


class Column(NamedTuple):
    each: str  # the column (or row) name
    present: tuple[str, ...]  # the cell keys the relation reads: the report gives the column if it gives one
    anchor: str | None  # a cell key the report must give besides (an optional relation's anchor)
    plan: tuple | None  # None: not linear; the evaluator decides


Confirm = Callable[[dict, dict], list]


def _rounded(total):
    return round(total, 6) if isinstance(total, float) else total


def _sum(keys) -> str:
    return "(0 + " + " + ".join(f"get({key!r})" for key in keys) + ")"


def _side(terms) -> str:
    """A side as an expression over `get` (a missing or non-numeric cell is None, and adding
    None raises TypeError: not shown to hold). Terms are added left to right from 0, and a
    group's leaves summed first, as the evaluator adds them. A sum() over a group adds its
    leaves, or the group's own cell when the report gives the group as one row and none of its
    leaves (2019's （六）其他处理)."""
    out = "0"
    for sign, key, leaves in terms:
        if leaves:
            given = " or ".join(f"{leaf!r} in cells" for leaf in leaves)
            value = f"({_sum(leaves)} if {key!r} not in cells or ({given}) else {_sum((key,))})"
        else:
            value = f"get({key!r})"
        out += f" {'+' if sign > 0 else '-'} {value}"
    return out


def compile_confirmation(columns: list[Column], compare: Callable | None) -> Confirm:
    """f(cells, values) → the names of the columns the report gives (and whose anchor it gives)
    that are not shown to hold. `cells`: the report's keyed cells; `values`: its numeric cells'
    values by key."""
    lines = ["def confirm(cells, values):", "    get = values.get", "    out = []"]
    for column in columns:
        given = " or ".join(f"{key!r} in cells" for key in dict.fromkeys(column.present)) or "False"
        if column.anchor is not None:
            given = f"({given}) and {column.anchor!r} in cells"
        lines.append(f"    if {given}:")
        if column.plan is None:
            lines.append(f"        out.append({column.each!r})")
            continue
        left, right = column.plan[1]
        lines += ["        try:",
                  f"            left = {_side(left)}",
                  f"            right = {_side(right)}",
                  "        except TypeError:",
                  f"            out.append({column.each!r})",
                  "        else:",
                  "            if left.__class__ is not int or right.__class__ is not int:",
                  "                left, right = _rounded(left), _rounded(right)",
                  "            if not compare(left, right):",
                  f"                out.append({column.each!r})"]
    lines.append("    return out")
    namespace = {"_rounded": _rounded, "compare": compare}
    exec(compile("\n".join(lines), "<linear relation>", "exec"), namespace)  # noqa: S102 - our own code, keys as literals
    return namespace["confirm"]
